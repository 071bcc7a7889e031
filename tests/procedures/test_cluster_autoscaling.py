"""cluster_autoscaling replayed (the shipped example's session): one baseline pod per pool node
fills the group whatever its size, one more pod triggers a scale-up onto a new node, a pod no
node could host triggers none, and the added node goes away; scale from zero works too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.collect.session import Session
from generator.procedures import load_procedure
from tests.collect.conftest import EXAMPLE_SESSIONS, override
from tests.procedures.replaying import (
    assert_failed_by,
    assert_sources_named,
    assert_vendor_neutral,
    reason,
    replay,
    session,
    statuses,
)

SCOPE = "cluster_autoscaling"
POOL = {"nodeLabel": "node.kubernetes.io/instance-type", "nodeLabelValue": "g6.12xlarge",
        "acceleratorsPerPod": 4}  # the example's platform.yaml
NAMES = "instance-type=g6.12xlarge -o jsonpath"


def _run(tmp_path: Path, recorded: Session, **parameters: Any) -> dict[str, Any]:
    return replay(tmp_path, recorded, SCOPE, parameters={**POOL, **parameters})


def _answers(recorded: Session, contains: str, *stdouts: str) -> Session:
    """The exchanges matching ``contains`` answer ``stdouts`` in order (the last repeats)."""
    hits = [e for e in recorded.exchanges
            if e["scope"] == SCOPE and contains in " ".join(e["argv"])]
    for index, exchange in enumerate(hits):
        exchange["stdout"] = stdouts[min(index, len(stdouts) - 1)]
    return recorded


@pytest.mark.parametrize("version", ["1.33", "1.34", "1.35", "1.36"])
def test_every_checklist_version_has_the_procedure(version: str) -> None:
    assert load_procedure(version, SCOPE).checks
    assert_vendor_neutral(version, SCOPE, "default")


def test_the_workload_is_sized_by_the_pool_not_a_constant() -> None:
    procedure = load_procedure("1.35", SCOPE)
    assert "replicas" not in procedure.parameters
    text = procedure.render_manifest("baseline.yaml", {**procedure.parameters, "namespace": "n",
                                                       "poolNodes": "3"})
    assert "replicas: 3" in text and "topologyKey: kubernetes.io/hostname" in text


def test_all_pass(tmp_path: Path) -> None:
    result = _run(tmp_path, session(SCOPE))
    assert result["status"] == "passed", [(c["id"], c["reason"]) for c in result["checks"]]


def test_scale_up_polls_with_diagnostics_on_every_attempt(tmp_path: Path) -> None:
    _run(tmp_path, session(SCOPE))
    folder = tmp_path / "ws" / "evidence" / "v1.35" / SCOPE
    entries = [json.loads(line) for line in (folder / "transcript.jsonl").open()]
    polls = [e for e in entries if e["step"] == "node-added"]
    assert [e["outcome"] for e in polls] == ["retry"] * 5 + ["passed"]
    diagnostics = [e["step"] for e in entries if e["step"].startswith("node-added.diagnostic")]
    assert len(diagnostics) == 2 * 5  # pods and nodes, after each of the 5 misses


def test_scale_from_zero_passes(tmp_path: Path) -> None:
    """The old procedure refused an empty pool; the upstream suite needs one node too."""
    empty = {"apiVersion": "v1", "items": [], "kind": "List", "metadata": {"resourceVersion": ""}}
    recorded = _answers(session(SCOPE), NAMES, *[""] * 6, *["gpu-worker-2"] * 4, "")
    recorded = override(recorded, SCOPE, "{{len .items}}", stdout="0")
    recorded = override(recorded, SCOPE, "{{range .items}}{{.metadata.name}}", stdout="")
    recorded = override(recorded, SCOPE, "app=autoscale-baseline -o json",
                        stdout=json.dumps(empty, indent=4) + "\n")
    recorded = override(recorded, SCOPE, "app=autoscale-baseline -o jsonpath", stdout="")
    recorded = override(recorded, SCOPE, "involvedObject.name=autoscale-trigger,reason=Failed",
                        stdout="LAST SEEN   TYPE      REASON             OBJECT                  "
                        "MESSAGE\n12s         Warning   FailedScheduling   pod/autoscale-trigger   "
                        "0/2 nodes are available: 2 node(s) didn't match Pod's node "
                        "affinity/selector. preemption: 0/2 nodes are available: 2 Preemption "
                        "is not helpful for scheduling.\n")
    result = _run(tmp_path, recorded)
    assert result["status"] == "passed", [(c["id"], c["reason"]) for c in result["checks"]]
    assert "0 now (none), 0 before" in reason(result, "baseline")


def test_a_pool_node_of_another_size_blocks_the_run(tmp_path: Path) -> None:
    recorded = override(session(SCOPE), SCOPE, "{{range .items}}{{.metadata.name}}",
                        stdout="gpu-worker-0\t4\ngpu-worker-1\t8\n")
    result = _run(tmp_path, recorded)
    assert statuses(result)["baseline"] == "failed"
    assert "1 lines match /^\\S+\\t4$/, expected equals 2" in reason(result, "baseline")
    assert statuses(result)["pending-triggers-scale-up"] == "skipped"


def test_a_baseline_pod_that_needed_a_new_node_blocks_the_run(tmp_path: Path) -> None:
    recorded = override(session(SCOPE), SCOPE, "app=autoscale-baseline -o jsonpath",
                        stdout="gpu-worker-0 gpu-worker-2")
    result = _run(tmp_path, recorded)
    assert statuses(result)["baseline"] == "failed"
    assert "still there: gpu-worker-2" in reason(result, "baseline")


def test_a_trigger_pending_for_an_unrelated_reason_fails(tmp_path: Path) -> None:
    recorded = override(session(SCOPE), SCOPE, "autoscale-trigger,reason=FailedScheduling",
                        stdout="LAST SEEN   TYPE      REASON             OBJECT                  "
                        "MESSAGE\n12s         Warning   FailedScheduling   pod/autoscale-trigger   "
                        "0/4 nodes are available: 4 node(s) had untolerated taint "
                        "{example.com/maintenance: }.\n")
    assert_failed_by(_run(tmp_path, recorded), "pending-triggers-scale-up", "no line matches")


def test_no_new_node_fails_after_the_configured_timeout(tmp_path: Path) -> None:
    recorded = _answers(session(SCOPE), NAMES, "gpu-worker-0 gpu-worker-1")
    result = _run(tmp_path, recorded, scaleUpTimeout=300)
    assert_failed_by(result, "new-node-runs-pod", "nothing new")
    assert "over 300s" in reason(result, "new-node-runs-pod")


def test_pod_not_on_a_new_node_fails(tmp_path: Path) -> None:
    recorded = override(session(SCOPE), SCOPE, "autoscale-trigger -n", stdout="gpu-worker-1")
    recorded = override(recorded, SCOPE, "{.status.phase}", stdout="Running")
    assert_failed_by(_run(tmp_path, recorded), "new-node-runs-pod",
                     "pod-on-new-node: nothing new")


def test_oversized_pod_scheduled_fails(tmp_path: Path) -> None:
    recorded = override(session(SCOPE), SCOPE, "pod never-fits", stdout="Running")
    assert_failed_by(_run(tmp_path, recorded), "oversized-pod-no-scale-up", "'Running'")


def test_node_never_removed_fails(tmp_path: Path) -> None:
    stuck = "gpu-worker-0 gpu-worker-1 gpu-worker-2"
    recorded = _answers(session(SCOPE), NAMES, "gpu-worker-0 gpu-worker-1", stuck)
    assert_failed_by(_run(tmp_path, recorded), "scale-down", "still there: gpu-worker-2")


def test_timeout_seconds_caps_the_requirement(tmp_path: Path) -> None:
    """platform.yaml timeoutSeconds: polls stop at it, later checks are skipped, cleanup runs."""
    recorded = _answers(session(SCOPE), NAMES, "gpu-worker-0 gpu-worker-1")
    result = replay(tmp_path, recorded, SCOPE, parameters=POOL, timeoutSeconds=400)
    assert statuses(result)["new-node-runs-pod"] == "failed"
    assert "timeoutSeconds (400) ran out" in reason(result, "new-node-runs-pod")
    assert reason(result, "scale-down") == "the requirement's timeoutSeconds (400) ran out"
    assert result["checks"][-1]["status"] == "passed"  # cleanup


@pytest.mark.parametrize("path", [
    EXAMPLE_SESSIONS / "cluster_autoscaling.yaml",
], ids=lambda p: p.name)
def test_sessions_name_their_sources(path: Path) -> None:
    assert_sources_named(path)
