"""virtualized_accelerator replayed (DRA): virtual devices told apart by an attribute pattern
(NVIDIA's driver has no "virtual" type: a vGPU guest's device is type gpu named by its vGPU
profile), a claim selecting one by CEL, its pod seeing exactly one device, a pod granted nothing
seeing none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.procedures import load_procedure
from tests.collect.conftest import SESSIONS, override
from tests.procedures.replaying import (
    NOT_FOUND,
    assert_failed_by,
    assert_sources_named,
    assert_vendor_neutral,
    probe_output,
    replay,
    session,
    statuses,
)

SCOPE = "virtualized_accelerator"


@pytest.mark.parametrize("version", ["1.35", "1.36"])
def test_procedure_for_1_35_and_later(version: str) -> None:
    assert load_procedure(version, SCOPE).variant == "dra"
    assert_vendor_neutral(version, SCOPE, "dra")


@pytest.mark.parametrize(("name", "virtual"), [
    ("NVIDIA L4-12Q", True), ("NVIDIA A10-24Q", True), ("GRID T4-16Q", True),
    ("NVIDIA A100-3-20C", True), ("NVIDIA L4", False), ("NVIDIA H100 80GB HBM3", False),
])
def test_default_pattern_tells_vgpu_profiles_from_physical_gpus(name: str, virtual: bool) -> None:
    pattern = load_procedure("1.35", SCOPE).parameters["virtualPattern"]
    assert "\\" not in pattern  # it goes into a CEL string literal as is
    assert bool(re.search(pattern, name)) is virtual


def test_claim_selects_by_the_pattern_not_by_a_type_no_driver_publishes() -> None:
    procedure = load_procedure("1.35", SCOPE)
    text = procedure.render_manifest("virtual.yaml", {**procedure.parameters, "namespace": "n"})
    assert ('device.attributes["gpu.nvidia.com"].productName.matches("-[0-9]+[ABCQ]$")'
            in text)
    assert "vgpu" not in text


def test_all_pass(tmp_path: Path) -> None:
    result = replay(tmp_path, session(SCOPE, "dra"), SCOPE, "dra")
    assert result["status"] == "passed", statuses(result)


@pytest.mark.parametrize(("contains", "fields", "check", "why"), [
    ("resourceslices", {"stdout": "gpu-0\tNVIDIA L4\ngpu-1\tNVIDIA L4\n"},
     "virtual-devices-advertised", "0 lines match"),
    ("exec virtual -n aic-virtualized-accelerator-<run-id> -- sh -c n=0",
     {"stdout": probe_output(2)}, "sees-one-virtual-device", "expected 1"),
    # The KAR's health check: the driver in the pod answers, for a virtual device.
    ("-- sh -c PATH=", {"stdout": "NVIDIA L4\n"}, "sees-one-virtual-device", "0 lines match"),
    ("-- sh -c PATH=", {"exitCode": 127, "stdout": "", "stderr": NOT_FOUND},
     "sees-one-virtual-device", "exit code 127"),
    ("exec no-request", {"stdout": probe_output(1)}, "no-request-sees-none", "expected 0"),
    ("exec no-request", {"exitCode": 127, "stdout": "", "stderr": NOT_FOUND},
     "no-request-sees-none", "exit code 127"),
])
def test_negative_cases_fail(tmp_path: Path, contains: str, fields: dict, check: str,
                             why: str) -> None:
    broken = override(session(SCOPE, "dra"), SCOPE, contains, **fields)
    assert_failed_by(replay(tmp_path, broken, SCOPE, "dra"), check, why)


@pytest.mark.parametrize("path", [
    SESSIONS / "virtualized_accelerator-dra-pass.yaml",
], ids=lambda p: p.name)
def test_sessions_name_their_sources(path: Path) -> None:
    assert_sources_named(path)
