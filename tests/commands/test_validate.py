"""``validate``: every problem listed at once, exit 1 on errors, nothing written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
FIXTURE = DATA / "evidence-tree"
CHECKLIST = DATA / "checklist" / "AIConformance-1.35.yaml"


def _copy(tmp_path: Path) -> Path:
    workspace = tmp_path / "ws"
    shutil.copytree(FIXTURE, workspace)
    return workspace


def test_fixture_is_valid_with_warnings(run_cli) -> None:
    result = run_cli("validate", "--workspace", FIXTURE, "--checklist", CHECKLIST,
                     "--output", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    payload = json.loads(result.stdout)
    rules = {p["rule"] for p in payload["problems"]}
    assert payload["ok"] and "not-covered" in rules  # gpu_sharing: a SHOULD left open
    assert "stale" in rules  # the fixture was collected long before today


def test_tampered_output_and_wrong_status_are_errors(run_cli, tmp_path: Path) -> None:
    workspace = _copy(tmp_path)
    folder = workspace / "evidence/v1.35/dra_support"
    (folder / "output/0003.stdout").write_text("edited after the fact\n")
    data = json.loads((folder / "result.json").read_text())
    data["checks"][2]["status"] = "failed"
    (folder / "result.json").write_text(json.dumps(data))
    result = run_cli("validate", "--workspace", workspace, "--checklist", CHECKLIST,
                     "--output", "json")
    assert result.exit_code == 1
    messages = {p["rule"]: p["message"] for p in json.loads(result.stdout)["problems"]}
    assert "0003.stdout" in messages["integrity"]
    assert "add up to failed" in messages["status"]
    assert not (workspace / "build").exists()


def test_schema_errors_name_file_and_line(run_cli, tmp_path: Path) -> None:
    workspace = _copy(tmp_path)
    transcript = workspace / "evidence/v1.35/ai_inference/transcript.jsonl"
    transcript.write_text(transcript.read_text() + '{"seq": 0}\n')
    result = run_cli("validate", "--workspace", workspace, "--checklist", CHECKLIST)
    assert result.exit_code == 1
    assert "transcript.jsonl:3:" in result.stdout


def test_missing_must_and_other_minor_are_errors(run_cli, tmp_path: Path) -> None:
    workspace = _copy(tmp_path)
    shutil.rmtree(workspace / "evidence/v1.35/ai_inference")
    run_file = workspace / "evidence/v1.35/run.json"
    run = json.loads(run_file.read_text())
    run["kubectl"]["server"] = "v1.34.3"
    run_file.write_text(json.dumps(run))
    result = run_cli("validate", "--workspace", workspace, "--checklist", CHECKLIST,
                     "--output", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert any(p["rule"] == "not-covered" and p["severity"] == "error" for p in problems)
    assert any(p["rule"] == "version" and "v1.34.3" in p["message"] for p in problems)
    assert any(p["rule"].startswith("review:ci-") for p in problems)


def test_a_requirement_id_the_checklist_lacks_is_an_error(run_cli, tmp_path: Path) -> None:
    """A typo in platform.yaml: its configuration would silently never be used."""
    workspace = _copy(tmp_path)
    platform = workspace / "platform.yaml"
    platform.write_text(platform.read_text().replace(
        "requirements:\n", "requirements:\n  gang_schedulng: {variant: volcano}\n", 1))
    result = run_cli("validate", "--workspace", workspace, "--checklist", CHECKLIST,
                     "--output", "json")
    assert result.exit_code == 1
    [problem] = [p for p in json.loads(result.stdout)["problems"]
                 if p["rule"] == "unknown-requirement"]
    assert problem["severity"] == "error" and problem["requirement"] == "gang_schedulng"
    assert "platform.yaml requirements.gang_schedulng" in problem["message"]


def test_every_rule_validate_reports_is_listed(run_cli) -> None:
    listed = run_cli("review", "--list-rules").stdout
    assert all(f"\n{rule} [validate]" in listed for rule in ("unsafe-file", "unknown-requirement"))


def test_a_transcript_line_that_is_not_utf8_is_named(run_cli, tmp_path: Path) -> None:
    workspace = _copy(tmp_path)
    transcript = workspace / "evidence/v1.35/ai_inference/transcript.jsonl"
    transcript.write_bytes(transcript.read_bytes() + b'{"seq": "\xff"}\n')
    result = run_cli("validate", "--workspace", workspace, "--checklist", CHECKLIST)
    assert result.exit_code == 1 and "Traceback" not in result.stderr, result.stderr
    assert "transcript.jsonl:3: not valid UTF-8 (byte 0xff)" in result.stdout
