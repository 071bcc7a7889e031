"""Nothing outside the workspace is read or published: links and special files in the evidence
tree are refused by build, submit and publish (exit 2, one line naming the file) and listed by
validate; collect carries them over unread."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator import safefs
from tests.publish.repos import vendor_repo

DATA = Path(__file__).resolve().parent / "data"
CHECKLIST = DATA / "checklist" / "AIConformance-1.35.yaml"
OUTSIDE = "root:$6$plantedShadowHash:19000:0:99999:7:::\n"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(DATA / "evidence-tree", tmp_path / "ws")
    (tmp_path / "shadow").write_text(OUTSIDE)
    return tmp_path / "ws"


def _planted(root: Path) -> list[Path]:
    return [p for p in root.rglob("*")
            if p.is_file() and not p.is_symlink()
            and "plantedShadowHash" in p.read_text(errors="replace")]


@pytest.mark.parametrize("link", ["dra_support/notes.md", "dra_support/imported/report.xml",
                                  "dra_support/manifests", "ai_inference"])
def test_a_link_in_the_evidence_tree_is_refused_and_listed(run_cli, workspace: Path,
                                                          tmp_path: Path, link: str) -> None:
    path = workspace / "evidence/v1.35" / link
    target = tmp_path / "shadow"
    if path.is_dir():  # a linked folder: a copy outside the workspace, with a planted file
        shutil.copytree(path, tmp_path / "outside")
        (tmp_path / "outside/notes.md").write_text(OUTSIDE)
        shutil.rmtree(path)
        target = tmp_path / "outside"
    path.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)
    build = run_cli("build", "--workspace", workspace, "--checklist", CHECKLIST,
                    "--out", tmp_path / "out")
    assert build.exit_code == 2, build.stdout
    [line] = build.stderr.strip().splitlines()
    assert str(path) in line and "symbolic link" in line and "Traceback" not in line
    assert not _planted(tmp_path / "out") if (tmp_path / "out").exists() else True
    validate = run_cli("validate", "--workspace", workspace, "--checklist", CHECKLIST)
    assert validate.exit_code == 1 and "unsafe-file" in validate.stdout
    assert str(path) in validate.stdout.replace("\n", "")


def test_collect_carries_a_linked_notes_file_over_unread(workspace: Path, tmp_path: Path) -> None:
    from generator.collect.staging import Staging

    evidence = workspace / "evidence/v1.35"
    (evidence / "dra_support/notes.md").unlink()
    os.symlink(tmp_path / "shadow", evidence / "dra_support/notes.md")
    staging = Staging(evidence, "dra_support", "abc123")
    staging.commit()
    assert (evidence / "dra_support/notes.md").is_symlink()
    assert not _planted(workspace)


def test_a_fifo_is_refused_not_waited_for(workspace: Path, tmp_path: Path) -> None:
    fifo = workspace / "evidence/v1.35/dra_support/notes.md"
    fifo.unlink()
    os.mkfifo(fifo)
    with pytest.raises(safefs.UnsafeFile, match="not a regular file"):
        safefs.read_bytes(fifo, fifo.parent)
    with pytest.raises(safefs.UnsafeFile, match=r"notes\.md"):
        safefs.walk(workspace / "evidence")


def test_paths_outside_the_root_and_linked_folders_on_the_way(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real/file.txt").write_text("x")
    os.symlink(tmp_path / "real", tmp_path / "linked")
    with pytest.raises(safefs.UnsafeFile, match="symbolic link"):
        safefs.read_bytes(tmp_path / "linked/file.txt", tmp_path)
    with pytest.raises(safefs.UnsafeFile, match="outside"):
        safefs.read_bytes(tmp_path / "real/../../etc/passwd", tmp_path / "real")
    assert safefs.read_bytes(tmp_path / "real/file.txt", tmp_path) == b"x"


def test_publish_refuses_a_link_planted_in_the_built_site(run_cli, workspace: Path,
                                                         tmp_path: Path) -> None:
    repo = vendor_repo(tmp_path / "vendor")
    build = run_cli("build", "--workspace", workspace, "--checklist", CHECKLIST,
                    "--out", tmp_path / "out")
    assert build.exit_code == 0, build.stderr
    os.symlink(tmp_path / "shadow", tmp_path / "out/site/shadow.txt")
    publish = run_cli("publish", "--repo", tmp_path / "vendor", "--workspace", workspace,
                      "--out", tmp_path / "out", "--checklist", CHECKLIST)
    assert publish.exit_code == 2 and "shadow.txt" in publish.stderr, publish.stderr
    assert "gh-pages" not in [h.name for h in repo.heads]


def test_import_never_writes_through_a_linked_folder(run_cli, workspace: Path,
                                                     tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    imported = workspace / "evidence/v1.35/dra_support/imported"
    shutil.rmtree(imported, ignore_errors=True)
    os.symlink(elsewhere, imported)
    result = run_cli("import", DATA / "importers/ginkgo-junit.xml", "--workspace", workspace,
                     "--requirement", "dra_support")
    assert result.exit_code == 2 and "symbolic link" in result.stderr, result.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_linked_workspace_template_is_refused(run_cli, workspace: Path,
                                                tmp_path: Path) -> None:
    (workspace / "site-templates").mkdir()
    os.symlink(tmp_path / "shadow", workspace / "site-templates/requirement.md.j2")
    result = run_cli("build", "--workspace", workspace, "--checklist", CHECKLIST,
                     "--out", tmp_path / "out")
    assert result.exit_code == 2 and "requirement.md.j2" in result.stderr, result.stderr
    assert not _planted(tmp_path / "out") if (tmp_path / "out").exists() else True


def test_a_linked_folder_in_the_build_output_is_refused(run_cli, workspace: Path,
                                                        tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "out/markdown")
    result = run_cli("build", "--workspace", workspace, "--checklist", CHECKLIST,
                     "--out", tmp_path / "out")
    assert result.exit_code == 2 and "markdown" in result.stderr, result.stderr
    assert list((tmp_path / "elsewhere").iterdir()) == []
