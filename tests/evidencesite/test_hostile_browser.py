"""No planted script runs in a real browser (Debian's chromium), on the evidence site or the
review site: a vendor's notes.md with raw HTML, a platformName with markup, and every field of a
submission carrying payloads that would set a global or make a request if they ran."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from generator.bundle import load_bundle
from generator.evidencesite import build_evidence_site
from generator.productyaml import write_submission
from generator.review import review_paths
from generator.reviewsite import build_review_site
from generator.sitekit.narrative import vendor_markdown
from generator.workspace import Workspace
from tests.browser import ARGS, CHROMIUM
from tests.review.builders import checkout, product, requirement
from tests.upstream.conftest import suite_evidence

DATA = Path(__file__).resolve().parent.parent / "data"


def payload(tag: str) -> str:
    """Markup that, if it ran anywhere, sets ``window.__pwned`` or requests ``/pwned-<tag>``."""
    run = f"window.__pwned='{tag}';fetch('/pwned-{tag}')"
    return (f'<script>{run}</script><img src=x onerror="{run}">'
            f'<svg onload="{run}"></svg><details open ontoggle="{run}"></details>'
            f'<iframe src="javascript:{run}"></iframe><a href="javascript:{run}">a</a>'
            f"[md](javascript:{run}) </title></textarea>'\"><script>{run}</script>"
            f"<style>@import url(/pwned-{tag}-css);</style>"
            f'<img src="https://tracker.example/pwned-{tag}.png">')


NOTES = f"""\
*Example narrative with formatting:* **bold**, a [link](https://kueue.sigs.k8s.io/), `code`.

| kept | table |
|------|-------|
| 1    | 2     |

{payload("notes")}

<a href="JaVaScRiPt:window.__pwned='case'">mixed case</a>
"""


def test_notes_keep_markdown_and_lose_everything_that_runs() -> None:
    html = vendor_markdown(NOTES)
    assert "<strong>bold</strong>" in html and "<table>" in html and "<code>code</code>" in html
    assert 'href="https://kueue.sigs.k8s.io/"' in html
    for gone in ("<script", "onerror", "onload", "ontoggle", "javascript:", "JaVaScRiPt",
                 "<iframe", "<style", "tracker.example"):
        assert gone not in html


def hostile_stream(path: Path) -> Path:
    """A suite run whose test names and output carry the payload: a failing subtest of a test
    that covers a requirement (its output excerpted), and an unmapped test."""
    package = "sigs.k8s.io/ai-conformance/test"
    parent, child = "TestGangScheduling", f"TestGangScheduling/{payload('suite-name')}"
    other = f"Test{payload('suite-other')}"

    def event(action: str, test: str | None = None, **more: object) -> str:
        return json.dumps({"Time": "2026-11-20T09:12:03Z", "Action": action,
                           "Package": package, **({"Test": test} if test else {}), **more})

    events = [event("start"), event("run", parent), event("run", child),
              event("output", child, Output=f"    gang_test.go:9: {payload('suite-out')}\n"),
              event("output", child, Output=f"    --- FAIL: {child} (0.10s)\n"),
              event("fail", child, Elapsed=0.1), event("fail", parent, Elapsed=0.2),
              event("run", other), event("output", other, Output=payload("suite-other-out")),
              event("pass", other, Elapsed=0), event("fail", Elapsed=1)]
    path.write_text("\n".join(events) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    workspace = root / "ws"
    shutil.copytree(DATA / "evidence-tree", workspace)
    platform = yaml.safe_load((workspace / "platform.yaml").read_text())
    platform["metadata"]["platformName"] = f"Acme {payload('evidence-name')}"
    (workspace / "platform.yaml").write_text(yaml.safe_dump(platform))
    (workspace / "evidence/v1.35/dra_support/notes.md").write_text(NOTES)
    bundle = load_bundle(Workspace.load(workspace), DATA / "checklist/AIConformance-1.35.yaml")
    submission = write_submission(bundle, root / "evidence-out")
    build_evidence_site(bundle, root / "evidence-out", product_yaml=submission.path,
                        product_path=submission.repo_path)
    with pytest.MonkeyPatch.context() as mp:
        suite = suite_evidence(root / "suite", hostile_stream(root / "hostile.jsonl"), mp)
    build_evidence_site(load_bundle(suite), root / "suite-out")
    doc = product("1.34", **{key: payload(f"meta-{key}") for key in (
        "platformName", "platformVersion", "vendorName", "description", "websiteUrl",
        "repoUrl", "documentationUrl", "productLogoUrl", "contactEmailAddress")})
    item = requirement(doc, "ai_inference")
    item.update(notes=payload("req-notes"), status=payload("status"),
                evidence=["javascript:window.__pwned='ev'", payload("evidence"),
                          "https://example.com/<script>window.__pwned='url'</script>"])
    item["description"] = payload("description")
    checkout(root / "repo", doc, "1.34", name="hostile")
    build_review_site(review_paths([root / "repo"]), root / "review-out")
    return root


@pytest.fixture(scope="module")
def served(sites: Path) -> Iterator[tuple[str, list[str]]]:
    requested: list[str] = []
    handler = functools.partial(_Handler, requested, directory=str(sites))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/", requested
    server.shutdown()
    server.server_close()


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, requested: list[str], *args: object, **kwargs: object) -> None:
        self._requested = requested
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def log_message(self, *args: object) -> None:
        self._requested.append(self.path)


def test_suite_test_names_and_output_are_text(sites: Path) -> None:
    html = (sites / "suite-out/site/upstream-suite/index.html").read_text(encoding="utf-8")
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    for gone in ("<script", "<img", "<svg", "<iframe", "<style", "javascript:", "<details open"):
        assert gone not in article
    assert "&#60;script&#62;window&#46;&#95;&#95;pwned&#61;&#39;suite&#45;out&#39;" in article
    assert "&#60;script&#62;window&#46;&#95;&#95;pwned&#61;&#39;suite&#45;name&#39;" in article


@pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (Debian)")
@pytest.mark.parametrize("site", ["evidence-out/site", "suite-out/site", "review-out/site"])
def test_no_planted_script_runs_on_any_page(sites: Path, served: tuple[str, list[str]],
                                            site: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, requested = served
    pages = sorted((sites / site).rglob("index.html"))
    assert len(pages) >= 5
    outside: list[str] = []
    dialogs: list[str] = []
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
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in pages:
            url = base + path.relative_to(sites).as_posix()
            page.goto(url, wait_until="load")
            page.wait_for_timeout(50)
            assert page.evaluate("window.__pwned") is None, url
            links = page.eval_on_selector_all(
                "[href], [src], [action], [formaction]",
                "els => els.flatMap(e => ['href', 'src', 'action', 'formaction']"
                ".map(a => e.getAttribute(a) || '')).filter(v => /^\\s*javascript:/i.test(v))")
            assert links == [], url
            assert page.locator("script:not([src])").evaluate_all(
                "els => els.filter(e => e.textContent.includes('__pwned')).length") == 0, url
        if site.startswith("suite"):
            page.goto(base + "suite-out/site/upstream-suite/")
            assert "<script>" in page.inner_text(".suite-failure")  # shown, as text
        if site.startswith("evidence"):
            page.goto(base + "evidence-out/site/requirements/dra_support/")
            notes = page.inner_html(".vendor-notes")
            assert "<strong>bold</strong>" in notes and "<table>" in notes
        browser.close()
    assert [p for p in requested if "pwned" in p] == []
    # the search box shows the index's titles and text as HTML: no markup of the payload there
    index = json.loads((sites / site / "search/search_index.json").read_text())
    shown = " ".join(doc[key].lower() for doc in index["docs"] for key in ("title", "text"))
    assert "pwned" in shown
    tags = re.findall(r"<(?:script|img|svg|iframe|style|details|object|embed)\b|"
                      r"<[a-z][^<>]*\s(?:on\w+\s*=|(?:href|src)\s*=\s*[\"']?\s*javascript:)",
                      shown)  # a real tag: a "<" of the payload's text is written &lt;
    assert tags == []
    assert outside == [] and dialogs == []
