"""The review command as scripts and people use it: JSON contract, exit codes, messages."""

from __future__ import annotations

import json
import os
from pathlib import Path

from generator.review.revisions import DEFAULT_RULE_SET, RULE_SETS
from generator.review.rules import ALL_RULES, RULES
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
    text = run_cli("review", loose, "--checklist",
                   tmp_path / "repo" / "docs" / "AIConformance-1.34.yaml").stdout
    assert f"{loose}: CI would reject" in text  # no "(None)" for the version it cannot tell


def test_list_rules_and_version(run_cli) -> None:
    registry = json.loads(run_cli("review", "--list-rules", "--output", "json").stdout)
    assert set(registry["rules"]) == set(RULES)
    assert registry["ciRules"]["id"] == DEFAULT_RULE_SET
    assert {r["id"] for r in registry["ruleSets"]} == set(RULE_SETS)
    artifact = registry["rules"]["ci-artifact-invalid"]
    assert artifact["revisions"] == [DEFAULT_RULE_SET] and "{artifact}" in artifact["ci"][0]
    assert registry["rules"]["schema"]["kind"] == "validate"  # validate's own rules too
    text = run_cli("review", "--list-rules", "--ci-rules", "b2c8969").stdout
    assert "ci-artifact-invalid [ci] (not in b2c8969)" in text
    assert run_cli("--version").stdout.startswith("k8s-ai-evidence, version ")


def _with_validator(root: Path, content: bytes) -> None:
    (root / "scripts").mkdir(parents=True, exist_ok=True)
    (root / "scripts" / "validate.go").write_bytes(content)


def test_ci_rules_selects_an_earlier_validator(tmp_path: Path, run_cli) -> None:
    doc = product()
    requirement(doc, "cluster_autoscaling").update(status="N/A", notes="fixed-size clusters")
    checkout(tmp_path, doc)
    today = json.loads(run_cli("review", tmp_path, "--output", "json").stdout)
    [submission] = today["submissions"]
    assert submission["ciValid"] is True and today["ciRules"]["id"] == DEFAULT_RULE_SET
    assert submission["ciLines"] == {"errors": [], "warnings": [
        "Requirement 'cluster_autoscaling' is MUST level and marked N/A; review the "
        "justification in notes"]}
    result = run_cli("review", tmp_path, "--ci-rules", "b2c8969", "--output", "json")
    assert result.exit_code == 1
    [submission] = json.loads(result.stdout)["submissions"]
    assert submission["ciLines"]["errors"] == [
        "Requirement 'cluster_autoscaling' is MUST level but status is 'N/A'. It must be "
        "'Implemented'."]
    result = run_cli("review", tmp_path, "--ci-rules", "abc")
    assert result.exit_code == 2 and "--ci-rules abc: unknown validator revision" in result.stderr


def test_a_checkout_with_an_unknown_validator_gets_a_notice(tmp_path: Path, run_cli) -> None:
    checkout(tmp_path, product())
    _with_validator(tmp_path, b"//go:build validate\npackage main // changed upstream\n")
    result = run_cli("review", tmp_path)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"CI rules {DEFAULT_RULE_SET} ")
    assert "matches no known validator revision" in result.stdout
    assert "CI may judge differently" in result.stdout
    payload = json.loads(run_cli("review", tmp_path, "--output", "json").stdout)
    [notice] = payload["notices"]
    assert "scripts/validate.go matches no known validator revision" in notice
    assert schema_issues(payload, "review-report") == []


def test_a_checkout_of_a_known_validator_gets_no_unknown_notice(
        tmp_path: Path, conformance_repo: Path, run_cli) -> None:
    checkout(tmp_path, product())
    _with_validator(tmp_path, (conformance_repo / "scripts" / "validate.go").read_bytes())
    assert json.loads(run_cli("review", tmp_path, "--output", "json").stdout)["notices"] == []
    older = (conformance_repo / "scripts" / "validate-b2c8969.go.txt").read_bytes()
    _with_validator(tmp_path, older)
    [notice] = json.loads(run_cli("review", tmp_path, "--output", "json").stdout)["notices"]
    assert "is validator revision b2c8969" in notice and "--ci-rules b2c8969" in notice


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


def test_list_rules_with_a_path_is_a_conflict(tmp_path: Path, run_cli) -> None:
    """The path would be silently left unreviewed."""
    result = run_cli("review", "--list-rules", checkout(tmp_path, product()))
    assert result.exit_code == 2 and "--list-rules only prints the rules" in result.stderr
