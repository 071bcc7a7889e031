"""The result tree as JUnit XML, so vendors' CI dashboards show every check.

One test suite per requirement, one test case per check; failed checks become failures,
skipped and unknown checks are skipped (with their reason), declarations a skipped case.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from junitparser import Failure, JUnitXml, Skipped, TestCase, TestSuite

from generator.fsutil import atomic_write_bytes


def _case(requirement: str, check: dict[str, Any]) -> TestCase:
    case = TestCase(f"{check['id']}: {check['title']}", classname=f"{requirement}.{check['role']}",
                    time=check.get("durationSeconds") or 0)
    if check["status"] == "failed":
        case.result = [Failure(check["reason"])]
    elif check["status"] in ("skipped", "unknown"):
        case.result = [Skipped(f"{check['status']}: {check['reason']}")]
    return case


def junit_xml(results: Iterable[dict[str, Any]]) -> JUnitXml:
    xml = JUnitXml("k8s-ai-evidence")
    for result in results:
        suite = TestSuite(f"{result['requirement']} ({result['kubernetesVersion']})")
        suite.add_property("status", result["status"])
        suite.add_property("conformance", str(result.get("conformance")))
        suite.add_property("reason", result["reason"])
        if result["source"] == "declared":
            case = TestCase("declaration", classname=result["requirement"])
            case.result = [Skipped(f"declared {result['declaration']['status']}: "
                                   f"{result['reason']}")]
            suite.add_testcase(case)
        for check in result["checks"]:
            suite.add_testcase(_case(result["requirement"], check))
        xml.add_testsuite(suite)
    return xml


def write_junit(results: Iterable[dict[str, Any]], path: Path) -> None:
    xml = junit_xml(results)
    xml.update_statistics()
    tmp = path.with_name(f".{path.name}.build")
    xml.write(str(tmp), pretty=True)
    try:
        atomic_write_bytes(path, tmp.read_bytes())
    finally:
        tmp.unlink(missing_ok=True)
