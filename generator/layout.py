"""Where everything lives: the workspace, build's output, the sites' URLs, CNCF's repository.

Each path, file name and URL the tool writes, links or looks up is spelled here once, so the
evidence site, PRODUCT.yaml, ``submit``, ``publish``, ``review`` and the reviewer site can
never disagree about where a file is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.errors import InputError

# -- cncf/k8s-ai-conformance: vX.Y/<dir>/PRODUCT.yaml, checklists in docs/ ------------------

PRODUCT_FILE = "PRODUCT.yaml"
CHECKLIST_DOCS = "docs"
CHECKLIST_GLOB = "AIConformance-*.yaml"


def checklist_filename(version: str) -> str:
    """``AIConformance-1.35.yaml`` for ``1.35``."""
    return f"AIConformance-{version}.yaml"


def checkout_checklist(checkout: Path, version: str) -> Path:
    """A version's checklist inside a checkout of cncf/k8s-ai-conformance."""
    return checkout / CHECKLIST_DOCS / checklist_filename(version)


def is_conformance_checkout(folder: Path) -> bool:
    """The folder holds the official checklists, as a checkout of cncf/k8s-ai-conformance."""
    return any((folder / CHECKLIST_DOCS).glob(CHECKLIST_GLOB))


def product_folder(tag: str, product_dir: str) -> str:
    """``vX.Y/<dir>``: a product's folder in cncf/k8s-ai-conformance."""
    return f"{tag}/{product_dir}"


def product_repo_path(tag: str, product_dir: str) -> str:
    """``vX.Y/<dir>/PRODUCT.yaml`` as CNCF CI is given it."""
    return f"{product_folder(tag, product_dir)}/{PRODUCT_FILE}"


def product_paths(checkout: Path, product_dir: str = "*") -> list[Path]:
    """Every ``vX.Y/<dir>/PRODUCT.yaml`` of a checkout (one product's, or all)."""
    return sorted(checkout.glob(f"v*/{product_dir}/{PRODUCT_FILE}"))


# -- a workspace: platform.yaml and evidence/vX.Y/<requirement>/ ----------------------------

PLATFORM_FILE = "platform.yaml"
EVIDENCE_DIR = "evidence"


SUITE_DIR = "upstream-suite"  # the upstream suite's run, beside the requirement folders
# the suite's artifacts, in SUITE_DIR and (v1.37+) beside PRODUCT.yaml, named as CNCF CI parses
RESULTS_JSON = "results.json"
JUNIT_XML = "junit.xml"
E2E_LOG = "e2e.log"
SUITE_ARTIFACTS = (RESULTS_JSON, JUNIT_XML, E2E_LOG)  # in the order build cites them
SUITE_RECORD = "suite.json"  # the run's facts, in SUITE_DIR
SUITE_STDERR = "go-test.stderr.txt"  # what go itself said (a build error), in SUITE_DIR
SUITE_KEPT_RESULTS = "upstream-suite-results.json"  # results.json as a requirement imported it


def evidence_dir(workspace_root: Path, tag: str) -> Path:
    return workspace_root / EVIDENCE_DIR / tag


# -- build's output folder ------------------------------------------------------------------

DEFAULT_OUT = Path("build")


@dataclass(frozen=True)
class SiteOut:
    """A site's folders under OUT: Markdown, a staging folder swapped in when complete, the
    site itself and the mkdocs config (beside the pages, so plain ``mkdocs build -f`` can
    rebuild it). Both the evidence site and the reviewer site use this layout."""

    root: Path

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def markdown(self) -> Path:
        return self.root / "markdown"

    @property
    def staging(self) -> Path:
        return self.root / ".site.tmp"

    @property
    def mkdocs_config(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def names(self) -> tuple[str, ...]:
        """What a site build writes directly in OUT (the only names it may replace there)."""
        return tuple(p.name for p in (self.site, self.markdown, self.staging, self.mkdocs_config))


ATTESTATION_FILE = "attestation.intoto.jsonl"  # beside the site's index and each PRODUCT.yaml


def submission_root(out: Path) -> Path:
    """``OUT/submission``: laid out like cncf/k8s-ai-conformance (``vX.Y/<dir>/``)."""
    return out / "submission"


def submission_dir(out: Path, tag: str, product_dir: str) -> Path:
    """``OUT/submission/vX.Y/<dir>``: what ``submit`` puts into the fork, as is."""
    return submission_root(out) / product_folder(tag, product_dir)


def built_product(out: Path, tag: str, product_dir: str) -> Path:
    """``OUT/submission/vX.Y/<dir>/PRODUCT.yaml``."""
    return submission_dir(out, tag, product_dir) / PRODUCT_FILE


# -- the evidence site's URLs (mkdocs directory URLs) ---------------------------------------

def check_published_path(path: str, given_by: str = "--path") -> str:
    """A site's path under the pages branch and site URL (``vX.Y/<date>``): plain folder
    names only, so it can never leave the branch's root. ``given_by`` names where it was set."""
    from generator.fsutil import plain_segments  # fsutil's tempfile is not needed by review

    parts = plain_segments(path)
    if parts is None:
        raise InputError(f"{given_by} {path!r}: use plain folder names such as v1.35/2026-11-23")
    return "/".join(parts)


REQUIREMENTS_SECTION = "requirements"
SITE_PRODUCT_LINK = PRODUCT_FILE  # PRODUCT.yaml as published at the site's root


def requirement_page(requirement_id: str) -> str:
    """The Markdown source of a requirement's page, relative to the docs folder."""
    return f"{REQUIREMENTS_SECTION}/{requirement_id}.md"


def requirement_url(requirement_id: str, file: str = "") -> str:
    """A requirement's page (``requirements/<id>/``), or a raw evidence file beside it,
    relative to the site root."""
    return f"{REQUIREMENTS_SECTION}/{requirement_id}/{file}"


def site_requirement_dir(site: Path, requirement_id: str) -> Path:
    """Where a requirement's raw evidence files are published in a built site."""
    return site / REQUIREMENTS_SECTION / requirement_id


SUITE_PAGE = f"{SUITE_DIR}.md"  # the suite run's page; its raw files are published beside it


def site_suite_dir(site: Path) -> Path:
    """Where the suite run's raw files are published in a built site."""
    return site / SUITE_DIR


def page_url(page: str) -> str:
    """Where mkdocs serves a Markdown page (directory URLs), relative to the site root: for
    links written as raw HTML, which mkdocs does not rewrite."""
    return page.removesuffix(".md") + "/"


# -- the reviewer site's pages --------------------------------------------------------------

def review_version_page(version: str) -> str:
    return f"versions/{version}.md"


def review_submission_page(slug: str) -> str:
    return f"submissions/{slug}.md"


def review_requirement_page(requirement_id: str) -> str:
    return f"{REQUIREMENTS_SECTION}/{requirement_id}.md"
