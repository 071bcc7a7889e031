"""Review submissions: CI-parity errors first, reviewer lint on top, optional online checks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.checklist import Checklist, normalize_version, resolve_checklist
from generator.layout import CHECKLIST_DOCS, checklist_filename, checkout_checklist
from generator.review.ci_rules import ci_findings
from generator.review.discover import Target, discover
from generator.review.findings import Finding, SubmissionReport
from generator.review.lint import cross_submission_findings, lint_findings
from generator.review.submission import Submission, load_submission


def review_product(product_path: Path, checklist: Checklist, ci_path: str | None = None
                   ) -> SubmissionReport:
    """Review one PRODUCT.yaml against an already resolved checklist."""
    submission = load_submission(product_path, ci_path or product_path.as_posix())
    return _report(submission, checklist)


def _report(submission: Submission, checklist: Checklist | None) -> SubmissionReport:
    report = SubmissionReport(path=submission.path, kubernetes_version=submission.version_tag,
                              display_path=submission.ci_path)
    if checklist is None:
        return report
    report.findings = ci_findings(submission, checklist)
    if not submission.load_errors:
        report.findings += lint_findings(submission, checklist, report.findings)
    return report


class ChecklistCache:
    """Resolves each version's checklist once: the checkout's own docs/ first, as CI does."""

    def __init__(self, checklist_file: Path | None, conformance_repo: Path | None) -> None:
        self.checklist_file = checklist_file
        self.conformance_repo = conformance_repo
        self._loaded: dict[tuple[Path | None, str], Checklist | None] = {}

    def get(self, target: Target, version: str) -> Checklist | None:
        key = (None if self.checklist_file else target.root, version)
        if key not in self._loaded:
            self._loaded[key] = self._resolve(target.root, version)
        return self._loaded[key]

    def _resolve(self, root: Path | None, version: str) -> Checklist | None:
        if self.checklist_file or root is None:
            return resolve_checklist(version, self.checklist_file, self.conformance_repo)
        path = checkout_checklist(root, version)
        return Checklist.load(path, version, source=str(path)) if path.is_file() else None


def review_paths(paths: Iterable[Path], checklist_file: Path | None = None,
                 conformance_repo: Path | None = None) -> list[SubmissionReport]:
    """Review every submission found under ``paths``; one bad file never stops the others."""
    checklists = ChecklistCache(checklist_file, conformance_repo)
    pairs: list[tuple[SubmissionReport, Submission]] = []
    for target in discover(list(paths)):
        submission = load_submission(target.path, target.ci_path)
        tag = submission.version_tag
        if tag is None:
            report = _report(submission, None)
            report.findings.append(Finding(
                "ci-version-path", "error", None,
                f"Could not determine version from path {target.ci_path}: CI expects "
                "vX.Y/<dir>/PRODUCT.yaml", ci=f"Error: Could not determine version from path "
                f"{target.ci_path}"))
        else:
            checklist = checklists.get(target, normalize_version(tag))
            report = _report(submission, checklist)
            if checklist is None:
                docs = f"{CHECKLIST_DOCS}/{checklist_filename(tag[1:])}"
                report.findings.append(Finding(
                    "ci-checklist-missing", "error", None,
                    f"Schema not found at {docs}: the checkout has no checklist for {tag}",
                    ci=f"Error: Schema not found at {docs}"))
        pairs.append((report, submission))
    for report, finding in cross_submission_findings(pairs):
        report.findings.append(finding)
    return [report for report, _ in pairs]


def summary(reports: list[SubmissionReport]) -> dict[str, Any]:
    severities = Counter(f.severity for r in reports for f in r.findings)
    rules = Counter(f.rule for r in reports for f in r.findings)
    return {
        "submissions": len(reports),
        "ciValid": sum(r.ci_valid for r in reports),
        "ciInvalid": sum(not r.ci_valid for r in reports),
        "errors": severities["error"],
        "warnings": severities["warning"],
        "info": severities["info"],
        "byRule": dict(sorted(rules.items())),
    }
