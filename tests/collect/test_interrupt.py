"""Ctrl-C mid-run: the cluster is still cleaned up and the previous evidence stays intact."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.collect.kubectl import Execution, Request, Runner
from generator.collect.orchestrate import Collection, CollectOptions, select
from tests.collect.conftest import make_workspace


class _InterruptAt:
    """Passes commands through; the one containing ``trigger`` simulates Ctrl-C."""

    def __init__(self, inner: Runner, trigger: str, collection: Collection) -> None:
        self.inner, self.trigger, self.collection = inner, trigger, collection
        self.ran: list[str] = []

    def run(self, request: Request) -> Execution:
        line = " ".join(request.argv)
        self.ran.append(line)
        if self.trigger in line:
            self.collection.cancel.set()
        return self.inner.run(request)

    def cancel(self) -> None:
        self.inner.cancel()


def test_interrupted_run_cleans_up_and_keeps_previous_evidence(pass_session, tmp_path: Path
                                                               ) -> None:
    workspace = make_workspace(tmp_path / "ws")
    session_path = tmp_path / "session.yaml"
    pass_session.save(session_path)
    options = CollectOptions(replay=(session_path,), parallel=3)
    Collection(workspace, options).run(select(workspace, ()))
    evidence = workspace.evidence_dir
    (evidence / "secure_accelerator_access" / "notes.md").write_text("Our own words.\n")
    before = {p.relative_to(evidence): p.read_bytes() for p in evidence.rglob("*") if p.is_file()}

    collection = Collection(workspace, options)
    spy: dict[str, _InterruptAt] = {}
    original = collection._runner

    def runner() -> Runner:
        spy["runner"] = _InterruptAt(original(), "exec granted", collection)
        return spy["runner"]

    collection._runner = runner  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        # only the interrupted requirement: others running beside it could legitimately
        # finish (and swap in new evidence) before the interrupt reaches them
        collection.run(select(workspace, ("secure_accelerator_access",)))

    after = {p.relative_to(evidence): p.read_bytes() for p in evidence.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in evidence.iterdir() if p.name.startswith(".")]
    ran = spy["runner"].ran
    assert any(line.startswith("kubectl delete namespace aic-secure-accelerator-access-")
               for line in ran)
    interrupted_at = ran.index(next(line for line in ran if "exec granted" in line))
    assert not any("no-request" in line for line in ran[interrupted_at:])


def test_cli_exit_code_130_on_keyboard_interrupt(monkeypatch, tmp_path: Path) -> None:
    from generator import cli
    from generator.collect import orchestrate

    make_workspace(tmp_path / "ws")

    def interrupted(self, selection):
        raise KeyboardInterrupt

    monkeypatch.setattr(orchestrate.Collection, "run", interrupted)
    monkeypatch.setattr("sys.argv", ["k8s-ai-evidence", "collect", "--workspace",
                                     str(tmp_path / "ws"), "--replay", __file__])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 130
