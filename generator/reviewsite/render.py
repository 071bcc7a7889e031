"""The reviewer site: Markdown pages from ``site-templates/review/``, built with the sites'
kit (:mod:`generator.sitekit`) into a staging folder swapped in only when complete."""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from generator.catalog import entry
from generator.evidence.verdicts import Conformance
from generator.layout import (
    SiteOut,
    page_url,
    review_requirement_page,
    review_version_page,
)
from generator.linkhealth import LinkResult
from generator.outputs import claim_dir
from generator.review import SubmissionReport, summary
from generator.review.rules import ALL_RULES
from generator.reviewsite.diff import changes
from generator.reviewsite.model import Corpus, build_corpus
from generator.reviewsite.solutions import bar_chart, solutions_used, tally
from generator.sitekit.escape import inline, nav_title, verbatim
from generator.sitekit.mkdocs_build import build_site, clear, staged, write_config
from generator.sitekit.templates import (
    new_environment,
    render_template,
    template_dirs,
    write_page,
    write_stylesheet,
)

TEMPLATES = "review"
STYLESHEET = "review/review.css"
STYLESHEET_TARGET = "assets/review.css"


@dataclass(frozen=True)
class ReviewSite:
    site_dir: Path
    pages: int
    warnings: list[str]


def status_cell(status: str | None) -> Markup:
    """Symbol and word, so that colour is never the only signal."""
    if status is None:
        return Markup('<span class="rs rs-absent">absent</span>')
    if status in set(Conformance):
        symbol, css = Conformance(status).symbol, Conformance(status).slug
    else:
        symbol, css = ("\u2013", "unclaimed") if status == "" else ("?", "invalid")
    return Markup('<span class="rs rs-{}">{} {}</span>').format(
        css, symbol, inline(status or "not claimed"))


def external(url: str, label: str | None = None) -> Markup:
    """A clickable http(s) link (shown as ``label`` when given, the URL in its tooltip);
    anything else is shown as text only."""
    if not url.startswith(("http://", "https://")):
        return verbatim(label or url)
    target = html.escape(quote(url, safe=":/?#[]@!$&'()*+,;=%~"), quote=True)
    return Markup(f'<a href="{target}" rel="nofollow noopener" title="{verbatim(url)}">'
                  f'{verbatim(label or url)}</a>')


def health_cell(result: LinkResult | None) -> Markup:
    if result is None:
        return Markup("not checked")
    verdict = "CI passes" if result.ci_reachable else "CI fails"
    return Markup('<span class="lh lh-{}">{}</span> · {} · {}').format(
        result.outcome, result.outcome, inline(result.detail), verdict)


def breakable(identifier: str) -> Markup:
    """An id that may wrap after its underscores, never inside a word."""
    return Markup("_<wbr>").join(inline(part) for part in identifier.split("_"))


def link(text: str, target: str) -> Markup:
    """A Markdown link to another generated page (targets are our own slugs)."""
    return Markup(f"[{inline(text)}]({target})")


def _pages(corpus: Corpus) -> dict[str, tuple[str, dict[str, Any]]]:
    pages: dict[str, tuple[str, dict[str, Any]]] = {"index.md": ("index.md.j2", {"root": ""})}
    for version in corpus.versions:
        pages[review_version_page(version)] = ("version.md.j2", {"root": "../", "version": version})
    for view in corpus.submissions:
        pages[view.page] = ("submission.md.j2", {"root": "../", "s": view,
                                                 "changes": changes(view)})
    for rid in corpus.all_requirement_ids:
        pages[review_requirement_page(rid)] = ("requirement.md.j2", {"root": "../", "rid": rid})
    return pages


def _nav(corpus: Corpus) -> list[dict[str, Any]]:
    return [
        {"Overview": "index.md"},
        {"Matrix": [{v: review_version_page(v)} for v in corpus.versions]},
        {"Requirements": [{rid: review_requirement_page(rid)}
                          for rid in corpus.all_requirement_ids]},
        *({f"Submissions {v}": [{nav_title(s.name): s.page} for s in corpus.of_version(v)]}
          for v in corpus.versions),
    ]


@functools.cache
def _environment() -> jinja2.Environment:
    """The kit's environment on the project's templates, with the reviewer site's helpers."""
    env = new_environment(template_dirs())
    env.globals.update(status_cell=status_cell, external=external, health_cell=health_cell,
                       link=link, solutions_used=solutions_used, tally=tally,
                       bar_chart=bar_chart, catalog=entry, rules=ALL_RULES,
                       version_page=review_version_page,
                       requirement_page=review_requirement_page, page_url=page_url)
    env.filters.update(breakable=breakable)
    return env


def render(corpus: Corpus, docs_dir: Path) -> int:
    env = _environment()
    common = {"corpus": corpus, "totals": summary([s.report for s in corpus.submissions]),
              "online": bool(corpus.health) or any(s.report.online is not None
                                                   for s in corpus.submissions),
              "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
    pages = _pages(corpus)
    for target, (name, extra) in pages.items():
        text = render_template(env, f"{TEMPLATES}/{name}", **common, **extra)
        write_page(docs_dir / target, text)
    write_stylesheet(template_dirs(), STYLESHEET, docs_dir / STYLESHEET_TARGET)
    return len(pages)


def build_review_site(reports: list[SubmissionReport], out_dir: Path,
                      health: dict[str, LinkResult] | None = None) -> ReviewSite:
    """Render and build ``OUT/site``; a failed build leaves the previous site as it was."""
    corpus = build_corpus(reports, health)
    out = SiteOut(out_dir)
    claim_dir(out_dir, out.names, "--site")
    clear(out)
    pages = render(corpus, out.markdown)
    config = write_config(out.mkdocs_config, site_name="AI Conformance submissions review",
                          docs_dir=out.markdown, site_dir=out.staging, nav=_nav(corpus),
                          site_url=None, extra_css=[STYLESHEET_TARGET])
    with staged(out):
        warnings = build_site(config)
    return ReviewSite(out.site, pages, warnings)
