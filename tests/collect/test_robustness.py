"""Collect when things go wrong: the tree always matches one run record, the cluster is always
cleaned up, a second collection is refused with the holder named, bad input stops early."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from generator.collect.kubectl import Execution, LiveRunner, Request, Runner
from generator.collect.orchestrate import Collection, CollectOptions, select
from generator.collect.redact import Redactor
from generator.collect.staging import WorkspaceLock
from generator.errors import EnvironmentProblem
from tests.collect.conftest import EXAMPLE_SESSIONS, SESSIONS, THREE, make_workspace


def _snapshot(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


class _Spy:
    """Passes commands through; ``hook(line)`` may interrupt or fail one."""

    def __init__(self, inner: Runner, hook) -> None:
        self.inner, self.hook, self.ran = inner, hook, []

    def run(self, request: Request) -> Execution:
        line = " ".join(request.argv)
        self.ran.append(line)
        self.hook(line)
        return self.inner.run(request)

    def cancel(self) -> None:
        self.inner.cancel()


def _collection(workspace, hook) -> tuple[Collection, dict[str, _Spy]]:
    collection = Collection(workspace, CollectOptions(replay=(EXAMPLE_SESSIONS,), parallel=3))
    spy: dict[str, _Spy] = {}
    original = collection._runner

    def runner() -> Runner:
        spy["runner"] = _Spy(original(), hook)
        return spy["runner"]

    collection._runner = runner  # type: ignore[method-assign]
    return collection, spy


def test_ctrl_c_after_some_requirements_finished_changes_nothing(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws")
    Collection(workspace, CollectOptions(replay=(EXAMPLE_SESSIONS,))).run(select(workspace, ()))
    before = _snapshot(workspace.evidence_dir)
    finished = threading.Event()

    def hook(line: str) -> None:
        # dra_support and gang_scheduling run to the end first; then Ctrl-C
        if "secure-accelerator" in line and "exec granted" in line:
            finished.wait(5)
            collection.cancel.set()
        if line.startswith("kubectl delete namespace aic-gang-scheduling-"):
            finished.set()

    collection, _ = _collection(workspace, hook)
    with pytest.raises(KeyboardInterrupt):
        collection.run(select(workspace, ()))
    assert finished.is_set()
    assert _snapshot(workspace.evidence_dir) == before  # run.json and every folder: one run
    assert not [p for p in workspace.evidence_dir.iterdir() if p.name.startswith(".")]


def test_a_full_disk_during_cleanup_still_deletes_the_namespace(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws", dra_support={})

    def hook(line: str) -> None:
        if line.startswith("kubectl delete pods"):
            raise OSError(errno.ENOSPC, "No space left on device")

    collection, spy = _collection(workspace, hook)
    with pytest.raises(OSError, match="No space left"):
        collection.run(select(workspace, ()))
    assert any(line.startswith("kubectl delete namespace aic-dra-support-")
               for line in spy["runner"].ran)
    assert not workspace.evidence_dir.exists() or not any(workspace.evidence_dir.iterdir())


def test_output_the_disk_refuses_is_drained_not_stalled(tmp_path: Path) -> None:
    """Writes fail with ENOSPC (/dev/full); the command still finishes at once."""
    kubectl = tmp_path / "kubectl"
    kubectl.write_text(f"#!{sys.executable}\nimport sys\nfor _ in range(100000):\n"
                       "    sys.stdout.write('x' * 80 + '\\n')\n")
    kubectl.chmod(0o755)
    folder = tmp_path / "req"
    (folder / "output").mkdir(parents=True)
    (folder / "output" / "out.txt").symlink_to("/dev/full")
    request = Request("dra_support", ["kubectl", "get", "pods"], None, 60.0, folder,
                      "output/out.txt", "output/err.txt")
    start = time.monotonic()
    execution = LiveRunner(str(kubectl), Redactor.from_workspace(())).run(request)
    assert time.monotonic() - start < 30
    assert execution.exit_code == 0
    assert execution.error == "cannot write output/out.txt: No space left on device"


def test_a_second_collection_is_refused_naming_the_holder(tmp_path: Path, run_cli) -> None:
    # two of the example's requirements whose sessions pass under issue 9's engine
    workspace = make_workspace(tmp_path / "ws", dra_support={}, gang_scheduling={})
    with WorkspaceLock(workspace.evidence_dir):
        result = run_cli("collect", "--workspace", workspace.root, "--replay", EXAMPLE_SESSIONS)
        assert result.exit_code == 3
        assert f"another collection is running on this workspace (pid {os.getpid()} on" in \
            result.stderr
    with pytest.raises(EnvironmentProblem), WorkspaceLock(workspace.evidence_dir), \
            WorkspaceLock(workspace.evidence_dir):
        pass
    assert run_cli("collect", "--workspace", workspace.root, "--replay",
                   EXAMPLE_SESSIONS).exit_code == 0


def test_an_invalid_regex_parameter_stops_before_anything_runs(tmp_path: Path,
                                                               run_cli) -> None:
    requirement = "virtualized_accelerator"  # its virtualPattern is a regular expression
    workspace = make_workspace(tmp_path / "ws", **{r: {} for r in THREE},
                               **{requirement: {"variant": "dra"}})
    sessions = ("--replay", EXAMPLE_SESSIONS, "--replay",
                SESSIONS / f"{requirement}-dra-pass.yaml")
    assert run_cli("collect", "--workspace", workspace.root, *sessions).exit_code == 0
    before = _snapshot(workspace.evidence_dir)
    procedure = select(workspace, (requirement,)).procedures[0]
    parameter = next(k for k in procedure.parameters if "Pattern" in k)
    platform = yaml.safe_load((workspace.root / "platform.yaml").read_text())
    platform["requirements"][requirement]["parameters"] = {parameter: "(("}
    (workspace.root / "platform.yaml").write_text(yaml.safe_dump(platform))
    result = run_cli("collect", "--workspace", workspace.root, *sessions)
    assert result.exit_code == 2 and "not a valid regular expression" in result.stderr
    assert parameter in result.stderr and "Traceback" not in result.stderr
    assert _snapshot(workspace.evidence_dir) == before


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_pipe_or_device_as_replay_is_refused_at_once(tmp_path: Path, run_cli,
                                                       kind: str) -> None:
    workspace = make_workspace(tmp_path / "ws")
    source = Path("/dev/zero")
    if kind == "fifo":
        source = tmp_path / "session.yaml"
        os.mkfifo(source)
    result = run_cli("collect", "--workspace", workspace.root, "--replay", source)
    assert result.exit_code == 2 and "not a regular file" in result.stderr


@pytest.fixture
def read_only_workspace(tmp_path: Path):
    """A workspace on a read-only bind mount (root ignores permission bits, not mounts)."""
    workspace = make_workspace(tmp_path / "ws")
    mounted = subprocess.run(["mount", "--bind", "-o", "ro", str(workspace.root),
                              str(workspace.root)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount read-only here: {mounted.stderr.decode().strip()}")
    try:
        yield workspace
    finally:
        subprocess.run(["umount", str(workspace.root)], check=True)


def test_a_read_only_workspace_is_one_line(read_only_workspace, run_cli) -> None:
    result = run_cli("collect", "--workspace", read_only_workspace.root, "--replay",
                     EXAMPLE_SESSIONS)
    assert result.exit_code == 3, result.stderr
    assert "Read-only file system" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
