"""cluster_autoscaling replayed (the shipped example's session): pass, each negative case, slow
waits.  pod_autoscaling's tests are in tests/procedures/test_pod_autoscaling.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.procedures import load_procedure
from tests.collect.conftest import make_workspace, override

CA = "cluster_autoscaling"
EXAMPLE_PARAMETERS = {CA: {"parameters": {"acceleratorsPerPod": 4}}}


def _run(replay, session, tmp_path: Path, requirement: str) -> dict:
    workspace = make_workspace(tmp_path / "ws", **{requirement: EXAMPLE_PARAMETERS[requirement]})
    return replay(session, workspace, (requirement,))[requirement]


def _status(result: dict, check_id: str) -> tuple[str, str]:
    check = next(c for c in result["checks"] if c["id"] == check_id)
    return check["status"], check["reason"]


@pytest.mark.parametrize("version", ["1.33", "1.34", "1.35", "1.36"])
def test_every_checklist_version_has_the_procedure(version: str) -> None:
    assert load_procedure(version, CA).checks


def test_all_pass(replay, pass_session, tmp_path: Path) -> None:
    result = _run(replay, pass_session, tmp_path, CA)
    assert result["status"] == "passed", [(c["id"], c["reason"]) for c in result["checks"]]


def test_scale_up_polls_with_diagnostics_on_every_attempt(replay, pass_session,
                                                         tmp_path: Path) -> None:
    _run(replay, pass_session, tmp_path, CA)
    folder = tmp_path / "ws" / "evidence" / "v1.35" / CA
    entries = [json.loads(line) for line in (folder / "transcript.jsonl").open()]
    polls = [e for e in entries if e["step"] == "node-added"]
    assert [e["outcome"] for e in polls] == ["retry"] * 5 + ["passed"]
    diagnostics = [e["step"] for e in entries if e["step"].startswith("node-added.diagnostic")]
    assert len(diagnostics) == 2 * 5  # pods and nodes, after each of the 5 misses


def test_no_new_node_fails_after_the_configured_timeout(replay, pass_session,
                                                       tmp_path: Path) -> None:
    session = override(pass_session, CA, "nvidia.com/gpu.present=true -o jsonpath",
                       stdout="gpu-worker-0 gpu-worker-1")
    workspace = make_workspace(tmp_path / "ws", cluster_autoscaling={
        "parameters": {"acceleratorsPerPod": 4, "scaleUpTimeout": 300}})
    result = replay(session, workspace, (CA,))[CA]
    status, reason = _status(result, "new-node-runs-pod")
    assert status == "failed" and "nothing new" in reason and "over 300s" in reason
    assert result["status"] == "failed"


def test_pod_not_on_a_new_node_fails(replay, pass_session, tmp_path: Path) -> None:
    session = override(pass_session, CA, "status.phase=Running",
                       stdout="gpu-worker-0 gpu-worker-1 gpu-worker-1")
    status, reason = _status(_run(replay, session, tmp_path, CA), "new-node-runs-pod")
    assert status == "failed" and "pod-on-new-node: nothing new" in reason


def test_oversized_pod_scheduled_fails(replay, pass_session, tmp_path: Path) -> None:
    session = override(pass_session, CA, "pod never-fits", stdout="Running")
    status, _ = _status(_run(replay, session, tmp_path, CA), "oversized-pod-no-scale-up")
    assert status == "failed"


def test_node_never_removed_fails(replay, pass_session, tmp_path: Path) -> None:
    stuck = "gpu-worker-0 gpu-worker-1 gpu-worker-2"
    session = override(pass_session, CA, "nvidia.com/gpu.present=true -o jsonpath",
                       stdout=stuck)
    for exchange in session.exchanges:  # the baseline still had two nodes
        if exchange["scope"] == CA and "jsonpath" in " ".join(exchange["argv"]):
            exchange["stdout"] = "gpu-worker-0 gpu-worker-1"
            break
    status, reason = _status(_run(replay, session, tmp_path, CA), "scale-down")
    assert status == "failed" and "still there: gpu-worker-2" in reason


def test_timeout_seconds_caps_the_requirement(replay, pass_session, tmp_path: Path) -> None:
    """platform.yaml timeoutSeconds: polls stop at it, later checks are skipped, cleanup runs."""
    session = override(pass_session, CA, "nvidia.com/gpu.present=true -o jsonpath",
                       stdout="gpu-worker-0 gpu-worker-1")
    workspace = make_workspace(tmp_path / "ws", cluster_autoscaling={
        "parameters": {"acceleratorsPerPod": 4}, "timeoutSeconds": 400})
    result = replay(session, workspace, (CA,))[CA]
    status, reason = _status(result, "new-node-runs-pod")
    assert status == "failed" and "timeoutSeconds (400) ran out" in reason
    assert _status(result, "scale-down") == ("skipped",
                                             "the requirement's timeoutSeconds (400) ran out")
    assert result["checks"][-1]["status"] == "passed"  # cleanup
