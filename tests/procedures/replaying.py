"""Replay one requirement's recorded session (with the example's preflight) into a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.collect.orchestrate import Collection, CollectOptions, parameters, select
from generator.collect.plan import procedure_plan
from generator.collect.session import Session
from generator.procedures import load_procedure
from tests.collect.conftest import EXAMPLE_SESSIONS, SESSIONS, make_workspace

PREFLIGHT = EXAMPLE_SESSIONS / "_preflight.yaml"
# What kubectl exec answers when the probed tool is not in the image (sh exits 127).
NOT_FOUND = "sh: 1: nvidia-smi: not found\ncommand terminated with exit code 127\n"
SH_NOT_FOUND = ('error: Internal error occurred: error executing command in container: failed to '
                'exec in container: failed to start exec: OCI runtime exec failed: exec failed: '
                'unable to start container process: exec: "sh": executable file not found in '
                '$PATH: unknown\n')


def probe_output(count: int, visible: str = "") -> str:
    """The device probe's report (the upstream suite's acceleratorProbeCommand line, plus ours)."""
    return f"RESULT: ACCELERATOR_COUNT={count}\nRESULT: VISIBLE_DEVICES={visible}\n"


def session(requirement: str, variant: str | None = None) -> Session:
    """The passing session of a variant joined with the example's preflight answers.

    The default variant's is the shipped example's (``evidence/sessions/v1.35/``), any other
    is ``tests/data/sessions/<requirement>-<variant>-pass.yaml``.
    """
    recorded = (SESSIONS / f"{requirement}-{variant}-pass.yaml" if variant
                else EXAMPLE_SESSIONS / f"{requirement}.yaml")
    return Session.load_all([PREFLIGHT, recorded])


def replay(tmp_path: Path, recorded: Session, requirement: str, variant: str | None = None,
           version: str = "v1.35", **settings: Any) -> dict[str, Any]:
    """result.json of ``requirement`` replayed from ``recorded``; ``settings`` are its
    platform.yaml entries (``parameters``, ``timeoutSeconds``)."""
    config = {**({"variant": variant} if variant else {}), **settings}
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


def assert_vendor_neutral(version: str, requirement: str, variant: str) -> None:
    """With every NVIDIA-named parameter overridden, no command or manifest names NVIDIA."""
    defaults = load_procedure(version, requirement, variant).parameters
    vendor = {k: str(v).replace("nvidia", "example").replace("NVIDIA", "Example")
              for k, v in defaults.items() if "nvidia" in str(v).lower()}
    procedure = load_procedure(version, requirement, variant, vendor)
    plan = procedure_plan(procedure)
    params = {**parameters(procedure, "run"),
              **{s.capture: "7" for c in procedure.checks for s in c.steps if s.capture}}
    manifests = [procedure.render_manifest(s.apply, s.scope(params, "test"))
                 for c in procedure.checks for s in c.steps if s.apply]
    text = str(plan) + "".join(manifests)
    assert "nvidia" not in text.lower()


def assert_sources_named(path: Path) -> None:
    """A modelled session says so and names what its outputs follow (real transcripts under
    ../shared/reference-evidence, the upstream suite, or the component's own source)."""
    header = path.read_text(encoding="utf-8").split("\nschemaVersion:", 1)[0]
    assert header.startswith("# Modelled session") and "Sources:" in header, path.name
