"""Status aggregation rules and the JUnit view of the result tree."""

from __future__ import annotations

from pathlib import Path

import pytest
from junitparser import JUnitXml

from generator.evidence.junit import write_junit
from generator.evidence.model import CheckResult, Declaration, Role
from generator.evidence.status import aggregate
from generator.evidence.verdicts import Conformance, Status
from generator.evidence.writer import collected_result, declared_result


def c(role: str, status: str, limit: str | None = None, id_: str = "x") -> CheckResult:
    return CheckResult(id_, id_, Role(role), Status(status), "r",
                       Conformance(limit) if limit else None)


@pytest.mark.parametrize(("checks", "status"), [
    ([], "unknown"),
    ([c("setup", "passed"), c("positive", "skipped")], "unknown"),
    ([c("setup", "passed"), c("positive", "passed"), c("negative", "passed")], "passed"),
    ([c("positive", "passed"), c("negative", "failed")], "failed"),
    ([c("setup", "failed"), c("positive", "skipped")], "failed"),
    ([c("positive", "passed"), c("negative", "skipped")], "partial"),
    ([c("positive", "passed", "Partially Implemented")], "partial"),
    ([c("positive", "passed"), c("cleanup", "failed"), c("diagnostic", "failed")], "passed"),
])
def test_aggregate(checks: list[CheckResult], status: str) -> None:
    assert aggregate(checks)[0] == status


def test_a_pass_counts_the_checks_that_prove_it() -> None:
    checks = [c("setup", "passed"), c("positive", "passed"), c("positive", "passed"),
              c("negative", "passed"), c("diagnostic", "failed")]
    assert aggregate(checks) == (Status.PASSED, "all 2 positive and 1 negative checks passed")
    assert aggregate(checks[:2])[1] == "all 1 positive and 0 negative checks passed"


def test_junit_has_a_case_per_check(tmp_path: Path) -> None:
    collected = collected_result(
        "dra_support", "v1.35",
        [c("positive", "passed", id_="a"), c("negative", "failed", id_="b"),
         c("negative", "skipped", id_="d")], None, "default",  # type: ignore[arg-type]
        "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", False, "c0ffee")
    declared = declared_result("pod_autoscaling", "v1.35",
                               Declaration(Conformance.NOT_APPLICABLE, "none"), False)
    path = tmp_path / "junit.xml"
    write_junit([collected, declared], path)
    suites = list(JUnitXml.fromfile(str(path)))
    assert [(s.tests, s.failures, s.skipped) for s in suites] == [(3, 1, 1), (1, 0, 1)]
