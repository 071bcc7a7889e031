"""What the reviewer site shows, gathered once from the review reports and the files."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from generator.checklist import Checklist
from generator.errors import ToolError
from generator.layout import checkout_checklist, product_paths, review_submission_page
from generator.linkhealth import LinkResult
from generator.review.discover import checkout_root
from generator.review.findings import Finding, SubmissionReport
from generator.review.lint.link_kinds import Link, classify
from generator.review.submission import Entry, Submission, load_submission

_SLUG = re.compile(r"[^A-Za-z0-9._-]+")
_SAFE_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")  # usable as a page name


@dataclass(frozen=True)
class Evidence:
    requirement: str
    link: Link
    health: LinkResult | None  # with --online


@dataclass
class SubmissionView:
    report: SubmissionReport
    submission: Submission
    previous: SubmissionView | None = None
    has_page: bool = True  # False for an earlier version read only for the diff

    @property
    def version(self) -> str:
        return self.report.kubernetes_version or "unversioned"

    @property
    def product_dir(self) -> str:
        return self.submission.path.parent.name

    @property
    def slug(self) -> str:
        return _SLUG.sub("-", f"{self.version}-{self.product_dir}")

    @property
    def page(self) -> str:
        return review_submission_page(self.slug)

    def meta(self, key: str) -> str:
        value = (self.submission.metadata or {}).get(key) if isinstance(
            self.submission.metadata, dict) else None
        return value if isinstance(value, str) else ""

    @property
    def name(self) -> str:
        return self.meta("platformName") or self.product_dir

    @cached_property
    def entries(self) -> dict[str, Entry]:
        """By id; for an id listed twice the last one, as CI reads it."""
        return {e.id: e for e in self.submission.entries}

    def findings(self, severity: str) -> list[Finding]:
        return [f for f in self.report.sorted_findings() if f.severity == severity]

    @property
    def attention(self) -> tuple[int, int, int]:
        """Sort key: CI errors, then online errors, then warnings."""
        online = sum(f.severity == "error" for f in self.report.online or [])
        return (len(self.findings("error")), online, len(self.findings("warning")))

    def warnings_by_rule(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.findings("warning") + self.findings("info"):
            grouped[finding.rule].append(finding)
        return dict(sorted(grouped.items()))

    def evidence(self, health: dict[str, LinkResult]) -> list[Evidence]:
        return [Evidence(e.id, classify(link), health.get(link))
                for e in self.entries.values() for link in e.evidence if link]


@dataclass
class Corpus:
    submissions: list[SubmissionView]
    checklists: dict[str, Checklist | None] = field(default_factory=dict)
    health: dict[str, LinkResult] = field(default_factory=dict)

    @property
    def versions(self) -> list[str]:
        return sorted({s.version for s in self.submissions}, key=_version_key)

    def of_version(self, version: str) -> list[SubmissionView]:
        return sorted((s for s in self.submissions if s.version == version),
                      key=lambda s: s.name.lower())

    def listing(self, requirement: str, version: str | None = None) -> list[SubmissionView]:
        """The submissions (of one version, or all) that list the requirement."""
        views = self.of_version(version) if version else self.submissions
        return [s for s in views if requirement in s.entries]

    def requirement_ids(self, version: str) -> list[str]:
        """The checklist's order when the checkout has it, else the submissions' order."""
        checklist = self.checklists.get(version)
        if checklist:
            return [r.id for r in checklist.requirements]
        ids = [e for s in self.of_version(version) for e in s.entries if _SAFE_ID.fullmatch(e)]
        return list(dict.fromkeys(ids))

    @property
    def all_requirement_ids(self) -> list[str]:
        return list(dict.fromkeys(r for v in self.versions for r in self.requirement_ids(v)))

    def level(self, requirement: str) -> str:
        for checklist in self.checklists.values():
            found = checklist.get(requirement) if checklist else None
            if found:
                return found.level
        return ""


def _version_key(tag: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", tag)) or (0,)


def build_corpus(reports: list[SubmissionReport],
                 health: dict[str, LinkResult] | None = None) -> Corpus:
    views = [SubmissionView(r, load_submission(r.path, r.display_path or r.path.as_posix()))
             for r in reports]
    corpus = Corpus(views, health=health or {})
    for view in views:
        if view.version not in corpus.checklists:
            corpus.checklists[view.version] = _checklist(view)
    _link_previous(views)
    return corpus


def _checklist(view: SubmissionView) -> Checklist | None:
    root = checkout_root(view.submission.path)
    version = view.version.lstrip("v")
    path = checkout_checklist(root, version) if root else None
    if path is None or not path.is_file():
        return None
    try:
        return Checklist.load(path, version)
    except ToolError:  # a broken checklist only costs the column order
        return None


def _link_previous(views: list[SubmissionView]) -> None:
    """The same product's submission for the nearest earlier version: same folder name,
    else the same platform name; from the checkout when not among the reviewed ones (a
    reviewer checks one pull request and still sees what changed)."""
    def earlier(view: SubmissionView, candidates: list[SubmissionView]) -> SubmissionView | None:
        found = [v for v in candidates if _version_key(v.version) < _version_key(view.version)
                 and (v.product_dir == view.product_dir or v.name == view.name)]
        return max(found, key=lambda v: _version_key(v.version)) if found else None

    for view in views:
        view.previous = earlier(view, views) or earlier(view, _on_disk(view))


def _on_disk(view: SubmissionView) -> list[SubmissionView]:
    root = checkout_root(view.submission.path)
    if root is None:
        return []
    found = []
    for path in product_paths(root, view.product_dir):
        if path.resolve() == view.submission.path.resolve():
            continue
        ci_path = path.relative_to(root).as_posix()
        report = SubmissionReport(path, ci_path.split("/", 1)[0], display_path=ci_path)
        found.append(SubmissionView(report, load_submission(path, ci_path), has_page=False))
    return found

