"""The evidence site in headless Chromium: every page at 1400 px and 400 px (no sideways
scrolling of the page, no output block scrolling sideways on a desktop, no console error, no
request leaving the machine), and a reviewer's walk: matrix -> page -> transcript."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.evidencesite import SiteResult
from tests.browser import WIDTHS, needs_chromium, shot_dir, walk

pytestmark = needs_chromium


def test_every_page_fits_both_widths(built_site: SiteResult, tmp_path: Path) -> None:
    shots = shot_dir(tmp_path, "evidence-site")
    seen: dict[str, Any] = {}

    def visit(page: Any, rel: str, width: int) -> None:
        if rel == "requirements/dra_support" and width == WIDTHS["desktop"]:
            seen["decisive"] = page.locator("mark.decisive").count()
            seen["marks_right"] = page.evaluate(
                "Math.max(...[...document.querySelectorAll('mark.decisive')]"
                ".map(m => m.getBoundingClientRect().right)) - window.innerWidth")
            seen["verdict_box"] = page.locator(".check-verdict").first.bounding_box()

    result = walk(built_site.site_dir, shots, visit=visit,
                  full_page={".", "requirements/dra_support"})
    assert result.pages == 2 * len(list(built_site.site_dir.rglob("index.html")))
    assert result.sideways == [], f"pages scroll sideways: {result.sideways}"
    desktop = {k: v for k, v in result.inner.items() if k.endswith(f"@{WIDTHS['desktop']}")}
    assert desktop == {}, f"boxes scroll sideways at 1400 px: {desktop}"
    assert result.outside == [], f"requests left the machine: {result.outside}"
    assert result.errors == [], f"console errors: {result.errors}"
    assert seen["decisive"] > 0 and seen["verdict_box"]["x"] < WIDTHS["desktop"]
    assert seen["marks_right"] <= 0, "a deciding line runs off the right edge"
    assert all(p.stat().st_size > 0 for p in result.shots)


def test_reviewer_walk(built_site: SiteResult) -> None:
    import pytest

    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.browser import ARGS, CHROMIUM, serve

    with serve(built_site.site_dir) as base, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        page.goto(base)
        page.click("article a[href='requirements/dra_support/']")
        page.wait_for_url("**/requirements/dra_support/")
        assert "Implemented" in page.inner_text(".requirement-line")
        transcript = page.locator("details.transcript")
        assert not transcript.evaluate("d => d.open")
        transcript.locator("summary").click()
        assert transcript.evaluate("d => d.open")
        assert page.locator("details.transcript pre.verbatim").first.is_visible()
        assert "<script>alert(1)</script>" in transcript.inner_text()
        browser.close()
