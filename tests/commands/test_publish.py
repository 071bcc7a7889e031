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
