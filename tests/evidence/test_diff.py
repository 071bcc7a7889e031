"""diff names what changed between two runs and exits 1 on a regression."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import PROJECT


def _workspace(root: Path) -> Path:
    root.mkdir()
    shutil.copy(PROJECT / "platform.yaml", root / "platform.yaml")
    shutil.copytree(PROJECT / "evidence" / "v1.35", root / "evidence" / "v1.35")
    return root


def _edit(workspace: Path, requirement: str, edit) -> None:
    path = workspace / "evidence" / "v1.35" / requirement / "result.json"
    result = json.loads(path.read_text())
    edit(result)
    path.write_text(json.dumps(result))


@pytest.fixture
def runs(tmp_path: Path) -> tuple[Path, Path]:
    return _workspace(tmp_path / "old"), _workspace(tmp_path / "new")


def test_identical_runs_have_no_change(runs, run_cli) -> None:
    result = run_cli("diff", *runs, "--output", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"old": str(runs[0]), "new": str(runs[1]),
                                         "regressed": [], "requirements": []}
    assert run_cli("diff", *runs).stdout.strip() == "no change"


def test_another_run_of_the_same_cluster_is_no_change(runs, run_cli) -> None:
    """Each run names its namespaces with its own run id (aic-<requirement>-<run id>)."""
    folder = runs[1] / "evidence" / "v1.35" / "accelerator_metrics"
    text = (folder / "result.json").read_text()
    run_id = json.loads(text)["runId"]
    assert f"-{run_id}" in text  # a reason names the run's namespace
    (folder / "result.json").write_text(text.replace(run_id, "0a1b2c"))
    assert run_cli("diff", *runs).stdout.strip() == "no change"

    def reword(result: dict) -> None:
        result["checks"][-1]["reason"] += " (and 0a1b2c more)"
    _edit(runs[1], "accelerator_metrics", reword)
    changed = json.loads(run_cli("diff", *runs, "--output", "json").stdout)["requirements"]
    assert [c["id"] for c in changed] == ["accelerator_metrics"]
    assert "<run>" in changed[0]["checks"][0]["newReason"]


def test_an_injected_regression_is_named(runs, run_cli) -> None:
    def fail(result: dict) -> None:
        check = next(c for c in result["checks"] if c["role"] == "negative")
        check.update(status="failed", reason="the claim was allocated after all")
        result.update(status="failed", conformance="Not Implemented")

    _edit(runs[1], "dra_support", fail)
    result = run_cli("diff", *runs, "--output", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["regressed"] == ["dra_support"]
    [change] = payload["requirements"]
    assert (change["old"], change["new"]) == ("passed", "failed")
    [check] = change["checks"]
    assert check["regressed"] and check["old"] == "passed" and check["new"] == "failed"
    assert check["newReason"] == "the claim was allocated after all"
    text = run_cli("diff", *runs)
    assert text.exit_code == 1 and "regressed dra_support: passed -> failed" in text.stdout


def test_improvements_and_removed_checks(runs, run_cli) -> None:
    _edit(runs[0], "gpu_sharing", lambda r: r.update(status="partial"))
    _edit(runs[1], "gang_scheduling", lambda r: r["checks"].pop())  # cleanup gone: not deciding
    result = run_cli("diff", *runs, "--output", "json")
    assert result.exit_code == 0, result.stdout
    changes = {c["id"]: c for c in json.loads(result.stdout)["requirements"]}
    assert (changes["gpu_sharing"]["old"], changes["gpu_sharing"]["new"]) == ("partial",
                                                                                "passed")
    assert changes["gang_scheduling"]["checks"][0]["new"] is None


def test_a_vanished_requirement_regressed(runs, run_cli) -> None:
    shutil.rmtree(runs[1] / "evidence" / "v1.35" / "ai_inference")
    result = run_cli("diff", *runs, "--output", "json")
    assert result.exit_code == 1 and json.loads(result.stdout)["regressed"] == ["ai_inference"]
    text = run_cli("diff", *runs).stdout
    assert "regressed ai_inference: passed -> (absent)" in text and "None" not in text


def test_built_outputs_and_sites_compare_too(runs, run_cli, tmp_path: Path,
                                             conformance_repo: Path) -> None:
    _edit(runs[1], "dra_support", lambda r: r.update(status="unknown", conformance=None))
    for run in runs:
        assert run_cli("build", "--workspace", run, "--out", run / "build",
                       "--conformance-repo", conformance_repo).exit_code in (0, 1)
    result = run_cli("diff", runs[0] / "build", runs[1] / "build" / "site", "--output", "json")
    assert result.exit_code == 1 and json.loads(result.stdout)["regressed"] == ["dra_support"]


def test_what_is_no_run_is_exit_2(tmp_path: Path, run_cli) -> None:
    result = run_cli("diff", tmp_path, tmp_path)
    assert result.exit_code == 2 and "neither a workspace" in result.stderr
