"""Review submissions: CI-parity errors first, reviewer lint on top, optional online checks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.checklist import Checklist, normalize_version, resolve_checklist
from generator.layout import CHECKLIST_DOCS, checklist_filename, checkout_checklist
from generator.review.ci_rules import ci_finding, ci_findings
from generator.review.discover import Target, discover
from generator.review.findings import SubmissionReport
from generator.review.lint import cross_submission_findings, lint_findings
from generator.review.revisions import RuleSet, checkout_revision, rule_set
from generator.review.submission import Submission, load_submission


def review_product(product_path: Path, checklist: Checklist, ci_path: str | None = None,
                   rules: RuleSet | None = None) -> SubmissionReport:
    """Review one PRODUCT.yaml against an already resolved checklist."""
    submission = load_submission(product_path, ci_path or product_path.as_posix())
    return _report(submission, checklist, rules or rule_set(None))


def _report(submission: Submission, checklist: Checklist | None, rules: RuleSet,
            checkout: Path | None = None) -> SubmissionReport:
    report = SubmissionReport(path=submission.path, kubernetes_version=submission.version_tag,
                              display_path=submission.ci_path, checkout=checkout)
    if checklist is None:
        return report
    report.findings = ci_findings(submission, checklist, rules)
    if not submission.load_errors:
        report.findings += lint_findings(submission, checklist, report.findings)
    return report


def revision_notices(reports: list[SubmissionReport], rules: RuleSet) -> list[str]:
    """Checkouts whose own scripts/validate.go is not the revision these rules reproduce."""
    notices = []
    for root in dict.fromkeys(r.checkout for r in reports if r.checkout is not None):
        found = checkout_revision(root)
        if found is None:
            continue
        digest, known = found
        if known is None:
            notices.append(f"{root}/scripts/validate.go matches no known validator revision "
                           f"(sha256 {digest[:12]}); judged with CI rules {rules.id}: CI may "
                           "judge differently")
        elif known.id != rules.id:
            notices.append(f"{root}/scripts/validate.go is validator revision {known.id}; judged "
                           f"with CI rules {rules.id} (--ci-rules {known.id} for that one)")
    return notices


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
                 conformance_repo: Path | None = None, rules: RuleSet | None = None
                 ) -> list[SubmissionReport]:
    """Review every submission found under ``paths``; one bad file never stops the others."""
    rules = rules or rule_set(None)
    checklists = ChecklistCache(checklist_file, conformance_repo)
    pairs: list[tuple[SubmissionReport, Submission]] = []
    for target in discover(list(paths)):
        submission = load_submission(target.path, target.ci_path)
        tag = submission.version_tag
        if tag is None:
            report = _report(submission, None, rules, target.root)
            report.findings.append(ci_finding(
                "ci-version-path", f"Could not determine version from path {target.ci_path}: CI "
                "expects vX.Y/<dir>/PRODUCT.yaml", path=target.ci_path))
        else:
            checklist = checklists.get(target, normalize_version(tag))
            report = _report(submission, checklist, rules, target.root)
            if checklist is None:
                docs = f"{CHECKLIST_DOCS}/{checklist_filename(tag[1:])}"
                report.findings.append(ci_finding(
                    "ci-checklist-missing",
                    f"Schema not found at {docs}: the checkout has no checklist for {tag}",
                    schema=docs))
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
