"""Pod autoscaling replayed (the shipped example's session): pass, each negative case, slow waits.
Cluster autoscaling has its own module, tests/procedures/test_cluster_autoscaling.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.procedures import load_procedure
from generator.procedures.loader import variants
from tests.collect.conftest import make_workspace, override
from tests.procedures.replaying import assert_vendor_neutral

CA, PA = "cluster_autoscaling", "pod_autoscaling"
EXAMPLE_PARAMETERS: dict[str, dict] = {PA: {}}


def _run(replay, session, tmp_path: Path, requirement: str) -> dict:
    workspace = make_workspace(tmp_path / "ws", **{requirement: EXAMPLE_PARAMETERS[requirement]})
    return replay(session, workspace, (requirement,))[requirement]


def _status(result: dict, check_id: str) -> tuple[str, str]:
    check = next(c for c in result["checks"] if c["id"] == check_id)
    return check["status"], check["reason"]


@pytest.mark.parametrize("version", ["1.33", "1.34", "1.35", "1.36"])
@pytest.mark.parametrize("requirement", [CA, PA])
def test_every_checklist_version_has_the_procedure(version: str, requirement: str) -> None:
    assert load_procedure(version, requirement).checks


@pytest.mark.parametrize("requirement", [PA])
def test_all_pass(replay, pass_session, tmp_path: Path, requirement: str) -> None:
    result = _run(replay, pass_session, tmp_path, requirement)
    assert result["status"] == "passed", [(c["id"], c["reason"]) for c in result["checks"]]







def test_metric_not_served_fails(replay, pass_session, tmp_path: Path) -> None:
    session = override(pass_session, PA, "get --raw", exitCode=1, stdout="", stderr=(
        "Error from server (NotFound): the server could not find the metric aic_test_load "
        "for pods\n"))
    result = _run(replay, session, tmp_path, PA)
    assert _status(result, "metric-served")[0] == "failed" and result["status"] == "failed"


def test_scaling_without_load_fails(replay, pass_session, tmp_path: Path) -> None:
    session = override(pass_session, PA, "desiredReplicas", stdout="2")
    status, reason = _status(_run(replay, session, tmp_path, PA), "no-scale-below-target")
    assert status == "failed" and "'2'" in reason


def test_no_scale_up_fails(replay, pass_session, tmp_path: Path) -> None:
    session = override(pass_session, PA, "currentReplicas", stdout="1")
    result = _run(replay, session, tmp_path, PA)
    assert _status(result, "scales-up")[0] == "failed"


def test_no_scale_down_fails(replay, pass_session, tmp_path: Path) -> None:
    session = override(pass_session, PA, "currentReplicas", stdout="3")
    result = _run(replay, session, tmp_path, PA)
    assert _status(result, "scales-up")[0] == "passed"
    status, reason = _status(result, "scales-down")
    assert status == "failed" and "over 900s" in reason


@pytest.mark.parametrize("version", ["1.33", "1.34", "1.35", "1.36"])
def test_pod_autoscaling_names_no_vendor(version: str) -> None:
    for variant in variants(version, PA):
        assert_vendor_neutral(version, PA, variant)
