"""Replayed sessions of the three first procedures: all pass, each negative case, timeouts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generator.collect.session import Session
from generator.errors import InputError
from generator.evidence.model import RunMode
from generator.evidence.tree import EvidenceTree
from generator.importers.merge import import_file
from generator.schemas import schema_issues
from generator.workspace import Workspace
from tests.collect.conftest import (
    SESSIONS,
    THREE,
    make_workspace,
    override,
)

DEVICE_LINE = "GPU 0: NVIDIA L4 (UUID: GPU-4d2b9e2a-71c3-5f08-a9e6-1b7c0d3e5f42)\n"
DESCRIBE = (SESSIONS / "describe-dra-consumer-pending.txt").read_text()


def _check(result: dict, check_id: str) -> dict:
    return next(c for c in result["checks"] if c["id"] == check_id)


def test_everything_passes_and_the_tree_is_complete(replay, pass_session, tmp_path: Path) -> None:
    results = replay(pass_session)
    assert {r: results[r]["status"] for r in THREE} == dict.fromkeys(THREE, "passed")
    tree = EvidenceTree.load(tmp_path / "ws" / "evidence" / "v1.35")
    assert set(tree.requirements) == set(THREE)
    assert tree.run and tree.run.mode is RunMode.REPLAY and tree.run.server_version == "v1.35.0"
    assert tree.run.probe.dra and tree.run.probe.dra.device_classes
    for requirement in tree.requirements.values():
        entries = [e.to_json() for e in requirement.transcript()]
        assert entries and all(not schema_issues(e, "transcript") for e in entries)
        for entry in entries:
            for stream in (entry["stdout"], entry["stderr"]):
                assert (requirement.folder / stream["path"]).stat().st_size == stream["bytes"]
        assert (requirement.folder / "procedure.sh").read_text().startswith("#!/usr/bin/env bash")
        assert requirement.files("manifests")
        assert not requirement.folder.with_name(f".staging-{requirement.requirement}").exists()
        cleanup = requirement.result.checks[-1]
        assert cleanup.role == "cleanup" and cleanup.status == "passed"


def test_run_id_is_put_back_in_outputs(replay, pass_session, tmp_path: Path) -> None:
    replay(pass_session, requirements=("dra_support",))
    folder = tmp_path / "ws" / "evidence" / "v1.35" / "dra_support"
    entries = [json.loads(line) for line in (folder / "transcript.jsonl").open()]
    created = entries[1]["stdout"]["head"]
    namespace = next(w for w in entries[-1]["command"] if w.startswith("aic-dra-support-"))
    assert created == f"namespace/{namespace} created\n" and "<run-id>" not in created
    manifest = (folder / "manifests" / "claim-pod.yaml").read_text()
    assert f"namespace: {namespace}" in manifest







def test_a_timed_out_wait_fails_with_diagnostics(replay, pass_session, tmp_path: Path) -> None:
    session = override(pass_session, "dra_support", "pod/dra-consumer", exitCode=None,
                       timedOut=True, stdout="", durationSeconds=400.0)
    namespace = "aic-dra-support-<run-id>"
    session.exchanges.append({
        "scope": "dra_support", "argv": ["kubectl", "describe", "pod", "dra-consumer", "-n",
                                         namespace], "exitCode": 0, "stdout": DESCRIBE})
    result = replay(session, requirements=("dra_support",))["dra_support"]
    check = _check(result, "claim-allocated")
    assert check["status"] == "failed" and "timed out" in check["reason"]
    assert _check(result, "unsatisfiable-claim-pending")["status"] == "passed"
    folder = tmp_path / "ws" / "evidence" / "v1.35" / "dra_support"
    entries = [json.loads(line) for line in (folder / "transcript.jsonl").open()]
    timed_out = next(e for e in entries if e["timedOut"])
    assert timed_out["exitCode"] is None and timed_out["outcome"] == "failed"
    diagnostics = [e for e in entries if e["outcome"] == "info"]
    assert [e["step"] for e in diagnostics] == ["wait-ready.diagnostic-1",
                                               "wait-ready.diagnostic-2"]
    assert diagnostics[0]["exitCode"] == 0
    assert "FailedScheduling" in diagnostics[0]["stdout"]["head"]
    assert "no recorded output" in diagnostics[1]["message"]  # not in the session: shown as such
    assert str(tmp_path) not in diagnostics[1]["message"]  # the collector's paths stay home


def test_a_poll_that_never_succeeds_stops_at_its_timeout(replay, pass_session, tmp_path) -> None:
    empty = next(e["stdout"] for e in pass_session.exchanges
                 if "job-name=gang-too-big" in " ".join(e["argv"]))
    session = override(pass_session, "gang_scheduling", "job-name=gang-fits -o json",
                       stdout=empty)
    result = replay(session, requirements=("gang_scheduling",))["gang_scheduling"]
    check = _check(result, "gang-fits-admitted")
    assert check["status"] == "failed"
    assert "0 of 0 pods bound" in check["reason"] and "over 120s" in check["reason"]
    assert result["status"] == "failed"



def test_unrecorded_command_makes_the_check_unknown(replay, pass_session) -> None:
    session = Session(pass_session.kubernetes_version, pass_session.probe,
                      [e for e in pass_session.exchanges if "kueue.x-k8s.io cluster-queue"
                       not in " ".join(e["argv"])])
    result = replay(session, requirements=("gang_scheduling",))["gang_scheduling"]
    assert _check(result, "kueue-ready")["status"] == "unknown"
    assert _check(result, "gang-fits-admitted")["status"] == "skipped"
    assert result["status"] == "unknown" and result["conformance"] is None


@pytest.mark.parametrize("declared", ["N/A", "Not Implemented"])
def test_declarations_are_written_without_running(replay, pass_session, tmp_path, declared):
    workspace = make_workspace(tmp_path / "wsd", pod_autoscaling={
        "status": declared, "reason": "no autoscaler on this platform"})
    result = replay(pass_session, workspace)["pod_autoscaling"]
    assert result["source"] == "declared" and result["status"] == "declared"
    assert result["conformance"] == declared and result["checks"] == []


def test_imported_results_survive_a_recollect(replay, pass_session, tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws")
    replay(pass_session, workspace)
    log = Path(__file__).resolve().parent.parent / "data" / "importers" / "go-test-v.log"
    import_file(workspace, log, forced="gang_scheduling")
    result = replay(pass_session, workspace)["gang_scheduling"]
    imported = [c for c in result["checks"] if c.get("provenance")]
    assert imported and all(c["provenance"]["file"].startswith("imported/") for c in imported)
    assert result["status"] == "failed"  # the imported failure counts, as after the import
    assert _check(result, "gang-fits-admitted")["status"] == "passed"


def test_run_record_keeps_probe_errors_and_no_local_paths(replay, pass_session,
                                                          tmp_path: Path) -> None:
    broken = Session(pass_session.kubernetes_version,
                     {"probeError": "ApiException: (403) nodes is forbidden"},
                     pass_session.exchanges)
    replay(broken, requirements=("dra_support",))
    run = EvidenceTree.load(tmp_path / "ws" / "evidence" / "v1.35").run
    assert run and run.probe.error and run.probe.error.startswith("ApiException: (403)")
    assert run.probe.nodes is None and "nodes" not in run.to_json()
    assert "/" not in (run.session or "")  # the session lies outside the workspace


def test_a_session_probe_that_is_no_environment_is_named_before_the_run(
        replay, pass_session, tmp_path: Path) -> None:
    broken = Session(pass_session.kubernetes_version, {"nodes": [{"osImage": "Linux"}]},
                     pass_session.exchanges)
    with pytest.raises(InputError, match=r"session\.yaml: probe: not the environment .*'name'"):
        replay(broken, requirements=("dra_support",))
    assert not (tmp_path / "ws" / "evidence").exists()  # nothing collected, nothing written


def test_a_redaction_rule_that_breaks_the_run_record_is_named(replay, pass_session,
                                                              tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws")
    platform = {**workspace.platform,
                "redact": [{"name": "mode", "pattern": "replay", "replacement": "x"}]}
    (workspace.root / "platform.yaml").write_text(yaml.safe_dump(platform), encoding="utf-8")
    with pytest.raises(InputError, match=r"run\.json: mode: 'x' is not one of"):
        replay(pass_session, Workspace.load(workspace.root), ("dra_support",))
