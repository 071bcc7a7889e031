"""CI parity: our error verdicts equal those of CNCF's Go validator, line for line.

The expected verdicts were produced by running the real scripts/validate.go (offline rules) over
the same files; see the ``_about`` key of each JSON file.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.review import SubmissionReport, review_paths
from tests.conftest import DATA

PARITY = DATA / "parity"


def ci_lines(report: SubmissionReport) -> list[str]:
    lines = set()
    for finding in report.findings:
        if finding.severity != "error":
            continue
        if finding.rule == "ci-unloadable":
            lines.add("UNLOADABLE")
        else:
            lines.add(re.sub(r" Must be one of.*", "", finding.ci or ""))
    return sorted(lines)


def test_real_submissions_get_the_exact_ci_verdicts(conformance_repo: Path) -> None:
    expected = json.loads((PARITY / "shared_corpus_expected.json").read_text())["submissions"]
    reports = {r.display_path: r for r in review_paths([conformance_repo])}
    assert set(reports) >= set(expected)
    for path, verdict in expected.items():
        assert reports[path].ci_valid is verdict["ciValid"], path
        assert ci_lines(reports[path]) == verdict["errors"], path


@pytest.fixture(scope="module")
def parity_checkout(tmp_path_factory: pytest.TempPathFactory, conformance_repo: Path) -> Path:
    """The edge cases laid out as CI saw them: v1.34/<case>/PRODUCT.yaml with sibling files."""
    checklist = conformance_repo / "docs" / "AIConformance-1.34.yaml"
    root = tmp_path_factory.mktemp("checkout")
    (root / "docs").mkdir()
    shutil.copy(checklist, root / "docs")
    for case in sorted((PARITY / "cases").glob("*.yaml")):
        folder = root / "v1.34" / case.stem
        (folder / "subdir").mkdir(parents=True)
        shutil.copy(case, folder / "PRODUCT.yaml")
        (folder / "present.md").write_text("hi\n")
        (folder / "link.md").symlink_to("present.md")
        (folder / "broken.md").symlink_to("nowhere.md")
    return root


def test_edge_cases_get_the_exact_ci_verdicts(parity_checkout: Path) -> None:
    expected = json.loads((PARITY / "expected.json").read_text())["cases"]
    reports = {Path(r.display_path).parent.name: r for r in review_paths([parity_checkout])}
    assert set(reports) == set(expected)
    mismatches = {
        case: (verdict, ci_lines(reports[case]))
        for case, verdict in expected.items()
        if ci_lines(reports[case]) != verdict["errors"]
        or reports[case].ci_valid is not verdict["ciValid"]
    }
    assert not mismatches
