"""gang_scheduling replayed, Kueue and Volcano: a gang that fits is admitted and scheduled as
a whole, a gang that does not gets no pod bound; Kueue's Workload is found by the job-uid label
Kueue puts on it, at the API version the vendor's Kueue serves."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.procedures import load_procedure
from tests.collect.conftest import EXAMPLE_SESSIONS, SESSIONS, override
from tests.procedures.replaying import (
    assert_failed_by,
    assert_sources_named,
    assert_vendor_neutral,
    reason,
    replay,
    session,
    statuses,
)

SCOPE = "gang_scheduling"
VARIANTS = {"kueue": None, "volcano": "volcano"}  # None: the example's session


@pytest.mark.parametrize("version", ["1.33", "1.34", "1.35", "1.36"])
def test_both_variants_on_every_version(version: str) -> None:
    assert load_procedure(version, SCOPE).variant == "kueue"
    for variant in VARIANTS:
        assert_vendor_neutral(version, SCOPE, variant)


def test_kueue_uses_the_served_version_and_the_job_uid_label() -> None:
    procedure = load_procedure("1.35", SCOPE)
    plan = " ".join(s.run or "" for c in procedure.checks for s in c.steps)
    assert "kueue.x-k8s.io/job-name" not in plan and ".items[0]" not in plan
    assert "-l kueue.x-k8s.io/job-uid=${fitsJobUid}" in plan
    assert "workloads.${kueueVersion}.kueue.x-k8s.io" in plan
    queue = procedure.render_manifest("localqueue.yaml", {**procedure.parameters, "namespace": "n"})
    assert "apiVersion: kueue.x-k8s.io/v1beta2" in queue
    older = load_procedure("1.35", SCOPE, None, {"kueueVersion": "v1beta1"})
    assert "kueue.x-k8s.io/v1beta1" in older.render_manifest(
        "localqueue.yaml", {**older.parameters, "namespace": "n"})


@pytest.mark.parametrize("variant", VARIANTS)
def test_all_pass(tmp_path: Path, variant: str) -> None:
    result = replay(tmp_path, session(SCOPE, VARIANTS[variant]), SCOPE, variant)
    assert result["status"] == "passed", statuses(result)


@pytest.mark.parametrize("variant", VARIANTS)
def test_partial_gang_fails(tmp_path: Path, variant: str) -> None:
    recorded = session(SCOPE, VARIANTS[variant])
    bound = next(e["stdout"] for e in recorded.exchanges
                 if "job-name=gang-fits" in " ".join(e["argv"]) and "gang-fits-0" in e["stdout"])
    result = replay(tmp_path, override(recorded, SCOPE, "job-name=gang-too-big", stdout=bound),
                    SCOPE, variant)
    assert_failed_by(result, "gang-too-big-not-scheduled", "2 of 2 pods bound to a node")
    assert statuses(result)[{"kueue": "gang-fits-admitted",
                             "volcano": "gang-fits-scheduled"}[variant]] == "passed"


def test_kueue_workload_not_created_yet_is_polled_for(tmp_path: Path) -> None:
    """The old `kubectl wait --all` failed at once while no Workload existed; the poll waits."""
    result = replay(tmp_path, session(SCOPE), SCOPE)
    transcript = (tmp_path / "ws/evidence/v1.35/gang_scheduling/transcript.jsonl").read_text()
    assert result["status"] == "passed"
    assert transcript.count('"step": "not-admitted"') == 2  # nothing the first time, then False


@pytest.mark.parametrize(("contains", "fields", "check", "why"), [
    ("job-uid=b2d94f17", {"stdout": "job-gang-too-big-7d4f9\tTrue\tQuota reserved in ClusterQueue "
     "cluster-queue\n"}, "gang-too-big-not-scheduled", "no line matches"),
    ("job-uid=b2d94f17", {"stdout": ""}, "gang-too-big-not-scheduled", "still after"),
    ("job-uid=6f1c2e0a", {"stdout": "job-gang-fits-5b7c2\tFalse\n"}, "gang-fits-admitted",
     "still after"),
    ("get crd localqueues.kueue.x-k8s.io -o", {"stdout": "v1beta1\n"}, "kueue-ready",
     "no line matches /^v1beta2$/"),
    ("clusterqueues.v1beta2", {"exitCode": 1, "stdout": "", "stderr": 'Error from server '
     '(NotFound): clusterqueues.kueue.x-k8s.io "cluster-queue" not found\n'}, "kueue-ready",
     "exit code 1"),
])
def test_kueue_negative_cases_fail(tmp_path: Path, contains: str, fields: dict, check: str,
                                   why: str) -> None:
    broken = override(session(SCOPE), SCOPE, contains, **fields)
    result = replay(tmp_path, broken, SCOPE)
    assert statuses(result)[check] == "failed" and result["status"] != "passed"
    assert why in reason(result, check)


def test_volcano_closed_queue_blocks_the_run(tmp_path: Path) -> None:
    broken = override(session(SCOPE, "volcano"), SCOPE, "queues.scheduling", stdout="Closed")
    result = replay(tmp_path, broken, SCOPE, "volcano")
    assert statuses(result)["volcano-ready"] == "failed"
    assert statuses(result)["gang-fits-scheduled"] == "skipped"


def test_volcano_podgroup_running_for_a_gang_too_big_fails(tmp_path: Path) -> None:
    broken = override(session(SCOPE, "volcano"), SCOPE,
                      "podgroups.scheduling.volcano.sh gang-too-big", stdout="Running")
    assert_failed_by(replay(tmp_path, broken, SCOPE, "volcano"), "gang-too-big-not-scheduled",
                     "no line matches")


@pytest.mark.parametrize("path", [
    EXAMPLE_SESSIONS / "gang_scheduling.yaml",
    SESSIONS / "gang_scheduling-volcano-pass.yaml",
], ids=lambda p: p.name)
def test_sessions_name_their_sources(path: Path) -> None:
    assert_sources_named(path)
