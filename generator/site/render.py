"""Evidence tree -> Markdown pages, through Jinja2 templates a workspace may override.

Templates come from ``WORKSPACE/site-templates/`` first, then the project's
``site-templates/``; the same lookup serves the stylesheet.  Every expression is escaped
(:mod:`generator.site.escape`) so captured output can never turn into markup.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from generator import __version__
from generator.bundle import Bundle, RequirementView
from generator.evidence.model import Status
from generator.fsutil import atomic_write_text
from generator.linkcheck.classify import LinkResult
from generator.resources import resource_dir
from generator.site import escape

TEMPLATES_DIR = "site-templates"
STYLESHEET = "evidence.css"
STYLESHEET_TARGET = "assets/evidence.css"

# raw evidence files are served from the reviewer's site: anything a browser could run is
# published with a .txt suffix so that an imported report cannot carry a script
_IDENT = re.compile(r"[a-z0-9][a-z0-9_.-]*")
SAFE_SUFFIXES = frozenset({".txt", ".log", ".json", ".jsonl", ".yaml", ".yml", ".sh", ".md",
                           ".stdout", ".stderr", ".csv", ".tsv", ".out", ".err"})


def published_path(relative: str) -> str:
    """Where a file of a requirement folder is published, relative to its page."""
    return relative if Path(relative).suffix.lower() in SAFE_SUFFIXES else relative + ".txt"


def page_path(requirement_id: str) -> Markup:
    return Markup(f"requirements/{ident(requirement_id)}.md")


def ident(value: str) -> Markup:
    """An id (requirement, check) used in URLs and anchors: schema-checked, so kept as is."""
    if not _IDENT.fullmatch(value):
        raise ValueError(f"not an identifier: {value!r}")
    return Markup(value)


def template_dirs(workspace_root: Path) -> list[Path]:
    return [workspace_root / TEMPLATES_DIR, resource_dir(TEMPLATES_DIR)]


def badge(status: Status, declared: str | None = None) -> Markup:
    """A status with a symbol and a word, so that colour is never the only signal."""
    symbol, label = status.display(declared)
    return Markup('<span class="status status-{}">{} {}</span>').format(
        status.value, symbol, label)


def href(relative: str) -> Markup:
    """A link to a published evidence file from its requirement page."""
    return Markup(escape.verbatim(quote(published_path(relative))))


@functools.cache
def environment(workspace_root: Path) -> jinja2.Environment:
    """One environment per template lookup, so compiled templates are reused (auto_reload
    still notices an edited template)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in template_dirs(workspace_root)]),
        autoescape=True, finalize=escape.finalize, undefined=jinja2.StrictUndefined,
        comment_start_string="{##", comment_end_string="##}",  # {#id} is attr_list syntax
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(pre=escape.pre, inline=escape.inline, href=href,
                       ident=ident, json=lambda value: Markup(json.dumps(str(value))),
                       markdown=lambda text: Markup(text or ""))
    env.globals.update(badge=badge, page_path=page_path, tool_version=__version__)
    return env


@dataclass(frozen=True)
class SiteContext:
    """What every page may show besides the bundle."""

    generated_at: str
    submission_link: str | None  # PRODUCT.yaml as published on the site, when written
    product_path: str | None  # where PRODUCT.yaml lands in the cncf repository
    site_url: str | None
    link_health: tuple[LinkResult, ...] = ()  # with --online: every URL of PRODUCT.yaml


def render_pages(bundle: Bundle, docs_dir: Path, context: SiteContext) -> list[str]:
    """Write every page and the stylesheet under ``docs_dir``; return the page paths."""
    env = environment(bundle.workspace.root)
    common: dict[str, Any] = {"bundle": bundle, "platform": bundle.workspace.platform,
                              "run": bundle.tree.run or {}, "site": context}
    # ``root``: the way back to the site root from the page's directory URL
    pages: dict[str, tuple[str, dict[str, Any]]] = {
        "index.md": ("index.md.j2", {"root": ""}),
        "environment.md": ("environment.md.j2", {"root": "../"}),
        "reproduce.md": ("reproduce.md.j2", {"root": "../"})}
    for view in bundle.requirements:
        pages[page_path(view.id)] = ("requirement.md.j2", {"r": view, "root": "../../"})
    for target, (name, extra) in pages.items():
        text = env.get_template(name).render(**common, **extra)
        atomic_write_text(docs_dir / target, text)
    stylesheet = next(d / STYLESHEET for d in template_dirs(bundle.workspace.root)
                      if (d / STYLESHEET).is_file())
    atomic_write_text(docs_dir / STYLESHEET_TARGET, stylesheet.read_text(encoding="utf-8"))
    return list(pages)


def nav(bundle: Bundle) -> list[dict[str, Any]]:
    """The site navigation: overview first, then requirements by checklist category."""
    by_category: dict[str, list[dict[str, str]]] = {}
    for view in bundle.requirements:
        by_category.setdefault(view.category, []).append(
            {_nav_title(view): str(page_path(view.id))})
    return [{"Overview": "index.md"}, {"Environment": "environment.md"},
            *({f"Requirements: {c}": items} for c, items in by_category.items()),
            {"Reproduce": "reproduce.md"}]


def _nav_title(view: RequirementView) -> str:
    return f"{view.title} ({view.level})"

