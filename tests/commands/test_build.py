"""``build`` end to end as a real process: files, messages and exit codes."""

from __future__ import annotations

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
