"""Fixtures shared by every test: the shared corpus and a CLI runner.

The corpus (a snapshot of cncf/k8s-ai-conformance in ``../shared``) is found in one place,
:func:`conformance_repo`: a test that needs it is skipped on a developer's machine without
it, and fails in CI (``$CI`` set), where a skip would hide that parity went untested."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
REPO_ENV = "K8S_AI_CONFORMANCE_REPO"
CORPUS = Path("shared") / "k8s-ai-conformance"


def corpus_candidates() -> list[Path]:
    """``$K8S_AI_CONFORMANCE_REPO`` when set, else ``shared/k8s-ai-conformance`` beside the
    project or beside any folder above it (a git worktree sits deeper than the checkout)."""
    if os.environ.get(REPO_ENV):
        return [Path(os.environ[REPO_ENV])]
    return [parent / CORPUS for parent in PROJECT.parents]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def conformance_repo() -> Path:
    """The checkout of cncf/k8s-ai-conformance the parity, importer and site tests read."""
    candidates = corpus_candidates()
    for repo in candidates:
        if (repo / "docs").is_dir():
            return repo
    looked = ", ".join(map(str, candidates[:3])) + (", ..." if len(candidates) > 3 else "")
    message = (f"no checkout of cncf/k8s-ai-conformance (looked at {looked}); set "
               f"${REPO_ENV} or put it at ../shared/k8s-ai-conformance")
    if in_ci():
        pytest.fail(f"CI: {message}")
    pytest.skip(message)


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
            timeout: float = 120, stdin: str = "") -> CliResult:
        full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
        proc = subprocess.run([sys.executable, "-m", "generator", *map(str, args)],
                              cwd=cwd or PROJECT, env=full_env, capture_output=True, text=True,
                              timeout=timeout, input=stdin)
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    return run
