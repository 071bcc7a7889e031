"""publish as a vendor runs it: build first when needed, the versioned path from platform.yaml."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.publish.repos import vendor_repo

DATA = Path(__file__).resolve().parent.parent / "data"


def test_publish_builds_then_commits_under_the_versioned_path(tmp_path: Path, run_cli) -> None:
    repo = vendor_repo(tmp_path / "vendor")
    workspace = tmp_path / "workspace"
    shutil.copytree(DATA / "evidence-tree", workspace)
    args = ("publish", "--repo", tmp_path / "vendor", "--workspace", workspace, "--out",
            tmp_path / "out", "--checklist", DATA / "checklist" / "AIConformance-1.35.yaml")
    result = run_cli(*args, "--output", "json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["path"] == "v1.35/2026-03-02" and "warning" not in payload
    assert payload["url"] == "https://evidence.fixture.example/v1.35/2026-03-02/"
    pages = repo.heads["gh-pages"].commit
    assert (pages.tree / "v1.35/2026-03-02/index.html").type == "blob"
    again = run_cli(*args)
    assert again.exit_code == 2 and "already published" in again.stderr
    other = run_cli(*args, "--path", "v1.35/manual")
    assert other.exit_code == 0 and "site.versionedPath is v1.35/2026-03-02" in other.stdout


def test_a_wrong_repo_or_path_is_said_before_any_build(tmp_path: Path, run_cli) -> None:
    workspace = tmp_path / "workspace"
    shutil.copytree(DATA / "evidence-tree", workspace)
    args = ("publish", "--workspace", workspace, "--out", tmp_path / "out")
    result = run_cli(*args, "--repo", tmp_path / "no-repo")
    assert result.exit_code == 2 and "--repo" in result.stderr
    vendor_repo(tmp_path / "vendor")
    result = run_cli(*args, "--repo", tmp_path / "vendor", "--path", "../v1")
    assert result.exit_code == 2 and "--path '../v1'" in result.stderr
    platform = workspace / "platform.yaml"
    platform.write_text(platform.read_text().replace('versionedPath: "', 'versionedPath: "../'))
    result = run_cli(*args, "--repo", tmp_path / "vendor")
    assert result.exit_code == 2 and "platform.yaml site.versionedPath '../" in result.stderr
    assert not (tmp_path / "out").exists()


def test_build_names_its_own_option_for_a_bad_versioned_path(tmp_path: Path, run_cli) -> None:
    result = run_cli("build", "--workspace", DATA / "evidence-tree", "--out", tmp_path / "out",
                     "--versioned-path", "../v1")
    assert result.exit_code == 2 and "--versioned-path '../v1'" in result.stderr
