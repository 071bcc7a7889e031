"""Replay one requirement's recorded session (with the example's preflight) into a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.collect.orchestrate import Collection, CollectOptions, select
from generator.collect.session import Session
from tests.collect.conftest import EXAMPLE_SESSIONS, SESSIONS, make_workspace

PREFLIGHT = EXAMPLE_SESSIONS / "_preflight.yaml"


def session(requirement: str, variant: str | None = None) -> Session:
    """The passing session of a variant joined with the example's preflight answers.

    The default variant's is the shipped example's (``evidence/sessions/v1.35/``), any other
    is ``tests/data/sessions/<requirement>-<variant>-pass.yaml``.
    """
    recorded = (SESSIONS / f"{requirement}-{variant}-pass.yaml" if variant
                else EXAMPLE_SESSIONS / f"{requirement}.yaml")
    return Session.load_all([PREFLIGHT, recorded])


def replay(tmp_path: Path, recorded: Session, requirement: str, variant: str | None = None,
           version: str = "v1.35", parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    """result.json of ``requirement`` replayed from ``recorded`` (with platform.yaml
    ``parameters`` for it, if given)."""
    config: dict[str, Any] = {"variant": variant} if variant else {}
    if parameters:
        config["parameters"] = parameters
    workspace = make_workspace(tmp_path / "ws", version, **{requirement: config})
    path = tmp_path / "session.yaml"
    Session(version, recorded.probe, recorded.exchanges).save(path)
    options = CollectOptions(requirements=(requirement,), replay=(path,))
    return Collection(workspace, options).run(select(workspace, (requirement,)))[
        requirement].to_json()


def statuses(result: dict[str, Any]) -> dict[str, str]:
    return {check["id"]: check["status"] for check in result["checks"]}


def reason(result: dict[str, Any], check_id: str) -> str:
    return next(c["reason"] for c in result["checks"] if c["id"] == check_id)


def assert_failed_by(result: dict[str, Any], check_id: str, why: str) -> None:
    """The requirement failed, because of this check, for this reason."""
    assert result["status"] == "failed" and statuses(result)[check_id] == "failed", (
        statuses(result))
    assert why in reason(result, check_id)


def dry_run(run_cli: Any, tmp_path: Path, version: str, requirement: str) -> str:
    """The text plan of ``collect --dry-run`` for one requirement with its defaults."""
    make_workspace(tmp_path / "ws", version, **{requirement: {}})
    result = run_cli("collect", "--workspace", tmp_path / "ws", "--dry-run")
    assert result.exit_code == 0, result.stderr
    return result.stdout
