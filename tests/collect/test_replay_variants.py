"""Variants where vendors differ, replayed: device-plugin secure access, Volcano gangs; and no
procedure assumes NVIDIA (its names are parameter defaults only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.collect.session import Session
from generator.procedures import load_procedure
from tests.collect.conftest import (
    ABSENCE_AS_MISSING_PROBE,
    EXAMPLE_SESSIONS,
    SESSIONS,
    make_workspace,
    override,
)

SAA, GANG = "secure_accelerator_access", "gang_scheduling"
DEVICE_LINE = "GPU 0: NVIDIA L4 (UUID: GPU-5e1c7a93-2b8d-4f60-9c1e-7d3a0b6f2e84)\n"


def _session(name: str) -> Session:
    return Session.load_all([EXAMPLE_SESSIONS / "_preflight.yaml", SESSIONS / f"{name}.yaml"])


def _run(replay, session: Session, tmp_path: Path, requirement: str, variant: str) -> dict:
    workspace = make_workspace(tmp_path / "ws", **{requirement: {"variant": variant}})
    return replay(session, workspace, (requirement,))[requirement]


def _statuses(result: dict) -> dict[str, str]:
    return {c["id"]: c["status"] for c in result["checks"]}


@pytest.mark.parametrize("version", ["1.33", "1.34", "1.35", "1.36"])
def test_variants_exist_for_every_version_with_a_default(version: str) -> None:
    # DRA is beta and off by default in 1.33: the device plugin is the default there
    assert load_procedure(version, SAA).variant == ("device-plugin" if version == "1.33" else "dra")
    assert load_procedure(version, GANG).variant == "kueue"
    assert load_procedure(version, SAA, "device-plugin").checks
    assert load_procedure(version, GANG, "volcano").checks


@pytest.mark.parametrize(("requirement", "variant"), [
    pytest.param(SAA, "device-plugin", marks=ABSENCE_AS_MISSING_PROBE),
    (GANG, "volcano")])
def test_all_pass(replay, tmp_path: Path, requirement: str, variant: str) -> None:
    result = _run(replay, _session(f"{requirement}-{variant}-pass"), tmp_path, requirement,
                  variant)
    assert result["status"] == "passed", _statuses(result)


@pytest.mark.parametrize(("contains", "fields", "check"), [
    ("-c other", {"exitCode": 0, "stdout": DEVICE_LINE, "stderr": ""},
     "other-container-sees-none"),
    ("exec no-request", {"exitCode": 0, "stdout": DEVICE_LINE, "stderr": ""},
     "no-request-sees-none"),
    ("pod all-devices", {"stdout": "Running"}, "capacity-enforced"),
    ("-c owner", {"stdout": DEVICE_LINE * 2}, "granted-sees-one"),
])
def test_device_plugin_negative_cases_fail(replay, tmp_path: Path, contains: str,
                                           fields: dict, check: str) -> None:
    session = override(_session(f"{SAA}-device-plugin-pass"), SAA, contains, **fields)
    result = _run(replay, session, tmp_path, SAA, "device-plugin")
    assert _statuses(result)[check] == "failed" and result["status"] == "failed"


def test_volcano_partial_gang_fails(replay, tmp_path: Path) -> None:
    recorded = _session(f"{GANG}-volcano-pass")
    bound = next(e["stdout"] for e in recorded.exchanges if "gang-fits-0" in e["stdout"])
    session = override(recorded, GANG, "job-name=gang-too-big", stdout=bound)
    session = override(session, GANG, "podgroup gang-too-big", stdout="Running")
    result = _run(replay, session, tmp_path, GANG, "volcano")
    assert _statuses(result)["gang-too-big-not-scheduled"] == "failed"
    assert _statuses(result)["gang-fits-scheduled"] == "passed"


def test_volcano_closed_queue_blocks_the_run(replay, tmp_path: Path) -> None:
    session = override(_session(f"{GANG}-volcano-pass"), GANG, "queues.scheduling",
                       stdout="Closed")
    result = _run(replay, session, tmp_path, GANG, "volcano")
    assert _statuses(result)["volcano-ready"] == "failed"
    assert _statuses(result)["gang-fits-scheduled"] == "skipped"
