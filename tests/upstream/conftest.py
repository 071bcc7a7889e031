"""A checkout of the upstream suite (just its shape), the stand-in ``go`` on PATH, and a v1.37
workspace whose kubectl side replays the workload_sandboxing session."""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.collect.redact import Redactor
from generator.collect.staging import Staging
from generator.upstream.suite import (
    SUITE_DIR,
    SuitePlan,
    SuiteRun,
    import_suite,
    prepare_suite,
    run_suite,
)
from generator.workspace import Workspace
from tests.collect.conftest import SESSIONS, make_workspace

STREAMS = Path(__file__).resolve().parent.parent / "data" / "upstream-suite"
STANDIN_BIN = STREAMS / "bin"
SESSION = SESSIONS / "workload_sandboxing-pass.yaml"


def make_checkout(root: Path, tag: str | None = "v1.37.0") -> Path:
    """A git checkout with the suite's layout (go.mod, test/main_test.go), tagged ``tag``."""
    (root / "test").mkdir(parents=True)
    (root / "go.mod").write_text("module sigs.k8s.io/ai-conformance\n", encoding="utf-8")
    (root / "test" / "main_test.go").write_text("package conformance\n", encoding="utf-8")
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "suite"], check=True)
    if tag:
        subprocess.run([*git, "tag", tag], check=True)
    return root


def suite_workspace(root: Path, **suite: Any) -> Path:
    make_workspace(root, "v1.37", workload_sandboxing={})
    platform = yaml.safe_load((root / "platform.yaml").read_text(encoding="utf-8"))
    flags = {"sandbox-runtime-class": "gvisor", "gang-job-labels": "kueue.x-k8s.io/queue-name=lq"}
    platform["upstreamSuite"] = suite or {"flags": flags}
    (root / "platform.yaml").write_text(yaml.safe_dump(platform), encoding="utf-8")
    return root


@pytest.fixture
def standin_env(tmp_path: Path) -> Callable[..., dict[str, str]]:
    """Environment with the stand-in go first on PATH, replaying ``stream``."""

    def env(stream: str | None = "pass.jsonl", **extra: str) -> dict[str, str]:
        values = {"PATH": f"{STANDIN_BIN}{os.pathsep}{os.environ['PATH']}",
                  "GO_STANDIN_ARGV": str(tmp_path / "go-argv.txt"), **extra}
        if stream:
            values["GO_STANDIN_STREAM"] = str(STREAMS / stream)
        return values

    return env


def run_staged(plan: SuitePlan, workspace: Workspace, cancel: threading.Event | None = None
               ) -> SuiteRun:
    """run_suite as collect runs it: into a staging folder committed afterwards."""
    staging = Staging(workspace.evidence_dir, SUITE_DIR, "r1")
    try:
        run = run_suite(plan, workspace, staging, Redactor.from_workspace(),
                        cancel or threading.Event())
        staging.commit()
        return run
    finally:
        staging.discard()


def suite_evidence(root: Path, stream: Path, monkeypatch: pytest.MonkeyPatch,
                   **suite: Any) -> Workspace:
    """A v1.37 workspace whose evidence is one run of the stand-in go replaying ``stream``,
    its tests imported as collect imports them (in-process: no kubectl, no cluster)."""
    monkeypatch.setenv("PATH", f"{STANDIN_BIN}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("GO_STANDIN_STREAM", str(stream))
    workspace = Workspace.load(suite_workspace(root / "ws", **suite))
    plan = prepare_suite(make_checkout(root / "ai-conformance"), workspace)
    import_suite(workspace, run_staged(plan, workspace), None)
    return workspace
