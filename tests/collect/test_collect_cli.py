"""The collect command as a real process: dry-run plan, replay with JSON output and JUnit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from junitparser import JUnitXml

from tests.collect.conftest import EXAMPLE_SESSIONS, make_workspace


def test_dry_run_prints_every_command_with_roles(run_cli, tmp_path: Path) -> None:
    make_workspace(tmp_path / "ws")
    result = run_cli("collect", "--workspace", tmp_path / "ws", "--dry-run",
                     "--requirement", "gang_scheduling")
    assert result.exit_code == 0, result.stderr
    assert "[setup] kueue-ready" in result.stdout and "[negative] gang-too-big" in result.stdout
    assert "$ kubectl apply -f - < manifests/job-gang-too-big.yaml" in result.stdout
    assert not (tmp_path / "ws" / "evidence").exists()


def test_dry_run_json_with_parameters_from_platform_yaml(run_cli, tmp_path: Path) -> None:
    make_workspace(tmp_path / "ws", gang_scheduling={"parameters": {"clusterQueue": "gpu-cq"}})
    result = run_cli("collect", "--workspace", tmp_path / "ws", "--dry-run", "--output", "json")
    plan = json.loads(result.stdout)["requirements"][0]
    commands = [c for check in plan["checks"] for c in check["commands"]]
    assert "kubectl get clusterqueues.v1beta2.kueue.x-k8s.io gpu-cq" in commands


def test_unknown_parameter_is_a_clear_input_error(run_cli, tmp_path: Path) -> None:
    make_workspace(tmp_path / "ws", gang_scheduling={"parameters": {"clusterQeue": "x"}})
    result = run_cli("collect", "--workspace", tmp_path / "ws", "--dry-run")
    assert result.exit_code == 2
    assert "requirements.gang_scheduling.parameters: unknown parameter 'clusterQeue'" in (
        result.stderr)


def test_replay_writes_tree_json_summary_and_junit(run_cli, tmp_path: Path) -> None:
    make_workspace(tmp_path / "ws")
    junit = tmp_path / "junit.xml"
    result = run_cli("collect", "--workspace", tmp_path / "ws", "--replay", EXAMPLE_SESSIONS,
                     "--junit", junit, "--output", "json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert {r["status"] for r in summary["requirements"]} == {"passed"}
    suites = list(JUnitXml.fromfile(str(junit)))
    assert len(suites) == 3 and sum(s.tests for s in suites) == 7 + 5 + 7
    assert sum(s.failures for s in suites) == 0


def test_replay_files_can_be_given_one_by_one(run_cli, tmp_path: Path) -> None:
    make_workspace(tmp_path / "ws", gang_scheduling={})
    result = run_cli("collect", "--workspace", tmp_path / "ws",
                     "--replay", EXAMPLE_SESSIONS / "_preflight.yaml",
                     "--replay", EXAMPLE_SESSIONS / "gang_scheduling.yaml", "--output", "json")
    assert result.exit_code == 0, result.stderr
    assert [r["status"] for r in json.loads(result.stdout)["requirements"]] == ["passed"]


def test_replay_of_a_failing_session_exits_1(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    shutil.copytree(EXAMPLE_SESSIONS, folder)
    dra = folder / "dra_support.yaml"
    dra.write_text(dra.read_text().replace("4 cannot allocate all claims", "4 other reason"))
    make_workspace(tmp_path / "ws")
    result = run_cli("collect", "--workspace", tmp_path / "ws", "--replay", folder)
    assert result.exit_code == 1
    assert "failed" in result.stdout


def test_a_misspelt_requirement_in_platform_yaml_is_said_after_the_run(run_cli, tmp_path: Path
                                                                       ) -> None:
    """Its variant would silently do nothing: the run says so, as the plan does."""
    make_workspace(tmp_path / "ws", dra_support={}, dra_suport={"parameters": {"x": 1}})
    checklist = Path(__file__).resolve().parents[1] / "data/checklist/AIConformance-1.35.yaml"
    result = run_cli("collect", "--workspace", tmp_path / "ws", "--replay", EXAMPLE_SESSIONS,
                     "--checklist", checklist)
    assert result.exit_code == 0, result.stderr
    assert ("warning platform.yaml requirements.dra_suport: not in the official checklist"
            in result.stdout)
    result = run_cli("collect", "--workspace", tmp_path / "ws", "--replay", EXAMPLE_SESSIONS,
                     "--checklist", checklist, "--output", "json")
    assert json.loads(result.stdout)["outsideChecklist"] == ["dra_suport"]


def test_dry_run_with_an_output_file_is_a_conflict(run_cli, tmp_path: Path) -> None:
    """The user asked for a file that a dry run would never write."""
    make_workspace(tmp_path / "ws")
    result = run_cli("collect", "--workspace", tmp_path / "ws", "--dry-run",
                     "--record", tmp_path / "session.yaml")
    assert result.exit_code == 2
    assert "--dry-run runs nothing, so --record would write nothing" in result.stderr
    assert not (tmp_path / "session.yaml").exists()
