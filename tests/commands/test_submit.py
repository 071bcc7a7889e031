"""submit as a vendor runs it: build first when needed, the commit, the PR text, exit codes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import git

from tests.submit.forks import make_fork, state

DATA = Path(__file__).resolve().parent.parent / "data"


def _workspace(tmp_path: Path) -> Path:
    """The fixture workspace without its example marker (example data is never submitted)."""
    workspace = tmp_path / "workspace"
    shutil.copytree(DATA / "evidence-tree", workspace)
    platform = workspace / "platform.yaml"
    platform.write_text(platform.read_text().replace("example: true\n", ""))
    return workspace


def _fork(tmp_path: Path) -> git.Repo:
    repo = make_fork(tmp_path / "fork", "1.35")
    shutil.copyfile(DATA / "checklist" / "AIConformance-1.35.yaml",
                    tmp_path / "fork" / "docs" / "AIConformance-1.35.yaml")
    repo.git.add("-A")
    repo.git.commit("-m", "the real 1.35 checklist")
    return repo


def test_submit_builds_first_then_commits_and_prints_the_pr(tmp_path: Path, run_cli) -> None:
    fork = _fork(tmp_path)
    start = fork.head.commit
    result = run_cli("submit", "--fork", tmp_path / "fork", "--workspace", _workspace(tmp_path),
                     "--out", tmp_path / "out", "--sign-off", "--output", "json")
    assert result.exit_code == 0, result.stderr
    assert "running build first" in result.stderr
    payload = json.loads(result.stdout)
    commit = fork.commit(payload["commit"])
    assert commit.parents == (start,) and fork.active_branch.name == "fixture-platform-v1.35"
    assert set(commit.stats.files) == {"v1.35/fixture-platform/PRODUCT.yaml"}
    assert "Signed-off-by: Vendor Engineer" in commit.message
    assert payload["title"].startswith("Add Fixture Platform")
    assert "| `dra_support` | MUST | Implemented |" in payload["body"]


def test_dry_run_text_and_refusal_exit_codes(tmp_path: Path, run_cli) -> None:
    fork = _fork(tmp_path)
    workspace = _workspace(tmp_path)
    before = state(fork)
    dry = run_cli("submit", "--fork", tmp_path / "fork", "--workspace", workspace,
                  "--out", tmp_path / "out", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "dry run" in dry.stdout and "+++ b/v1.35/fixture-platform/PRODUCT.yaml" in dry.stdout
    assert "Pull request body:" in dry.stdout
    assert state(fork) == before
    (tmp_path / "fork" / "faq.md").write_text("edited\n")
    dirty = run_cli("submit", "--fork", tmp_path / "fork", "--workspace", workspace,
                    "--out", tmp_path / "out")
    assert dirty.exit_code == 2 and "uncommitted changes (faq.md)" in dirty.stderr
    assert "Traceback" not in dirty.stderr
    example = run_cli("submit", "--fork", tmp_path / "fork", "--workspace",
                      DATA / "evidence-tree", "--out", tmp_path / "out")
    assert example.exit_code == 2 and "never submitted" in example.stderr


def test_a_build_older_than_the_evidence_is_rebuilt_not_submitted(tmp_path: Path,
                                                                   run_cli) -> None:
    _fork(tmp_path)
    workspace = _workspace(tmp_path)
    args = ("submit", "--fork", tmp_path / "fork", "--workspace", workspace,
            "--out", tmp_path / "out", "--dry-run")
    assert "running build first" in run_cli(*args).stderr
    assert "running build first" not in run_cli(*args).stderr  # current: used as it is
    result = next((workspace / "evidence" / "v1.35").glob("*/result.json"))
    built = tmp_path / "out" / "submission" / "v1.35" / "fixture-platform" / "PRODUCT.yaml"
    stamp = built.stat().st_mtime + 5
    os.utime(result, (stamp, stamp))
    again = run_cli(*args)
    assert again.exit_code == 0 and "running build first" in again.stderr
    assert built.stat().st_mtime >= stamp - 5


def test_a_wrong_fork_or_product_dir_is_said_before_any_build(tmp_path: Path, run_cli) -> None:
    """Not a build first and then "build wrote no PRODUCT.yaml" (exit 3) for a typo."""
    workspace = _workspace(tmp_path)
    result = run_cli("submit", "--fork", tmp_path / "no-fork", "--workspace", workspace,
                     "--out", tmp_path / "out")
    assert result.exit_code == 2 and "--fork" in result.stderr and "no such folder" in (
        result.stderr)
    _fork(tmp_path)
    result = run_cli("submit", "--fork", tmp_path / "fork", "--workspace", workspace,
                     "--out", tmp_path / "out", "--product-dir", "../elsewhere")
    assert result.exit_code == 2 and "--product-dir" in result.stderr
    assert not (tmp_path / "out").exists()
