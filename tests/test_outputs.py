"""The tool only replaces what it made: build --out, review --site, collect --junit/--record
refuse inputs and foreign files (exit 2, one line); what it writes is readable like any
git-tracked file."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from generator.outputs import MARKER
from tests.collect.conftest import EXAMPLE_SESSIONS

DATA = Path(__file__).resolve().parent / "data"
CHECKLIST = DATA / "checklist" / "AIConformance-1.35.yaml"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(DATA / "evidence-tree", tmp_path / "ws")
    return tmp_path / "ws"


def _one_line_exit_2(result, *needles: str) -> None:
    assert result.exit_code == 2, result.stdout + result.stderr
    [line] = result.stderr.strip().splitlines()
    assert all(n in line for n in needles) and "Traceback" not in line, line


def test_build_out_over_a_foreign_folder_or_the_workspace_is_refused(run_cli, workspace: Path,
                                                                     tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work")
    (mine / "site").mkdir()
    _one_line_exit_2(run_cli("build", "--workspace", workspace, "--checklist", CHECKLIST,
                             "--out", mine), "--out", "thesis.tex")
    assert (mine / "thesis.tex").read_text() == "years of work" and (mine / "site").is_dir()
    platform = (workspace / "platform.yaml").read_bytes()
    _one_line_exit_2(run_cli("build", "--workspace", workspace, "--checklist", CHECKLIST,
                             "--out", workspace), "platform.yaml")
    assert (workspace / "platform.yaml").read_bytes() == platform
    assert not (workspace / "mkdocs.yml").exists() and not (workspace / MARKER).exists()
    inside = workspace / "evidence/v1.35/new-folder"
    _one_line_exit_2(run_cli("build", "--workspace", workspace, "--checklist", CHECKLIST,
                             "--out", inside), "evidence")
    assert not inside.exists()


def test_build_out_new_then_again_and_files_are_readable(run_cli, workspace: Path,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "out"
    for _ in range(2):
        result = run_cli("build", "--workspace", workspace, "--checklist", CHECKLIST,
                         "--out", out)
        assert result.exit_code == 0, result.stderr
    assert (out / MARKER).is_file()
    product = next((out / "submission").rglob("PRODUCT.yaml"))
    for path in (product, out / "site/index.html", out / "mkdocs.yml",
                 out / "site/requirements/dra_support/result.json"):
        assert stat.S_IMODE(path.stat().st_mode) & 0o044 == 0o044, path  # group/other read
    legacy = tmp_path / "legacy"  # an earlier version's output: only what build writes
    (legacy / "site").mkdir(parents=True)
    (legacy / "mkdocs.yml").write_text("site_name: old\n")
    assert run_cli("build", "--workspace", workspace, "--checklist", CHECKLIST,
                   "--out", legacy).exit_code == 0


def test_review_site_over_a_foreign_folder_is_refused(run_cli, tmp_path: Path,
                                                      conformance_repo: Path) -> None:
    site = tmp_path / "review"
    site.mkdir()
    (site / "notes.txt").write_text("mine")
    _one_line_exit_2(run_cli("review", conformance_repo / "v1.34", "--conformance-repo",
                             conformance_repo, "--site", site), "--site", "notes.txt")
    assert (site / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("option", ["--junit", "--record"])
@pytest.mark.parametrize("target", ["platform.yaml", "mkdocs.yml",
                                    "evidence/v1.35/dra_support/notes.md", "../mine.xml"])
def test_collect_never_writes_over_an_input(run_cli, tmp_path: Path, option: str,
                                            target: str) -> None:
    from tests.collect.conftest import make_workspace

    workspace = make_workspace(tmp_path / "ws").root
    path = workspace / target
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text("precious\n")
    before = path.read_bytes()
    args = ["collect", "--workspace", workspace, option, path]
    if option == "--junit":
        args += ["--replay", EXAMPLE_SESSIONS]
    result = run_cli(*args)
    _one_line_exit_2(result, option)
    assert path.read_bytes() == before


def test_collect_junit_replaces_its_own_file(run_cli, tmp_path: Path) -> None:
    from tests.collect.conftest import make_workspace

    workspace = make_workspace(tmp_path / "ws").root
    junit = tmp_path / "results.xml"
    for _ in range(2):
        result = run_cli("collect", "--workspace", workspace, "--replay", EXAMPLE_SESSIONS,
                         "--junit", junit)
        assert result.exit_code == 0, result.stderr
    assert b'<testsuites name="k8s-ai-evidence"' in junit.read_bytes()


def test_imported_and_collected_files_are_readable(run_cli, workspace: Path) -> None:
    result = run_cli("import", DATA / "importers/ginkgo-junit.xml", "--workspace", workspace,
                     "--requirement", "dra_support")
    assert result.exit_code in (0, 1), result.stderr
    folder = workspace / "evidence/v1.35/dra_support"
    for path in [*folder.joinpath("imported").iterdir(), folder / "result.json"]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o044 == 0o044, path
