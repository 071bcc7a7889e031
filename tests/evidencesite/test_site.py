"""The fixture site, built for real: pages, statuses, links, escaping, offline assets."""

from __future__ import annotations

import html as html_module
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.bundle import load_bundle
from generator.errors import ToolError
from generator.evidencesite import SiteResult, build_evidence_site
from generator.evidencesite.render import SiteContext, render_pages
from generator.sitekit.internal_links import broken_links
from generator.workspace import Workspace

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "evidence-tree"
REQUIREMENTS = ("dra_support", "gpu_sharing", "virtualized_accelerator", "ai_inference")


def page(site: SiteResult, rid: str) -> str:
    return (site.site_dir / "requirements" / rid / "index.html").read_text(encoding="utf-8")


def shown(html: str) -> str:
    """What a reader sees: tags dropped, character references decoded."""
    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


def test_every_requirement_has_a_page_with_its_status(built_site: SiteResult) -> None:
    expected = {"dra_support": "Implemented", "gpu_sharing": "Not collected yet",
                "virtualized_accelerator": "N/A (declared)", "ai_inference": "Implemented"}
    for rid, label in expected.items():
        html = page(built_site, rid)
        assert label in html and "status-" in html
    assert "Fixture hardware has no vGPU support." in shown(
        page(built_site, "virtualized_accelerator"))


def test_matrix_links_every_page_and_nothing_is_broken(built_site: SiteResult) -> None:
    index = (built_site.site_dir / "index.html").read_text(encoding="utf-8")
    for rid in REQUIREMENTS:
        assert f'href="requirements/{rid}/"' in index
    assert 'href="PRODUCT.yaml"' in html_module.unescape(index)
    assert (built_site.site_dir / "PRODUCT.yaml").is_file()
    assert broken_links(built_site.site_dir) == []


def test_hostile_output_is_shown_verbatim(built_site: SiteResult) -> None:
    html = page(built_site, "dra_support")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "&#60;script&#62;alert&#40;1&#41;&#60;/script&#62;" in html
    assert "&#60;none&#62;" in html and "&#96;&#96;&#96;" in html
    assert "<script>alert(1)</script>" in shown(html)
    assert "&#123;&#123; jinja &#125;&#125;" in html and "&#123;% raw %&#125;" in html
    assert "<h1" not in html.split("Heading in a log line")[0].split("What we ran")[-1]


def test_long_output_shows_head_tail_and_links_the_raw_file(built_site: SiteResult) -> None:
    html = page(built_site, "dra_support")
    text = shown(html)
    assert "more lines" in text and "more bytes" not in text
    assert "line 0:" in text and "line 399:" in text and "line 200:" not in text
    raw = built_site.site_dir / "requirements/dra_support/output/0006.stdout"
    assert "line 200:" in raw.read_text()


def test_scripts_in_imported_files_are_published_inert(built_site: SiteResult) -> None:
    folder = built_site.site_dir / "requirements/ai_inference/imported"
    assert (folder / "report.html.txt").is_file() and not (folder / "report.html").exists()
    assert 'href="imported/report&#46;html&#46;txt"' in page(built_site, "ai_inference")


def test_example_banner_on_every_page(built_site: SiteResult) -> None:
    for path in built_site.docs_dir.rglob("*.md"):
        assert "Example data" in path.read_text(encoding="utf-8"), path


def test_no_asset_is_fetched_from_another_host(built_site: SiteResult) -> None:
    for path in built_site.site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        loaded = re.sub(r'<link rel="canonical"[^>]*>', "", text)  # a name, never fetched
        assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//', loaded), path
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_exact_checklist_text_is_quoted(tmp_path: Path, conformance_repo: Path) -> None:
    bundle = load_bundle(Workspace.load(FIXTURE), conformance_repo=conformance_repo)
    site = build_evidence_site(bundle, tmp_path)
    for view in bundle.requirements:
        html = page(site, view.id)
        quoted = html.split('class="checklist-text"')[1].split("</blockquote>")[0]
        assert view.description and view.description in shown(quoted), view.id


