"""The review command as scripts and people use it: JSON contract, exit codes, messages."""

from __future__ import annotations

import json
import os
from pathlib import Path

from generator.review.rules import ALL_RULES
from generator.schemas import schema_issues
from tests.review.builders import checkout, product, requirement


def test_json_output_follows_the_published_contract(tmp_path: Path, run_cli) -> None:
    checkout(tmp_path, product(), name="good")
    bad = product()
    requirement(bad, "ai_inference")["status"] = "Partially Implemented"
    checkout(tmp_path, bad, name="bad")
    result = run_cli("review", tmp_path, "--output", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert schema_issues(payload, "review-report") == []
    verdicts = {Path(s["path"]).parent.name: s["ciValid"] for s in payload["submissions"]}
    assert verdicts == {"good": True, "bad": False}
    assert payload["summary"]["ciInvalid"] == 1
    assert all(f["rule"] in ALL_RULES for s in payload["submissions"] for f in s["findings"])


def test_all_valid_is_exit_0_and_text_has_no_colour_codes(tmp_path: Path, run_cli) -> None:
    checkout(tmp_path, product())
    result = run_cli("review", tmp_path)
    assert result.exit_code == 0
    assert "CI valid" in result.stdout and "\x1b[" not in result.stdout


def test_missing_path_is_exit_2(tmp_path: Path, run_cli) -> None:
    result = run_cli("review", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert "nope.yaml: no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_checklist_outside_a_checkout_is_exit_3(tmp_path: Path, run_cli) -> None:
    path = checkout(tmp_path, product())
    (tmp_path / "docs" / "AIConformance-1.34.yaml").unlink()
    result = run_cli("review", path, env={"K8S_AI_CONFORMANCE_REPO": ""})
    assert result.exit_code == 3
    assert "checklist fetch v1.34" in result.stderr


def test_explicit_checklist_outside_a_checkout(tmp_path: Path, run_cli) -> None:
    path = checkout(tmp_path / "repo", product())
    loose = tmp_path / "PRODUCT.yaml"
    loose.write_text(path.read_text())
    result = run_cli("review", loose, "--checklist",
                     tmp_path / "repo" / "docs" / "AIConformance-1.34.yaml", "--output", "json")
    [submission] = json.loads(result.stdout)["submissions"]
    assert [f["rule"] for f in submission["findings"]] == ["ci-version-path"]


def test_list_rules_and_version(run_cli) -> None:
    rules = json.loads(run_cli("review", "--list-rules", "--output", "json").stdout)
    assert rules == ALL_RULES
    assert run_cli("--version").stdout.startswith("k8s-ai-evidence, version ")


def test_checklist_show_json(conformance_repo: Path, run_cli) -> None:
    result = run_cli("checklist", "show", "v1.36", "--conformance-repo", conformance_repo,
                     "--output", "json")
    payload = json.loads(result.stdout)
    ids = [r["id"] for r in payload["requirements"]]
    assert "dra_support" not in ids and "disaggregated_inference" in ids
    assert {r["level"] for r in payload["requirements"]} == {"MUST", "SHOULD"}


def test_a_pipe_named_product_yaml_is_reported_not_waited_on(tmp_path: Path, run_cli,
                                                             conformance_repo: Path) -> None:
    folder = tmp_path / "v1.35" / "acme"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "PRODUCT.yaml")
    result = run_cli("review", tmp_path, "--conformance-repo", conformance_repo,
                     "--output", "json", timeout=30)
    [submission] = json.loads(result.stdout)["submissions"]
    assert result.exit_code == 1 and not submission["ciValid"]
    assert "not a regular file" in submission["findings"][0]["message"]
