"""The result tree as JUnit XML, so vendors' CI dashboards show every check.

One test suite per requirement, one test case per check; failed checks become failures,
skipped and unknown checks are skipped (with their reason), declarations a skipped case.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from junitparser import Failure, JUnitXml, Skipped, TestCase, TestSuite

from generator.evidence.model import CheckResult, RequirementResult, Source
from generator.evidence.verdicts import Status
from generator.fsutil import atomic_write_bytes


def _case(requirement: str, check: CheckResult) -> TestCase:
    case = TestCase(f"{check.id}: {check.title}", classname=f"{requirement}.{check.role}",
                    time=check.duration_seconds or 0)
    if check.status is Status.FAILED:
        case.result = [Failure(check.reason)]
    elif check.status in (Status.SKIPPED, Status.UNKNOWN):
        case.result = [Skipped(f"{check.status}: {check.reason}")]
    return case


def junit_xml(results: Iterable[RequirementResult]) -> JUnitXml:
    xml = JUnitXml("k8s-ai-evidence")
    for result in results:
        suite = TestSuite(f"{result.requirement} ({result.kubernetes_version})")
        suite.add_property("status", result.status.value)
        suite.add_property("conformance", str(result.conformance and result.conformance.value))
        suite.add_property("reason", result.reason)
        if result.source is Source.DECLARED and result.declaration:
            case = TestCase("declaration", classname=result.requirement)
            case.result = [Skipped(f"declared {result.declaration.status}: {result.reason}")]
            suite.add_testcase(case)
        for check in result.checks:
            suite.add_testcase(_case(result.requirement, check))
        xml.add_testsuite(suite)
    return xml


def write_junit(results: Iterable[RequirementResult], path: Path) -> None:
    xml = junit_xml(results)
    xml.update_statistics()
    tmp = path.with_name(f".{path.name}.build")
    xml.write(str(tmp), pretty=True)
    try:
        atomic_write_bytes(path, tmp.read_bytes())
    finally:
        tmp.unlink(missing_ok=True)
