"""Recording and replaying at the kubectl boundary; normalization of run ids and names."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.collect.kubectl import Execution, Request, captures
from generator.collect.redact import Redactor
from generator.collect.session import (
    RecordingRunner,
    ReplayRunner,
    Session,
    normalize_argv,
)
from generator.errors import InputError

REDACTOR = Redactor.from_workspace()


class _FakeCluster:
    """Stands in for LiveRunner: prints what kubectl would, including a secret."""

    def run(self, request: Request) -> Execution:
        out, err = captures(request, REDACTOR)
        out.feed_lines([f"namespace/{request.argv[-1]} created\n", "token: s3cr3t-value-xyz\n"])
        return Execution(request.argv, datetime.now(UTC), 0.5, 0, False, out.close(),
                         err.close())

    def cancel(self) -> None:
        pass


def _request(folder: Path, *argv: str) -> Request:
    return Request("dra_support", ["kubectl", *argv], None, 10, folder, "o.txt", "e.txt")


def test_normalization_of_run_ids_and_generated_names() -> None:
    argv = ["kubectl", "logs", "gang-fits-0-x5v7m", "-n", "aic-dra-support-1a2b3c",
            "pod/dra-consumer", "--timeout=300s"]
    assert normalize_argv(argv, "1a2b3c") == [
        "kubectl", "logs", "gang-fits-0-<gen>", "-n", "aic-dra-support-<run-id>",
        "pod/dra-consumer", "--timeout=300s"]


def test_record_then_replay_with_another_run_id(tmp_path: Path) -> None:
    session = Session("v1.35")
    recorder = RecordingRunner(_FakeCluster(), session, "1a2b3c")
    recorder.run(_request(tmp_path, "create", "namespace", "aic-x-1a2b3c"))
    path = tmp_path / "session.yaml"
    session.save(path)
    text = path.read_text()
    assert "s3cr3t" not in text and "<run-id>" in text and "1a2b3c" not in text

    replay = ReplayRunner(Session.load(path), "9f8e7d", REDACTOR)
    execution = replay.run(_request(tmp_path, "create", "namespace", "aic-x-9f8e7d"))
    assert execution.exit_code == 0 and execution.duration == 0.5
    assert (tmp_path / "o.txt").read_text() == ("namespace/aic-x-9f8e7d created\n"
                                                "token: [REDACTED]\n")


def test_replay_answers_in_order_then_repeats_the_last(tmp_path: Path) -> None:
    argv = ["kubectl", "get", "pod", "p", "-o", "jsonpath={.status.phase}"]
    session = Session("v1.35", exchanges=[
        {"scope": "dra_support", "argv": argv, "exitCode": 0, "stdout": phase}
        for phase in ("Pending", "Running")])
    replay = ReplayRunner(session, "abc123", REDACTOR)
    phases = []
    for _ in range(3):
        replay.run(_request(tmp_path, *argv[1:]))
        phases.append((tmp_path / "o.txt").read_text())
    assert phases == ["Pending", "Running", "Running"]
    missing = replay.run(_request(tmp_path, "get", "nodes"))
    assert missing.exit_code is None and "no recorded output for kubectl get nodes" in (
        missing.error or "")


def _save(path: Path, version: str = "v1.35", probe: dict | None = None,
          argv: tuple[str, ...] = ("kubectl", "version")) -> Path:
    Session(version, probe or {}, [{"scope": "preflight", "argv": list(argv),
                                    "exitCode": 0}]).save(path)
    return path


def test_a_folder_of_sessions_is_joined_in_name_order(tmp_path: Path) -> None:
    _save(tmp_path / "b.yaml", argv=("kubectl", "get", "b"))
    _save(tmp_path / "_probe.yaml", probe={"nodes": []}, argv=("kubectl", "get", "a"))
    extra = _save(tmp_path.parent / "extra.yaml", argv=("kubectl", "get", "c"))
    joined = Session.load_all([tmp_path, extra])
    assert [e["argv"][-1] for e in joined.exchanges] == ["a", "b", "c"]
    assert joined.probe == {"nodes": []} and str(tmp_path) in joined.source


def test_joined_sessions_must_agree(tmp_path: Path) -> None:
    one = _save(tmp_path / "one.yaml", probe={"nodes": []})
    with pytest.raises(InputError, match=r"recorded for v1\.34"):
        Session.load_all([one, _save(tmp_path / "two.yaml", "v1.34")])
    with pytest.raises(InputError, match="second probe"):
        Session.load_all([one, _save(tmp_path / "three.yaml", probe={"nodes": []})])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no session file"):
        Session.load_all([tmp_path / "empty"])