def test_without_a_checklist_the_site_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("K8S_AI_CONFORMANCE_REPO", raising=False)
    bundle = load_bundle(Workspace.load(FIXTURE))
    assert bundle.checklist is None
    site = build_evidence_site(bundle, tmp_path)
    index = (site.site_dir / "index.html").read_text(encoding="utf-8")
    assert "Official checklist not available" in index and "checklist fetch" in shown(index)


def test_a_workspace_template_overrides_the_project_one(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(FIXTURE, workspace)
    (workspace / "site-templates").mkdir()
    (workspace / "site-templates" / "reproduce.md.j2").write_text(
        "# Our own way\n\nSee [a page that is not there](nowhere.md#x).\n")
    bundle = load_bundle(Workspace.load(workspace))
    site = build_evidence_site(bundle, tmp_path / "out")
    assert "Our own way" in (site.site_dir / "reproduce/index.html").read_text()
    assert any("nowhere" in w for w in site.warnings)
    with pytest.raises(ToolError, match="nowhere"):
        build_evidence_site(bundle, tmp_path / "strict", strict=True)


def test_a_declared_conditional_must_explains_the_ci_consequence(tmp_path: Path) -> None:
    import yaml

    from tests.evidencesite.conftest import CHECKLIST

    checklist = yaml.safe_load(CHECKLIST.read_text())
    checklist["spec"]["schedulingOrchestration"] = [{
        "id": "cluster_autoscaling", "level": "MUST",
        "description": "Fixture text: add accelerator nodes for pending pods."}]
    checklist_file = tmp_path / CHECKLIST.name
    checklist_file.write_text(yaml.safe_dump(checklist))
    workspace = tmp_path / "ws"
    shutil.copytree(FIXTURE, workspace)
    platform = yaml.safe_load((workspace / "platform.yaml").read_text())
    platform["requirements"]["cluster_autoscaling"] = {
        "status": "N/A", "reason": "Bare-metal racks of fixed size: nodes are never added."}
    (workspace / "platform.yaml").write_text(yaml.safe_dump(platform))
    site = build_evidence_site(load_bundle(Workspace.load(workspace), checklist_file),
                               tmp_path / "out")
    text = shown(page(site, "cluster_autoscaling"))
    assert "Bare-metal racks of fixed size" in text
    assert "Conditional MUST: what CNCF CI will say" in text
    assert "accepts N/A here with a warning" in " ".join(text.split())


def test_the_context_name_is_not_published_by_default(built_site: SiteResult) -> None:
    for path in built_site.site_dir.rglob("*.html"):
        assert "fixture-admin@fixture" not in path.read_text(encoding="utf-8"), path


def test_the_environment_page_says_what_the_run_did_not_capture(tmp_path: Path) -> None:
    """A live run whose probe failed (no nodes, kubectl versions or components, a slice without
    a device count), then no run.json at all: each gap is said, nothing is made up."""
    workspace = tmp_path / "ws"
    shutil.copytree(FIXTURE, workspace)
    run_file = workspace / "evidence/v1.35/run.json"
    run = json.loads(run_file.read_text())
    for key in ("kubectl", "nodes", "components", "session"):
        del run[key]
    del run["dra"]["resourceSlices"][0]["devices"]
    run.update(mode="live", probeError="ApiException: (403) nodes is forbidden")
    run_file.write_text(json.dumps(run))

    def pages(name: str) -> tuple[str, str]:
        render_pages(load_bundle(Workspace.load(workspace)), tmp_path / name,
                     SiteContext("2026-03-02T10:06:00Z", None, None, None))
        environment, index = (" ".join(shown((tmp_path / name / page).read_text()).split())
                              for page in ("environment.md", "index.md"))
        return environment, index

    environment, index = pages("probe-failed")
    assert "Kubernetes (server)not captured kubectl (client)not captured" in environment
    assert "could not be read during this run: ApiException: (403) nodes is forbidden" in (
        environment)
    assert "(driver gpu.fixture.example, node fixture-gpu-1, ? devices)" in environment
    assert "No component versions were recorded" in environment
    assert "2026-03-02T10:00:00Z to 2026-03-02T10:05:00Z (live run" in index
    assert "(server" not in index
    run_file.unlink()
    environment, index = pages("no-run")
    assert "in the evidence tree: the environment was not captured" in environment
    assert "Kubernetesv1.35 Evidence collectedno run record" in index
