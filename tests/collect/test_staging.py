"""Staging and the atomic swap: previous evidence survives crashes; vendor files carry over."""

from __future__ import annotations

from pathlib import Path

from generator.collect.staging import Staging, recover


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in root.rglob("*") if p.is_file()}


def test_commit_swaps_and_carries_notes_and_imports(tmp_path: Path) -> None:
    old = tmp_path / "dra_support"
    (old / "imported").mkdir(parents=True)
    (old / "result.json").write_text("old")
    (old / "notes.md").write_text("vendor words")
    (old / "imported" / "junit.xml").write_text("<x/>")
    staging = Staging(tmp_path, "dra_support", "abc123")
    (staging.folder / "result.json").write_text("new")
    staging.commit()
    assert _tree(old) == {"result.json": "new", "notes.md": "vendor words",
                          "imported/junit.xml": "<x/>"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dra_support"]


def test_discard_leaves_previous_evidence(tmp_path: Path) -> None:
    (tmp_path / "dra_support").mkdir()
    (tmp_path / "dra_support" / "result.json").write_text("old")
    staging = Staging(tmp_path, "dra_support", "abc123")
    (staging.folder / "result.json").write_text("half")
    staging.discard()
    assert _tree(tmp_path) == {"dra_support/result.json": "old"}


def test_recover_restores_a_tree_parked_by_a_crash(tmp_path: Path) -> None:
    (tmp_path / ".old-dra_support-abc123").mkdir()
    (tmp_path / ".old-dra_support-abc123" / "result.json").write_text("old")
    (tmp_path / ".staging-gang_scheduling-abc123").mkdir()
    recover(tmp_path)
    assert _tree(tmp_path) == {"dra_support/result.json": "old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dra_support"]
