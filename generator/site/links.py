"""Check every internal link and anchor of a built site, raw evidence files included.

mkdocs only checks Markdown links; our pages link evidence files through raw HTML, so the
built HTML itself is what we check: a reviewer clicks on HTML, not on Markdown.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\s([^>]*)>")
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


@dataclass
class _Page:
    """Ids and links of one HTML page; a tag scan is enough for the HTML mkdocs writes, and
    several times faster than a full parser on a site of many pages."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)

    @classmethod
    def scan(cls, text: str) -> _Page:
        page = cls()
        for tag, attributes in _TAG.findall(text):
            values = {m[0].lower(): html.unescape(m[1] or m[2] or m[3]) for m in
                      _ATTR.findall(attributes)}
            tag = tag.lower()
            for key in ("id", "name") if tag == "a" else ("id",):
                if values.get(key):
                    page.ids.add(values[key])
            target = values.get("href") if tag in ("a", "link") else values.get("src")
            if target:
                page.links.append(target)
        return page


def _parse(path: Path, cache: dict[Path, _Page]) -> _Page:
    if path not in cache:
        cache[path] = _Page.scan(path.read_text(encoding="utf-8", errors="replace"))
    return cache[path]


def broken_links(site_dir: Path) -> list[str]:
    """``page: link: problem`` for each relative link that leads nowhere."""
    problems: list[str] = []
    cache: dict[Path, _Page] = {}
    root = site_dir.resolve()
    for page_path in sorted(site_dir.rglob("*.html")):
        if page_path.name == "404.html" and page_path.parent == site_dir:
            continue  # served at any path, so its links are absolute by design
        for link in _parse(page_path, cache).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # external or mailto: not ours to check offline
            target = page_path
            if parts.path:
                target = (page_path.parent / unquote(parts.path)).resolve()
                if parts.path.endswith("/") or target.is_dir():
                    target = target / "index.html"
            name = page_path.relative_to(site_dir).as_posix()
            if not target.resolve().is_relative_to(root):
                problems.append(f"{name}: {link}: leads outside the site")
            elif not target.is_file():
                problems.append(f"{name}: {link}: no such file")
            elif parts.fragment and target.suffix == ".html" and (
                    unquote(parts.fragment) not in _parse(target, cache).ids):
                problems.append(f"{name}: {link}: no such anchor")
    return problems
