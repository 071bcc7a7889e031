"""The suite's artifacts in a submission: what is cited, what never keeps an artifact's name,
and the pull request's v1.37 checklist item."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.review.findings import SubmissionReport
from generator.submit.pr import checklist
from generator.upstream.artifacts import hybrid, load_artifacts, rename_lookalikes
from generator.upstream.gotest import convert
from generator.upstream.suite import SUITE_DIR
from tests.upstream.conftest import STREAMS

ITEM = "Requirements covered by the upstream AI conformance suite cite its test artifacts"


@pytest.mark.parametrize(("tag", "expected"), [("v1.36", False), ("v1.37", True),
                                                ("v1.40", True), ("v2.0", True), ("", False)])
def test_hybrid_verification_starts_with_1_37(tag: str, expected: bool) -> None:
    assert hybrid(tag) is expected


def test_only_passed_tests_are_cited_and_nothing_from_a_failing_run(tmp_path: Path) -> None:
    convert(STREAMS / "autoscaling-skipped.jsonl", tmp_path / "v1.37" / SUITE_DIR)
    suite = load_artifacts(tmp_path / "v1.37", "v1.37")
    assert suite is not None and suite.problem is None
    assert suite.citations("gang_scheduling")[0] == "file://results.json#TestGangScheduling"
    assert suite.citations("cluster_autoscaling") == []  # skipped: CI rejects it if Implemented
    assert suite.citations("ai_inference") == []  # not covered by the suite
    assert load_artifacts(tmp_path / "v1.37", "v1.36") is None
    convert(STREAMS / "fail-secure.jsonl", tmp_path / "v1.37" / SUITE_DIR)
    failing = load_artifacts(tmp_path / "v1.37", "v1.37")
    assert failing is not None and failing.citations("gang_scheduling") == []
    assert "TestSecureAcceleratorAccess" in (failing.problem or "")
    assert failing.outcome("TestSecureAcceleratorAccess/NegativeIsolationTest") == "failed"


def test_copied_evidence_never_keeps_an_artifacts_name(tmp_path: Path) -> None:
    (tmp_path / "imported").mkdir()
    for name in ("E2E.log", "junit.xml", "junit_01.xml", "sonobuoy-e2e-e2e.log"):
        (tmp_path / "imported" / name).write_text("x")
    assert rename_lookalikes(tmp_path) == ["imported/E2E.log", "imported/junit.xml"]
    assert sorted(p.name for p in (tmp_path / "imported").iterdir()) == [
        "imported-E2E.log", "imported-junit.xml", "junit_01.xml", "sonobuoy-e2e-e2e.log"]


def _spec(evidence: list[str]) -> dict:
    return {"schedulingOrchestration": [
        {"id": "gang_scheduling", "status": "Implemented", "evidence": evidence},
        {"id": "pod_autoscaling", "status": "Implemented", "evidence": ["https://x.example/"]}]}


def test_the_pr_checklist_asks_for_artifacts_from_1_37() -> None:
    report = SubmissionReport(Path("PRODUCT.yaml"), "v1.37")
    def item(version: str, evidence: list[str]) -> list:
        return [i for i in checklist({"kubernetesVersion": version}, report, "p", _spec(evidence))
                if i.text.startswith(ITEM)]

    [cited] = item("v1.37", ["file://junit.xml#TestGangScheduling"])
    assert cited.state == "satisfied" and "- [x]" in cited.markdown()
    [missing] = item("v1.37", ["https://x.example/"])
    assert missing.state == "not satisfied" and "gang_scheduling" in missing.note
    assert item("v1.36", []) == []
