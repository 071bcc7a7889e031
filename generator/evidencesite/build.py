"""The whole evidence site build: pages, mkdocs, raw evidence files, link check, built in
staging and swapped in at the end (:mod:`generator.sitekit.mkdocs_build`)."""

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
from generator.evidencesite.render import (
    STYLESHEET_TARGET,
    SiteContext,
    nav,
    published_path,
    render_pages,
)
from generator.fsutil import atomic_write_bytes
from generator.layout import SITE_PRODUCT_LINK, SiteOut, site_requirement_dir, site_suite_dir
from generator.linkhealth.classify import LinkResult
from generator.productyaml.write import site_base
from generator.sitekit.internal_links import broken_links
from generator.sitekit.mkdocs_build import build_site, clear, staged, write_config
from generator.upstream.artifacts import SuiteArtifacts


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
                        link_health: tuple[LinkResult, ...] = (),
                        suite_artifacts: SuiteArtifacts | None = None) -> SiteResult:
    """Render, build and publish ``OUT/site``; ``product_yaml`` is linked from the overview."""
    out = SiteOut(out_dir)
    clear(out)
    context = SiteContext(
        generated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        submission_link=SITE_PRODUCT_LINK if product_yaml else None,
        product_path=product_path, site_url=site_url, link_health=link_health,
        suite_artifacts=suite_artifacts)
    pages = render_pages(bundle, out.markdown, context)
    meta = bundle.workspace.platform["metadata"]
    config = write_config(
        out.mkdocs_config,  # the theme prints site_name unescaped
        site_name=html.escape(f"{meta['platformName']}: AI Conformance evidence"),
        docs_dir=out.markdown, site_dir=out.staging, nav=nav(bundle),
        site_url=site_base(bundle, site_url),  # 404.html and the sitemap under a sub-path
        extra_css=[STYLESHEET_TARGET])
    with staged(out) as staging:
        warnings = build_site(config, strict=strict)
        _publish_evidence(bundle, staging)
        if product_yaml:
            atomic_write_bytes(staging / SITE_PRODUCT_LINK,
                               safefs.read_bytes(product_yaml, product_yaml.parent))
        broken = broken_links(staging)
        if strict and broken:
            raise ToolError(f"--strict: {len(broken)} broken internal link(s), first: "
                            f"{broken[0]}", ExitCode.FAILED)
    return SiteResult(out.site, out.markdown, config, len(pages), warnings + broken)


def _publish_evidence(bundle: Bundle, site: Path) -> None:
    """Each requirement folder beside its page, the suite run's beside its own page."""
    for view in bundle.requirements:
        if view.evidence:
            _publish(view.evidence.files(), view.evidence.folder,
                     site_requirement_dir(site, view.id))
    if bundle.tree.suite:
        folder = bundle.tree.suite_dir
        _publish(safefs.walk(folder, bundle.tree.root), folder, site_suite_dir(site))


def _publish(files: list[Path], folder: Path, root: Path) -> None:
    """``files`` of ``folder`` (a link or special file has refused the build) under ``root``,
    scripts made inert (see render)."""
    made: set[Path] = set()
    for path in files:
        target = root / published_path(path.relative_to(folder).as_posix())
        if target.parent not in made:  # hundreds of files in a few folders
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        _place(path, target)


def _place(source: Path, target: Path) -> None:
    """A hard link where the file system allows (hundreds of raw files, built on every run),
    else a copy; the site is a build output that nothing edits in place."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
