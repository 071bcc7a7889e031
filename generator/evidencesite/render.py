"""Evidence tree -> Markdown pages, through Jinja2 templates a workspace may override
(lookup and escaping: :mod:`generator.sitekit.templates`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from generator.bundle import Bundle, RequirementView
from generator.checklist.model import category_title
from generator.evidence.verdicts import Status
from generator.evidencesite.steps import entry_output, steps
from generator.evidencesite.suite import suite_view
from generator.layout import SUITE_PAGE, page_url, requirement_page, requirement_url
from generator.linkhealth.classify import LinkResult
from generator.sitekit import escape
from generator.sitekit.templates import (
    ident,
    new_environment,
    render_template,
    template_dirs,
    write_page,
    write_stylesheet,
)
from generator.upstream.artifacts import SuiteArtifacts

STYLESHEET = "evidence.css"
STYLESHEET_TARGET = "assets/evidence.css"

# raw evidence files are served from the reviewer's site: anything a browser could run is
# published with a .txt suffix so that an imported report cannot carry a script
SAFE_SUFFIXES = frozenset({".txt", ".log", ".json", ".jsonl", ".yaml", ".yml", ".sh", ".md",
                           ".stdout", ".stderr", ".csv", ".tsv", ".out", ".err"})


def published_path(relative: str) -> str:
    """Where a file of a requirement folder is published, relative to its page."""
    return relative if Path(relative).suffix.lower() in SAFE_SUFFIXES else relative + ".txt"


def page_path(requirement_id: str) -> Markup:
    return Markup(requirement_page(ident(requirement_id)))


def evidence_url(requirement_id: str, relative: str = "") -> Markup:
    """A requirement's page URL, or one of its published evidence files, from the site root."""
    return Markup(requirement_url(ident(requirement_id))) + (href(relative) if relative else "")


def badge(status: Status, declared: str | None = None) -> Markup:
    """A status with a symbol and a word, so that colour is never the only signal."""
    symbol, label = status.display(declared)
    return Markup('<span class="status status-{}">{} {}</span>').format(
        status.value, symbol, label)


def href(relative: str) -> Markup:
    """A link to a published evidence file from its requirement page."""
    return Markup(escape.verbatim(quote(published_path(relative))))


def test_name(title: str) -> Markup:
    """``TestSuite/case_name`` as words, the suite small before it: readable, still exact."""
    *parents, case = title.split("/")
    words = escape.inline(case.replace("_", " "))
    if not parents:
        return words
    return Markup('<small class="suite">{}</small><br>{}').format(
        escape.inline("/".join(parents)), words)


@functools.cache
def environment(workspace_root: Path) -> jinja2.Environment:
    """The kit's environment for this workspace's template lookup, with the evidence site's
    helpers; one per workspace, so compiled templates are reused."""
    env = new_environment(template_dirs(workspace_root))
    env.filters.update(href=href)
    env.filters.update(test_name=test_name, category=category_title)
    env.tests["cited_in"] = lambda path, cited, folder: (
        path.relative_to(folder).as_posix() in cited)
    env.globals.update(badge=badge, page_path=page_path, evidence_url=evidence_url,
                       steps=steps, entry_output=entry_output,
                       suite_url=Markup(page_url(SUITE_PAGE)))
    return env


@dataclass(frozen=True)
class SiteContext:
    """What every page may show besides the bundle."""

    generated_at: str
    submission_link: str | None  # PRODUCT.yaml as published on the site, when written
    product_path: str | None  # where PRODUCT.yaml lands in the cncf repository
    site_url: str | None
    link_health: tuple[LinkResult, ...] = ()  # with --online: every URL of PRODUCT.yaml
    suite_artifacts: SuiteArtifacts | None = None  # as build judged them for PRODUCT.yaml


def render_pages(bundle: Bundle, docs_dir: Path, context: SiteContext) -> list[str]:
    """Write every page and the stylesheet under ``docs_dir``; return the page paths."""
    env = environment(bundle.workspace.root)
    common: dict[str, Any] = {"bundle": bundle, "platform": bundle.workspace.platform,
                              "run": bundle.tree.run, "site": context}
    # ``root``: the way back to the site root from the page's directory URL
    pages: dict[str, tuple[str, dict[str, Any]]] = {
        "index.md": ("index.md.j2", {"root": ""}),
        "environment.md": ("environment.md.j2", {"root": "../"}),
        "reproduce.md": ("reproduce.md.j2", {"root": "../"})}
    for view in bundle.requirements:
        pages[page_path(view.id)] = ("requirement.md.j2", {"r": view, "root": "../../"})
    if bundle.tree.suite:
        pages[SUITE_PAGE] = ("upstream-suite.md.j2", {
            "root": "../", "views": {v.id: v for v in bundle.requirements},
            "suite": suite_view(bundle.tree.suite, bundle.tree.suite_dir,
                                context.suite_artifacts)})
    for target, (name, extra) in pages.items():
        text = render_template(env, name, **common, **extra)
        write_page(docs_dir / target, text)
    write_stylesheet(template_dirs(bundle.workspace.root), STYLESHEET,
                     docs_dir / STYLESHEET_TARGET)
    return list(pages)


def nav(bundle: Bundle) -> list[dict[str, Any]]:
    """The site navigation: overview first, then requirements by checklist category."""
    by_category: dict[str, list[dict[str, str]]] = {}
    for view in bundle.requirements:
        by_category.setdefault(view.category, []).append(
            {_nav_title(view): str(page_path(view.id))})
    suite = [{"Upstream suite": SUITE_PAGE}] if bundle.tree.suite else []
    return [{"Overview": "index.md"}, {"Environment": "environment.md"},
            *({escape.nav_title(category_title(c)): items} for c, items in by_category.items()),
            *suite, {"Reproduce": "reproduce.md"}]


def _nav_title(view: RequirementView) -> str:
    return escape.nav_title(f"{view.title} ({view.level})")

