"""Reviewer lint: what a careful CNCF reviewer would flag beyond CI's rules (warnings)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from generator.checklist import Checklist
from generator.review.findings import Finding, SubmissionReport
from generator.review.lint import attestation, evidence, metadata, requirements
from generator.review.submission import Submission


def lint_findings(sub: Submission, checklist: Checklist, ci: list[Finding]) -> list[Finding]:
    """All lint warnings for one submission; ``ci`` lets rules avoid repeating a CI error."""
    return [
        *metadata.findings(sub, ci),
        *requirements.findings(sub, checklist),
        *evidence.findings(sub, checklist, ci),
        *attestation.findings(sub),
    ]


def cross_submission_findings(
    pairs: Iterable[tuple[SubmissionReport, Submission]],
) -> list[tuple[SubmissionReport, Finding]]:
    """Notes copied word for word between different products (reviewed together)."""
    seen: dict[str, list[tuple[SubmissionReport, str, str]]] = defaultdict(list)
    for report, sub in pairs:
        if sub.load_errors:
            continue
        for entry in sub.entries:
            if len(entry.notes.strip()) >= 40:
                seen[" ".join(entry.notes.split())].append((report, entry.id, sub.path.parent.name))
    result = []
    for owners in seen.values():
        products = {product for _, _, product in owners}
        if len(products) < 2:
            continue
        for report, rid, product in owners:
            others = sorted(products - {product})
            result.append((report, Finding(
                "duplicate-notes", "warning", rid,
                f"notes of {rid} are identical to those of {', '.join(others)}: say what was "
                "verified on this platform")))
    return result
