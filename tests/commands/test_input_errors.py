"""Bad input a user meets, on every command: one line naming it, exit 2, never a hang."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
WORKSPACE = DATA / "evidence-tree"
CHECKLIST = DATA / "checklist" / "AIConformance-1.35.yaml"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return Path(shutil.copytree(WORKSPACE, tmp_path / "ws"))


def _one_line_error(result, *names: str) -> str:
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert all(name in lines[0] for name in names), lines[0]
    return lines[0]


@pytest.mark.parametrize("option", [
    ("import", "{file}"),
    ("attest", "--key", "{file}"),
    ("verify", "{ws}", "--key", "{file}"),
    ("validate", "--checklist", "{file}"),
    ("collect", "--kubeconfig", "{file}"),
])
def test_a_fifo_given_as_a_file_is_refused_not_read(run_cli, workspace: Path, tmp_path: Path,
                                                    option: tuple[str, ...]) -> None:
    """A FIFO passes click's exists check and would block the first read forever."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    args = [a.format(file=fifo, ws=workspace) for a in option]
    result = run_cli(*args, "--workspace", workspace, timeout=30) if option[0] != "verify" \
        else run_cli(*args, timeout=30)
    _one_line_error(result, str(fifo), "not a regular file")


@pytest.mark.parametrize("args, names", [
    (("import", "/no/such/results.xml"), ("/no/such/results.xml", "import --help")),
    (("diff", "{ws}/platform.yaml", "{ws}"), ("platform.yaml", "is a file")),
    (("verify", "{ws}", "--key", "{ws}/evidence"), ("--key", "is a directory")),
    (("build", "--no-such-option"), ("--no-such-option", "build --help")),
    (("review",), ("at least one PRODUCT.yaml", "review --help")),
])
def test_usage_errors_are_one_line(run_cli, workspace: Path, args: tuple[str, ...],
                                   names: tuple[str, ...]) -> None:
    """click's own errors read like the tool's: one line, what is wrong and where to look."""
    result = run_cli(*(a.format(ws=workspace) for a in args))
    assert _one_line_error(result, *names).startswith("k8s-ai-evidence: error: ")


def test_a_bare_command_group_still_prints_its_help(run_cli) -> None:
    result = run_cli("checklist")
    assert result.exit_code == 2 and "Commands:" in result.stderr


@pytest.mark.parametrize("make, reason", [
    (Path.mkdir, "is a directory"),
    (os.mkfifo, "not a regular file"),
    (lambda p: p.symlink_to("/no/such/platform.yaml"), "No such file"),
])
def test_a_platform_yaml_that_is_no_file_is_named_as_such(run_cli, workspace: Path, make,
                                                         reason: str) -> None:
    """Not "no platform.yaml here", which sends the user to init an existing workspace."""
    (workspace / "platform.yaml").unlink()
    make(workspace / "platform.yaml")
    result = run_cli("validate", "--workspace", workspace, timeout=30)
    _one_line_error(result, "platform.yaml", reason)


@pytest.mark.parametrize("command", [
    ("validate", "--checklist", str(CHECKLIST)),
    ("build", "--checklist", str(CHECKLIST), "--out", "{out}"),
    ("collect", "--dry-run"),
])
def test_an_evidence_tree_that_is_a_file_is_named(run_cli, workspace: Path, tmp_path: Path,
                                                  command: tuple[str, ...]) -> None:
    """Not "no evidence collected yet" (build) or a staging folder's error (collect)."""
    tree = workspace / "evidence" / "v1.35"
    shutil.rmtree(tree)
    tree.write_text("moved by accident\n")
    args = [a.replace("{out}", str(tmp_path / "out")) for a in command]
    result = run_cli(*args, "--workspace", workspace, timeout=60)
    _one_line_error(result, "evidence/v1.35", "not a folder")
