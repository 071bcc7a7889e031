"""Walk every page of a built site in headless Chromium (Debian's package) at a desktop and a
phone width: the page never scrolls sideways, nothing is logged as an error, no request leaves
the machine. Screenshots are kept for a human to look at.

Set ``K8S_AI_EVIDENCE_SCREENSHOTS=DIR`` to keep them in DIR (e.g. ``build/screenshots``);
otherwise they land in the test's temporary folder.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = {"desktop": 1400, "phone": 400}
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="no /usr/bin/chromium (Debian)")

# what overflows sideways, measured in the page: the document itself, and each output block
# or table that is wider than its box (those scroll inside the box: allowed on a phone only)
_MEASURE = """() => {
  const doc = document.scrollingElement;
  const boxes = 'article pre, article pre > code, article .md-typeset__table, article table';
  const inner = [...document.querySelectorAll(boxes)]
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => (e.className || e.tagName) + ':' + (e.innerText || '').slice(0, 40));
  return {page: doc.scrollWidth - window.innerWidth, inner: inner};
}"""


@dataclass
class Walk:
    pages: int = 0
    sideways: list[str] = field(default_factory=list)  # page-level, any width
    inner: dict[str, list[str]] = field(default_factory=dict)  # url@width -> boxes
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    shots: list[Path] = field(default_factory=list)


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def shot_dir(default: Path, name: str) -> Path:
    folder = Path(os.environ.get("K8S_AI_EVIDENCE_SCREENSHOTS") or default) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def walk(site_dir: Path, shots: Path, *, full_page: set[str] | None = None,
         shoot: set[str] | None = None, visit: Any = None, only: set[str] | None = None
         ) -> Walk:
    """Visit every ``index.html`` of ``site_dir`` (or the pages in ``only``) at each width;
    ``visit(page, rel, width)`` may assert more on each page. The pages in ``shoot``
    (default: all) are photographed, those in ``full_page`` at full length (one page of each
    type keeps a large site fast)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    result = Walk()
    pages = sorted(p.parent.relative_to(site_dir).as_posix() for p in site_dir.rglob("index.html"))
    pages = [rel for rel in pages if only is None or rel in only]
    with serve(site_dir) as base, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for label, width in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()

            def route(r: Any) -> None:
                if urlsplit(r.request.url).hostname != "127.0.0.1":
                    result.outside.append(r.request.url)
                    r.abort()
                else:
                    r.continue_()

            page.route("**/*", route)
            page.on("console", lambda m: result.errors.append(m.text)
                    if m.type == "error" else None)
            page.on("pageerror", lambda e: result.errors.append(str(e)))
            for rel in pages:
                url = base + ("" if rel == "." else rel + "/")
                page.goto(url, wait_until="domcontentloaded")  # after the CSS and scripts
                measured = page.evaluate(_MEASURE)
                key = f"{rel}@{width}"
                if measured["page"] > 0:
                    result.sideways.append(f"{key}: {measured['page']} px")
                if measured["inner"]:
                    result.inner[key] = measured["inner"]
                if visit:
                    visit(page, rel, width)
                if shoot is not None and rel not in shoot:
                    result.pages += 1
                    continue
                name = ("index" if rel == "." else rel.replace("/", "_")) + f"-{label}.png"
                page.screenshot(path=str(shots / name),
                                full_page=full_page is None or rel in full_page)
                result.shots.append(shots / name)
                result.pages += 1
            context.close()
        browser.close()
    return result
