"""``review --online``: URL reachability and CNCF membership as CNCF CI judges them, plus
link health for reviewers (redirects, bot walls, missing anchors).

Reported apart from the offline findings (``SubmissionReport.online``): the network changes
from one minute to the next, so it never changes ``ciValid``.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.linkhealth.checker import CheckOptions, check_links
from generator.linkhealth.classify import LinkResult
from generator.review.findings import Finding, SubmissionReport
from generator.review.online.members import MembersUnavailable, cncf_members
from generator.review.online.urls import Checked, checked_urls
from generator.review.submission import Submission, load_submission

MEMBERS_PAGE = "https://landscape.cncf.io/members"


def check_online(reports: list[SubmissionReport], options: CheckOptions | None = None
                 ) -> dict[str, LinkResult]:
    """Fill ``report.online`` for every report; return each checked URL's result."""
    subs = [load_submission(r.path, r.display_path or r.path.as_posix()) for r in reports]
    checked = {id(r): checked_urls(s) if s.doc else [] for r, s in zip(reports, subs, strict=True)}
    results = check_links((c.url for items in checked.values() for c in items), options)
    members: set[str] | None = None
    problem = None
    if any(_vendor(s) for s in subs):
        try:
            members = cncf_members()
        except MembersUnavailable as exc:
            problem = str(exc)
    for report, sub in zip(reports, subs, strict=True):
        report.online = [*_member_findings(sub, members, problem),
                         *(f for c in checked[id(report)] for f in _link_findings(c, results))]
    return results


def _vendor(sub: Submission) -> str:
    metadata = sub.metadata if isinstance(sub.metadata, dict) else {}
    value = metadata.get("vendorName", metadata.get("vendor_name"))
    return value.strip() if isinstance(value, str) else ""


def _member_findings(sub: Submission, members: set[str] | None, problem: str | None
                     ) -> Iterator[Finding]:
    vendor = _vendor(sub)
    if not vendor:
        return
    key = "vendorName" if "vendorName" in (sub.metadata or {}) else "vendor_name"
    line = sub.line("metadata", key)
    if members is None:
        yield Finding("online-members-unavailable", "warning", None,
                      f"vendorName not checked against the CNCF member list: {problem}", line)
    elif vendor not in members:
        ci = (f"vendorName '{vendor}' does not match any CNCF member in the CNCF Landscape. "
              f"The vendorName must exactly match the organization name listed at {MEMBERS_PAGE}")
        yield Finding("online-vendor-not-member", "error", None, ci, line, ci)


def _link_findings(checked: Checked, results: dict[str, LinkResult]) -> Iterator[Finding]:
    result = results.get(checked.url)
    if result is None:
        return
    where = checked.field if checked.requirement is None else "evidence"
    if not result.ci_reachable:
        error = f"status code {result.status}" if result.status else result.detail
        note = " (a bot wall: not the vendor's fault, but CI will still fail it)" if (
            result.outcome == "blocked") else ""
        yield Finding("online-url-unreachable", "error", checked.requirement,
                      f"{where} {checked.url}: {result.outcome}, {result.detail}{note}; "
                      "CNCF CI would reject the submission", checked.line,
                      checked.ci_line(error))
    elif result.outcome == "blocked" or result.status == 403:
        yield Finding("online-link-blocked", "warning", checked.requirement,
                      f"{where} {checked.url}: {result.detail}; CNCF CI gets through, a "
                      "reviewer may not", checked.line)
    elif result.outcome == "anchor-missing":
        yield Finding("online-anchor-missing", "warning", checked.requirement,
                      f"{where} {checked.url}: {result.detail}", checked.line)
    elif result.outcome == "redirected":
        yield Finding("online-link-redirected", "info", checked.requirement,
                      f"{where} {checked.url}: {result.detail}; link the final address",
                      checked.line)
