"""The suite's artifacts in a submission: what is cited, what never keeps an artifact's name,
and the pull request's v1.37 checklist item."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.catalog import upstream_tests
from generator.layout import SUITE_ARTIFACTS
from generator.review import review_paths
from generator.review.artifacts import Outcome
from generator.review.findings import SubmissionReport
from generator.submit.pr import checklist
from generator.upstream.artifacts import load_artifacts, rename_lookalikes
from generator.upstream.gotest import convert
from generator.upstream.suite import SUITE_DIR
from tests.review.builders import checkout, product, requirement
from tests.upstream.conftest import STREAMS

ITEM = "Requirements covered by the upstream AI conformance suite cite its test artifacts"


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
    assert all(report.outcome_for("TestSecureAcceleratorAccess/NegativeIsolationTest")
               is Outcome.FAIL for report in failing.reports.values())


def _killed(tmp_path: Path) -> Path:
    """A run killed before its last test's result: junit.xml marks that test failed, while
    results.json and e2e.log hold no failure."""
    lines = (STREAMS / "pass.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "killed.jsonl").write_text("".join(lines[:-4]), encoding="utf-8")
    return tmp_path / "killed.jsonl"


@pytest.mark.parametrize("stream", ["pass.jsonl", "autoscaling-skipped.jsonl",
                                    "fail-secure.jsonl", "killed"])
def test_build_cites_exactly_what_review_accepts(tmp_path: Path, stream: str) -> None:
    """Every citation build writes passes review's CI rules on the same files, and build ships
    the artifacts exactly when review rejects none of them."""
    evidence = tmp_path / "evidence" / "v1.37"
    convert(_killed(tmp_path) if stream == "killed" else STREAMS / stream, evidence / SUITE_DIR)
    suite = load_artifacts(evidence, "v1.37")
    assert suite is not None
    built = {link for rid in upstream_tests() for link in suite.citations(rid)}
    links = [f"file://{name}#{test}" for name in SUITE_ARTIFACTS
             for test in sorted(set(upstream_tests().values()))]
    doc = product("1.37")
    requirement(doc, "dra_support")["evidence"] = links  # Implemented: a skipped test fails
    path = checkout(tmp_path / "repo", doc, version="1.37")
    for name in SUITE_ARTIFACTS:
        shutil.copyfile(evidence / SUITE_DIR / name, path.parent / name)
    [report] = review_paths([tmp_path / "repo"])
    text = path.read_text(encoding="utf-8").splitlines()

    def cited(line: int | None) -> str:
        assert line, "a finding about a citation names its line"
        return text[line - 1].strip().removeprefix("- ").strip("'\"")

    failed = {cited(f.line) for f in report.findings
              if f.rule in ("ci-test-missing", "ci-test-failed", "ci-test-skipped")}
    rejected = {cited(f.line).split("#")[0] for f in report.findings
                if f.rule in ("ci-artifact-failing", "ci-artifact-invalid")}
    accepted = {link for link in links if link not in failed and link.split("#")[0] not in rejected}
    assert bool(suite.problem) == bool(rejected)
    assert built == (set() if rejected else accepted)
    assert built or stream != "pass.jsonl"


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
