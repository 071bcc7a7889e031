"""Check every internal link and anchor of a built site, raw evidence files included.

mkdocs only checks Markdown links; our pages link evidence files through raw HTML, so the
built HTML itself is what we check: a reviewer clicks on HTML, not on Markdown.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(values[key] or "")
        target = values.get("href") if tag in ("a", "link") else values.get("src")
        if target:
            self.links.append(target)


def _parse(path: Path, cache: dict[Path, _Page]) -> _Page:
    if path not in cache:
        page = _Page()
        page.feed(path.read_text(encoding="utf-8", errors="replace"))
        cache[path] = page
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
