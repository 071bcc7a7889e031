"""The shipped example bundle builds strictly and says it is an example on every page."""

from __future__ import annotations

from pathlib import Path

from generator.bundle import load_bundle
from generator.site import build_evidence_site
from generator.workspace import Workspace

PROJECT = Path(__file__).resolve().parents[2]


def test_example_builds_strict_with_banner_everywhere(tmp_path: Path) -> None:
    workspace = Workspace.load(PROJECT)
    assert workspace.is_example and "Fictional" in workspace.platform["metadata"]["platformName"]
    bundle = load_bundle(workspace)
    assert bundle.tree.requirements, "evidence/v1.35 ships replayed results"
    site = build_evidence_site(bundle, tmp_path, strict=True)
    for path in site.site_dir.rglob("index.html"):
        assert "example bundle" in path.read_text(encoding="utf-8"), path
