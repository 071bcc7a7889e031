"""Fixtures shared by every test: the shared corpus (skipped when absent) and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = PROJECT.parent / "shared"


@pytest.fixture(scope="session")
def conformance_repo() -> Path:
    """The snapshot of cncf/k8s-ai-conformance in ../shared, or a clean skip."""
    repo = Path(os.environ.get("K8S_AI_CONFORMANCE_REPO", SHARED / "k8s-ai-conformance"))
    if not (repo / "docs").is_dir():
        pytest.skip(f"no checkout of cncf/k8s-ai-conformance at {repo}")
    return repo


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                   ) -> Path:
    """Never read or fill the user's real checklist cache."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("K8S_AI_EVIDENCE_CACHE", str(cache))
    return cache


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def run_cli():
    """Run ``k8s-ai-evidence`` as a real process: real exit codes, real stdout and stderr."""

    def run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> CliResult:
        full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
        proc = subprocess.run([sys.executable, "-m", "generator", *map(str, args)],
                              cwd=cwd or PROJECT, env=full_env, capture_output=True, text=True,
                              timeout=timeout)
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    return run
