"""A reviewer's walk in headless Chromium (Debian's package): matrix -> page -> transcript.

The site is served from a local file server; any request to another host, and any console
error, fails the test.  The screenshot is kept under the test's output folder.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.evidencesite import SiteResult

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (Debian)")


@pytest.fixture
def served(built_site: SiteResult) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(built_site.site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def test_reviewer_walk(served: str, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    outside: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()

        def route(r: object) -> None:
            url = r.request.url  # type: ignore[attr-defined]
            if urlsplit(url).hostname != "127.0.0.1":
                outside.append(url)
                r.abort()  # type: ignore[attr-defined]
            else:
                r.continue_()  # type: ignore[attr-defined]

        page.route("**/*", route)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(served)
        page.click("article a[href='requirements/dra_support/']")
        page.wait_for_url("**/requirements/dra_support/")
        assert "Implemented" in page.inner_text(".requirement-line")
        transcript = page.locator("details.transcript")
        assert not transcript.evaluate("d => d.open")
        transcript.locator("summary").click()
        assert transcript.evaluate("d => d.open")
        assert page.locator("details.transcript pre.verbatim").first.is_visible()
        assert "<script>alert(1)</script>" in transcript.inner_text()
        page.screenshot(path=str(tmp_path / "dra_support.png"), full_page=True)
        browser.close()
    assert (tmp_path / "dra_support.png").stat().st_size > 0
    assert outside == [], f"requests left the machine: {outside}"
    assert errors == [], f"console errors: {errors}"
