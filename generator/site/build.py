"""The whole site build: pages, mkdocs, raw evidence files, link check, then an atomic swap.

The new site is built beside the old one and swapped in at the end, so a failed build (for
example ``--strict`` finding a broken link) leaves the previous site untouched.
"""

from __future__ import annotations

import html
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from generator import safefs
from generator.bundle import Bundle
from generator.errors import ExitCode, ToolError
from generator.fsutil import atomic_write_bytes, replace_dir
from generator.linkcheck.classify import LinkResult
from generator.site.links import broken_links
from generator.site.mkdocs_build import build_site, write_config
from generator.site.render import (
    STYLESHEET_TARGET,
    SiteContext,
    nav,
    published_path,
    render_pages,
)

SUBMISSION_LINK = "PRODUCT.yaml"


@dataclass(frozen=True)
class SiteResult:
    site_dir: Path
    docs_dir: Path
    config: Path
    pages: int
    warnings: list[str]  # mkdocs warnings and broken links (fatal with strict)


def build_evidence_site(bundle: Bundle, out_dir: Path, *, site_url: str | None = None,
                        strict: bool = False, product_yaml: Path | None = None,
                        product_path: str | None = None,
                        link_health: tuple[LinkResult, ...] = ()) -> SiteResult:
    """Render, build and publish ``OUT/site``; ``product_yaml`` is linked from the overview."""
    docs_dir, staging, site_dir = out_dir / "markdown", out_dir / ".site.tmp", out_dir / "site"
    for folder in (docs_dir, staging):
        shutil.rmtree(folder, ignore_errors=True)
    context = SiteContext(
        generated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        submission_link=SUBMISSION_LINK if product_yaml else None,
        product_path=product_path, site_url=site_url, link_health=link_health)
    pages = render_pages(bundle, docs_dir, context)
    meta = bundle.workspace.platform["metadata"]
    config = write_config(
        out_dir / "mkdocs.yml",  # the theme prints site_name unescaped
        site_name=html.escape(f"{meta['platformName']}: AI Conformance evidence"),
        docs_dir=docs_dir, site_dir=staging, nav=nav(bundle), site_url=site_url,
        extra_css=[STYLESHEET_TARGET])
    try:
        warnings = build_site(config, strict=strict)
        _publish_evidence(bundle, staging)
        if product_yaml:
            atomic_write_bytes(staging / SUBMISSION_LINK,
                               safefs.read_bytes(product_yaml, product_yaml.parent))
        broken = broken_links(staging)
        if strict and broken:
            raise ToolError(f"--strict: {len(broken)} broken internal link(s), first: "
                            f"{broken[0]}", ExitCode.FAILED)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    replace_dir(staging, site_dir)
    return SiteResult(site_dir, docs_dir, config, len(pages), warnings + broken)


def _publish_evidence(bundle: Bundle, site: Path) -> None:
    """Each requirement folder beside its page, scripts made inert (see render)."""
    for view in bundle.requirements:
        if not view.evidence:
            continue
        folder = view.evidence.folder
        for path in view.evidence.files():
            relative = path.relative_to(folder).as_posix()
            target = site / "requirements" / view.id / published_path(relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            _place(path, target)


def _place(source: Path, target: Path) -> None:
    """A hard link where the file system allows (hundreds of raw files, built on every run),
    else a copy; the site is a build output that nothing edits in place."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
