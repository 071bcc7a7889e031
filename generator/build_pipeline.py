"""The whole ``build``: bundle, PRODUCT.yaml, its review, optional link health, the site.

One function so that ``build``, ``submit`` and ``publish`` (which build first when nothing is
built yet) run exactly the same steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.bundle import Bundle, load_bundle
from generator.evidencesite import SiteResult, build_evidence_site
from generator.layout import DEFAULT_OUT, SiteOut, submission_root
from generator.linkhealth.classify import LinkResult
from generator.outputs import check_not_input, claim_dir
from generator.productyaml import WrittenProduct, write_submission
from generator.review import SubmissionReport, review_product
from generator.workspace import Workspace


@dataclass(frozen=True)
class BuildOutcome:
    bundle: Bundle
    site: SiteResult
    submission: WrittenProduct | None  # None without an official checklist
    report: SubmissionReport | None
    links: dict[str, LinkResult]  # filled with --online only

    @property
    def failed(self) -> bool:
        """A MUST blocks certification, or CNCF CI would reject the written file."""
        return bool(self.bundle.blocking) or bool(self.report and not self.report.ci_valid)


# what build writes into OUT: only these are ever replaced there
BUILD_OUTPUTS = (*SiteOut(DEFAULT_OUT).names, submission_root(DEFAULT_OUT).name)


def run_build(workspace: Workspace, out_dir: Path, *, site_url: str | None = None,
              strict: bool = False, online: bool = False, checklist_file: Path | None = None,
              conformance_repo: Path | None = None) -> BuildOutcome:
    bundle = load_bundle(workspace, checklist_file, conformance_repo)
    check_not_input(out_dir, "--out", workspace.root)
    claim_dir(out_dir, BUILD_OUTPUTS, "--out")
    submission = write_submission(bundle, out_dir, site_url) if bundle.checklist else None
    report = (review_product(submission.path, bundle.checklist, submission.repo_path)
              if submission and bundle.checklist else None)
    links: dict[str, LinkResult] = {}
    if online and report:
        from generator.review.online import check_online  # network code only when asked

        links = check_online([report])
    site = build_evidence_site(
        bundle, out_dir, site_url=site_url, strict=strict,
        product_yaml=submission.path if submission else None,
        product_path=submission.repo_path if submission else None,
        link_health=tuple(links.values()),
        suite_artifacts=submission.suite if submission else None)
    return BuildOutcome(bundle, site, submission, report, links)
