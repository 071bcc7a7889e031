"""``build`` end to end as a real process: files, messages and exit codes."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
FIXTURE = DATA / "evidence-tree"
CHECKLIST = DATA / "checklist" / "AIConformance-1.35.yaml"


def test_build_writes_site_and_product_yaml(run_cli, tmp_path: Path) -> None:
    result = run_cli("build", "--workspace", FIXTURE, "--checklist", CHECKLIST, "--out", tmp_path,
                     "--strict", "--output", "json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["review"]["ciValid"] and payload["blockingMust"] == []
    assert (tmp_path / "site/requirements/dra_support/index.html").is_file()
    assert (tmp_path / "submission/v1.35/fixture-platform/PRODUCT.yaml").is_file()


def test_a_failed_must_is_written_truthfully_and_said_loudly(run_cli, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(FIXTURE, workspace)
    result_file = workspace / "evidence/v1.35/ai_inference/result.json"
    data = json.loads(result_file.read_text())
    data["checks"][1]["status"] = "failed"
    data.update(status="failed", conformance="Not Implemented", reason="failed: unmatched-refused")
    result_file.write_text(json.dumps(data))
    result = run_cli("build", "--workspace", workspace, "--checklist", CHECKLIST,
                     "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "BLOCKS CERTIFICATION: MUST ai_inference is Not Implemented" in result.stdout
    product = (tmp_path / "out/submission/v1.35/fixture-platform/PRODUCT.yaml").read_text()
    assert '"Not Implemented"' in product


def test_without_a_checklist_the_site_builds_and_says_how(run_cli, tmp_path: Path) -> None:
    result = run_cli("build", "--workspace", FIXTURE, "--out", tmp_path,
                     env={"K8S_AI_CONFORMANCE_REPO": ""})
    assert result.exit_code == 0, result.stderr
    assert "PRODUCT.yaml not written" in result.stderr and "--conformance-repo" in result.stderr
    assert (tmp_path / "site/index.html").is_file()
    assert not (tmp_path / "submission").exists()


def test_bad_platform_yaml_is_one_line_exit_2(run_cli, tmp_path: Path) -> None:
    (tmp_path / "platform.yaml").write_text("kubernetesVersion: v1.35\nproductDir: x\n")
    result = run_cli("build", "--workspace", tmp_path, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "platform.yaml" in result.stderr and "metadata" in result.stderr
    assert "Traceback" not in result.stderr


def test_online_link_health_shows_on_the_overview(run_cli, tmp_path: Path) -> None:
    import yaml

    from tests.linkhealth.server import loopback_server

    workspace = tmp_path / "ws"
    shutil.copytree(FIXTURE, workspace)
    platform = yaml.safe_load((workspace / "platform.yaml").read_text())
    with loopback_server() as served:
        meta = platform["metadata"]
        meta.pop("k8sConformanceUrl")  # CI's own URL pattern points at github.com
        meta.update(websiteUrl=served.url("/ok"), documentationUrl=served.url("/gone"),
                    productLogoUrl=served.url("/logo.svg"))
        platform["site"] = {"url": served.url("/site/")}
        (workspace / "platform.yaml").write_text(yaml.safe_dump(platform))
        result = run_cli("build", "--workspace", workspace, "--checklist", CHECKLIST,
                         "--out", tmp_path / "out", "--online", "--output", "json",
                         env={"K8S_AI_EVIDENCE_LANDSCAPE_URL": served.url("/landscape.yml")})
    payload = json.loads(result.stdout)
    outcomes = {link["url"]: link["outcome"] for link in payload["links"]}
    assert outcomes[served.url("/ok")] == "ok" and outcomes[served.url("/gone")] == "dead"
    assert all(url.startswith(served.base) for url in outcomes)
    assert payload["review"]["online"]["findings"]
    overview = html.unescape((tmp_path / "out/site/index.html").read_text())
    assert "Link health" in overview and served.url("/gone") in overview


def test_a_broken_template_override_is_one_line_naming_it(run_cli, tmp_path: Path) -> None:
    """A workspace's site-templates/ is the vendor's code: a typo there is named with its line,
    and the previous site and submission are left as they were."""
    workspace = tmp_path / "ws"
    shutil.copytree(FIXTURE, workspace)
    out = tmp_path / "out"
    assert run_cli("build", "--workspace", workspace, "--checklist", CHECKLIST,
                   "--out", out).exit_code == 0

    def published() -> list[Path]:
        return sorted(p.relative_to(out) for d in ("site", "submission")
                      for p in (out / d).rglob("*"))

    before = published()
    (workspace / "site-templates").mkdir()
    for text, message in (("ok\n{% if %}\n", "index.md.j2:2: Expected an expression"),
                          ("ok\n\n{{ no_such.name }}\n", "index.md.j2:3: 'no_such' is undefined")):
        (workspace / "site-templates" / "index.md.j2").write_text(text)
        result = run_cli("build", "--workspace", workspace, "--checklist", CHECKLIST,
                         "--out", out)
        assert result.exit_code == 2 and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.splitlines()) == 1 and message in result.stderr
        assert published() == before
