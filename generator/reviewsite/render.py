"""The reviewer site: Markdown pages from ``site-templates/review/``, built with the evidence
site's mkdocs-material helper, into a staging folder swapped in only when complete."""

from __future__ import annotations

import html
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from generator.catalog import entry
from generator.evidence.model import Conformance
from generator.fsutil import atomic_write_text, replace_dir
from generator.linkcheck import LinkResult
from generator.review import SubmissionReport, summary
from generator.review.rules import ALL_RULES
from generator.reviewsite.diff import changes
from generator.reviewsite.model import Corpus, build_corpus
from generator.reviewsite.solutions import bar_chart, solutions_used, tally
from generator.site.escape import inline, verbatim
from generator.site.mkdocs_build import build_site, write_config
from generator.site.render import environment, template_dirs

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


def external(url: str) -> Markup:
    """A clickable http(s) link; anything else is shown as text only."""
    if not url.startswith(("http://", "https://")):
        return verbatim(url)
    target = html.escape(quote(url, safe=":/?#[]@!$&'()*+,;=%~"), quote=True)
    return Markup(f'<a href="{target}" rel="nofollow noopener">{verbatim(url)}</a>')


def health_cell(result: LinkResult | None) -> Markup:
    if result is None:
        return Markup("not checked")
    verdict = "CI passes" if result.ci_reachable else "CI fails"
    return Markup('<span class="lh lh-{}">{}</span> · {} · {}').format(
        result.outcome, result.outcome, inline(result.detail), verdict)


def link(text: str, target: str) -> Markup:
    """A Markdown link to another generated page (targets are our own slugs)."""
    return Markup(f"[{inline(text)}]({target})")


def _pages(corpus: Corpus) -> dict[str, tuple[str, dict[str, Any]]]:
    pages: dict[str, tuple[str, dict[str, Any]]] = {"index.md": ("index.md.j2", {"root": ""})}
    for version in corpus.versions:
        pages[f"versions/{version}.md"] = ("version.md.j2", {"root": "../", "version": version})
    for view in corpus.submissions:
        pages[view.page] = ("submission.md.j2", {"root": "../", "s": view,
                                                 "changes": changes(view)})
    for rid in corpus.all_requirement_ids:
        pages[f"requirements/{rid}.md"] = ("requirement.md.j2", {"root": "../", "rid": rid})
    return pages


def _nav(corpus: Corpus) -> list[dict[str, Any]]:
    return [
        {"Overview": "index.md"},
        {"Matrix": [{v: f"versions/{v}.md"} for v in corpus.versions]},
        {"Requirements": [{rid: f"requirements/{rid}.md"} for rid in corpus.all_requirement_ids]},
        *({f"Submissions {v}": [{s.name: s.page} for s in corpus.of_version(v)]}
          for v in corpus.versions),
    ]


def render(corpus: Corpus, docs_dir: Path) -> int:
    env = environment(docs_dir)
    env.globals.update(status_cell=status_cell, external=external, health_cell=health_cell,
                       link=link, solutions_used=solutions_used, tally=tally,
                       bar_chart=bar_chart, catalog=entry, rules=ALL_RULES)
    common = {"corpus": corpus, "totals": summary([s.report for s in corpus.submissions]),
              "online": bool(corpus.health) or any(s.report.online is not None
                                                   for s in corpus.submissions),
              "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
    pages = _pages(corpus)
    for target, (name, extra) in pages.items():
        text = env.get_template(f"{TEMPLATES}/{name}").render(**common, **extra)
        atomic_write_text(docs_dir / target, text)
    css = next(d / STYLESHEET for d in template_dirs(docs_dir) if (d / STYLESHEET).is_file())
    atomic_write_text(docs_dir / STYLESHEET_TARGET, css.read_text(encoding="utf-8"))
    return len(pages)


def build_review_site(reports: list[SubmissionReport], out_dir: Path,
                      health: dict[str, LinkResult] | None = None) -> ReviewSite:
    """Render and build ``OUT/site``; a failed build leaves the previous site as it was."""
    corpus = build_corpus(reports, health)
    docs_dir, staging, site_dir = out_dir / "markdown", out_dir / ".site.tmp", out_dir / "site"
    for folder in (docs_dir, staging):
        shutil.rmtree(folder, ignore_errors=True)
    pages = render(corpus, docs_dir)
    config = write_config(out_dir / "mkdocs.yml", site_name="AI Conformance submissions review",
                          docs_dir=docs_dir, site_dir=staging, nav=_nav(corpus), site_url=None,
                          extra_css=[STYLESHEET_TARGET])
    try:
        warnings = build_site(config)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    replace_dir(staging, site_dir)
    return ReviewSite(site_dir, pages, warnings)
