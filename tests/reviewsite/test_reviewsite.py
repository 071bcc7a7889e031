"""The reviewer site, built for real with mkdocs-material: the shared corpus (matrix and one
submission page), the previous-version diff, the charts, online health, hostile text."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from generator.linkhealth import LinkResult
from generator.review import review_paths
from generator.reviewsite import ReviewSite, build_review_site
from generator.sitekit.internal_links import broken_links
from tests.review.builders import EXECUTED, checkout, product, requirement


def _text(path: Path) -> str:
    """Visible text of a page's article (not the navigation), entities decoded, folded."""
    page = path.read_text(encoding="utf-8")
    article = page[page.index("<article"):page.index("</article>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", article)).split())


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory, conformance_repo: Path) -> ReviewSite:
    return build_review_site(review_paths([conformance_repo]), tmp_path_factory.mktemp("review"))


def test_corpus_matrix_lists_every_submission_with_status_and_verdict(
        corpus_site: ReviewSite, conformance_repo: Path) -> None:
    site = corpus_site.site_dir
    assert corpus_site.warnings == [] and broken_links(site) == []
    for version in ("v1.33", "v1.34"):
        page = site / "versions" / version / "index.html"
        html = page.read_text(encoding="utf-8")
        dirs = sorted(p.name for p in (conformance_repo / version).iterdir() if p.is_dir())
        for name in dirs:
            assert f'href="../../submissions/{version}-{name}/"' in html, name
        rows = html.count("ci-valid") + html.count("ci-invalid")
        assert rows == len(dirs)
    matrix = _text(site / "versions" / "v1.34" / "index.html")
    assert "✔ Implemented" in matrix and "⊘ N/A" in matrix and "✘ rejects" in matrix
    assert "dra_support" in matrix and "SHOULD" in matrix  # columns from the checklist


def test_corpus_submission_page_orders_ci_errors_then_warnings_then_inventory(
        corpus_site: ReviewSite) -> None:
    page = corpus_site.site_dir / "submissions" / "v1.34-gardener" / "index.html"
    text = _text(page)
    ci, warnings, inventory, changes = (text.index(h) for h in (
        "CNCF CI errors", "Reviewer warnings", "Evidence inventory", "Changes since"))
    assert ci < warnings < inventory < changes
    assert "Missing metadata field: k8sConformanceUrl" in text[ci:warnings]
    assert "unpinned-github-link (27)" in text[warnings:inventory]
    assert "v1.34/dra_support/test_result.log log executed moving github.com not checked" in text
    assert "v1.34/dra_support/README.md repository moving github.com" in text
    assert "Compared with v1.33 : Requirement Before After Evidence added Evidence removed " \
           "dra_support ◐ Partially Implemented ✔ Implemented" in text


def test_corpus_requirement_page_has_a_static_chart(corpus_site: ReviewSite) -> None:
    html = (corpus_site.site_dir / "requirements" / "gang_scheduling" / "index.html"
            ).read_text(encoding="utf-8")
    assert "<svg" in html and ">Kueue</text>" in html and ">Volcano</text>" in html
    for page in corpus_site.site_dir.rglob("*.html"):
        assert not re.search(r"<script[^>]+src=\"https?://", page.read_text(encoding="utf-8"))


def _two_versions(root: Path) -> None:
    old = product("1.33", platformName="Fixture Platform")
    requirement(old, "ai_inference").update(status="Implemented",
                                            notes="Routed with Envoy Gateway 1.2.")
    checkout(root, old, "1.33")
    new = product("1.34", platformName="Fixture Platform")
    requirement(new, "ai_inference").update(
        status="Partially Implemented", evidence=[EXECUTED, "https://docs.example/latest/gw"],
        notes="Routed with Istio | <script>alert(1)</script> `x` [y](javascript:z)")
    requirement(new, "gpu_sharing").update(status="Implemented", evidence=[EXECUTED],
                                           notes="MIG strategy single.")
    checkout(root, new, "1.34")


def test_previous_version_diff_chart_and_hostile_notes(tmp_path: Path) -> None:
    _two_versions(tmp_path / "repo")
    dead = "https://docs.example/latest/gw"
    health = {dead: LinkResult(dead, "dead", "HTTP 404", False, 404)}
    site = build_review_site(review_paths([tmp_path / "repo"]), tmp_path / "out", health)
    assert broken_links(site.site_dir) == []
    page = site.site_dir / "submissions" / "v1.34-fp" / "index.html"
    text = _text(page)
    changes = text[text.index("Changes since"):]
    assert "ai_inference ✔ Implemented ◐ Partially Implemented" in changes
    assert "gpu_sharing \u2013 not claimed ✔ Implemented" in changes
    assert dead in changes
    assert "dead · HTTP 404 · CI fails" in text
    assert "documentation" in text and "moving" in text
    html = page.read_text(encoding="utf-8")
    assert "<script>alert" not in html and 'href="javascript' not in html
    req = _text(site.site_dir / "requirements" / "ai_inference" / "index.html")
    assert "Istio 1" in req and "Envoy Gateway 1" in req  # one submission each


def test_cli_review_site_json(tmp_path: Path, run_cli) -> None:
    _two_versions(tmp_path / "repo")
    result = run_cli("review", tmp_path / "repo", "--site", tmp_path / "out", "--output", "json")
    payload = json.loads(result.stdout)
    assert result.exit_code == 1  # Partially Implemented on a MUST
    assert Path(payload["site"], "index.html").is_file()
    assert (tmp_path / "out" / "site" / "versions" / "v1.33" / "index.html").is_file()


def test_one_pull_request_still_gets_its_previous_version_diff(tmp_path: Path) -> None:
    _two_versions(tmp_path / "repo")
    one = tmp_path / "repo" / "v1.34" / "fp" / "PRODUCT.yaml"
    site = build_review_site(review_paths([one]), tmp_path / "out")
    assert broken_links(site.site_dir) == []
    text = _text(site.site_dir / "submissions" / "v1.34-fp" / "index.html")
    assert "v1.33/fp/PRODUCT.yaml , not reviewed here" in text
    assert "ai_inference ✔ Implemented ◐ Partially Implemented" in text
    assert not (site.site_dir / "submissions" / "v1.33-fp").exists()
