"""Check every internal link and anchor of a built site, raw evidence files included.

mkdocs only checks Markdown links; our pages link evidence files through raw HTML, so the
built HTML itself is what we check: a reviewer clicks on HTML, not on Markdown.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\s([^>]*)>")
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


_WANTED = ("id", "href", "src", "name")  # the attributes read below


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
            lowered = attributes.lower()
            if not any(name in lowered for name in _WANTED):
                continue  # most tags (code highlighting spans) carry only a class
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
    """``page: link: problem`` for each relative link that leads nowhere.

    Targets are resolved lexically (a built site has no symbolic links) and each one is
    looked up once: every page repeats the same navigation links.
    """
    problems: list[str] = []
    cache: dict[Path, _Page] = {}
    root = os.path.abspath(site_dir)
    kinds: dict[str, str | None] = {}  # path -> "file", "dir" or None

    def kind(path: str) -> str | None:
        if path not in kinds:
            kinds[path] = "file" if os.path.isfile(path) else "dir" if os.path.isdir(
                path) else None
        return kinds[path]

    for page_path in sorted(site_dir.rglob("*.html")):
        if page_path.name == "404.html" and page_path.parent == site_dir:
            continue  # served at any path, so its links are absolute by design
        page = os.path.abspath(page_path)
        name = page_path.relative_to(site_dir).as_posix()
        for link in _parse(page_path, cache).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # external or mailto: not ours to check offline
            target = page
            if parts.path:
                target = os.path.normpath(os.path.join(os.path.dirname(page),
                                                       unquote(parts.path)))
                if parts.path.endswith("/") or kind(target) == "dir":
                    target = os.path.join(target, "index.html")
            if target != root and not target.startswith(root + os.sep):
                problems.append(f"{name}: {link}: leads outside the site")
            elif kind(target) != "file":
                problems.append(f"{name}: {link}: no such file")
            elif parts.fragment and target.endswith(".html") and (
                    unquote(parts.fragment) not in _parse(Path(target), cache).ids):
                problems.append(f"{name}: {link}: no such anchor")
    return problems
