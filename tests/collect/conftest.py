"""Workspaces and recorded sessions for collection tests (replays: no cluster, no network)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.collect.orchestrate import Collection, CollectOptions, select
from generator.collect.session import Session
from generator.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent.parent
SESSIONS = ROOT / "tests" / "data" / "sessions"
EXAMPLE_SESSIONS = ROOT / "evidence" / "sessions" / "v1.35"  # the shipped example's, all pass
THREE = ("dra_support", "gang_scheduling", "secure_accelerator_access")


def make_workspace(root: Path, version: str = "v1.35", **requirements: Any) -> Workspace:
    platform = {"kubernetesVersion": version, "productDir": "acme-ai",
                "metadata": {"platformName": "Acme AI", "platformVersion": "1.0",
                             "vendorName": "Acme"},
                "requirements": requirements or {r: {} for r in THREE}}
    root.mkdir(parents=True, exist_ok=True)
    (root / "platform.yaml").write_text(yaml.safe_dump(platform), encoding="utf-8")
    return Workspace.load(root)


def override(session: Session, scope: str, contains: str, **fields: Any) -> Session:
    """A copy of ``session`` where matching exchanges answer differently (one negative case)."""
    changed = copy.deepcopy(session)
    hits = [e for e in changed.exchanges
            if e["scope"] == scope and contains in " ".join(e["argv"])]
    assert hits, f"no exchange in {scope} contains {contains!r}"
    for exchange in hits:
        exchange.update(fields)
    return changed


@pytest.fixture
def pass_session() -> Session:
    return Session.load_all([EXAMPLE_SESSIONS])


@pytest.fixture
def replay(tmp_path: Path) -> Callable[..., dict[str, dict[str, Any]]]:
    """Replay a session into a fresh (or given) workspace; returns result.json per requirement."""

    def run(session: Session, workspace: Workspace | None = None,
            requirements: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
        workspace = workspace or make_workspace(tmp_path / "ws")
        path = tmp_path / "session.yaml"
        session.save(path)
        options = CollectOptions(requirements=requirements, replay=(path,))
        results = Collection(workspace, options).run(select(workspace, requirements))
        return {requirement: result.to_json() for requirement, result in results.items()}

    return run
