"""The DRA variant of driver_runtime_management replayed: the driver version published as a
ResourceSlice device attribute; all-pass, and each negative case (a derived session) failing for
its own check.  gpu_sharing's DRA variant is tested in tests/procedures/test_gpu_sharing.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.procedures import load_procedure
from generator.procedures.builtins_dra import (
    query_version_matches,
    same_version,
    slice_attribute_reported,
)
from tests.collect.conftest import ABSENCE_AS_MISSING_PROBE, override
from tests.procedures.replaying import replay, session, statuses

DRM, GS = "driver_runtime_management", "gpu_sharing"
DRM_DRA, GS_DRA = "dra", "dra-shared-claim"
NOT_FOUND = "sh: 1: nvidia-smi: not found\ncommand terminated with exit code 127\n"
SLICES_ONE_SILENT = ("gpu-worker-0\tgpu-0\t580.105.8\ngpu-worker-0\tgpu-1\t580.105.8\n"
                     "gpu-worker-1\tgpu-0\t580.105.8\ngpu-worker-1\tgpu-1\t\n")


@pytest.mark.parametrize("version", ["1.35", "1.36"])
def test_device_plugin_stays_the_default_and_1_34_defaults_still_apply(version: str) -> None:
    assert load_procedure(version, DRM).variant == "device-plugin"
    assert load_procedure(version, GS).variant == "device-plugin"
    assert load_procedure(version, "secure_accelerator_access").variant == "dra"
    assert load_procedure(version, "gang_scheduling").variant == "kueue"
    assert load_procedure(version, DRM, DRM_DRA).uses_claims
    assert load_procedure(version, GS, GS_DRA).uses_claims


def test_versions_compare_as_numbers() -> None:
    assert same_version("580.105.08", "580.105.8")
    assert same_version("570.86", "570.86.0") and same_version("v1.2.0", "1.2")
    assert not same_version("580.105.08", "570.172.8")
    assert same_version("rocm-6.4", "rocm-6.4") and not same_version("rocm-6.4", "6.4")


def test_slice_attribute_reported_names_silent_devices() -> None:
    verdict = slice_attribute_reported(SLICES_ONE_SILENT, {"attribute": "driverVersion"})
    assert not verdict.ok and "gpu-worker-1/gpu-1" in verdict.message
    ok = slice_attribute_reported("n0\tgpu-0\t580.105.8\nn0\tgpu-1\t580.105.8\n", {})
    assert ok.ok and "n0: 2 devices" in ok.message
    assert not slice_attribute_reported("", {}).ok
    assert not slice_attribute_reported("n0\tgpu-0\t<no value>\n", {}).ok


def test_query_version_matches_one_device_with_the_published_version() -> None:
    assert query_version_matches("580.105.08, NVIDIA L4\n", {"version": "580.105.8"}).ok
    assert not query_version_matches("570.172.08, NVIDIA L4\n", {"version": "580.105.8"}).ok
    two = "580.105.08, NVIDIA L4\n580.105.08, NVIDIA L4\n"
    assert not query_version_matches(two, {"version": "580.105.8"}).ok
    assert query_version_matches(two, {"version": "580.105.8", "devices": "2"}).ok
    assert "0 devices" in query_version_matches("", {"version": "1.0"}).message


@ABSENCE_AS_MISSING_PROBE
def test_driver_runtime_dra_all_pass(tmp_path: Path) -> None:
    result = replay(tmp_path, session(DRM, DRM_DRA), DRM, DRM_DRA)
    assert result["status"] == "passed", statuses(result)


@pytest.mark.parametrize(("contains", "fields", "check"), [
    ("$node", {"stdout": SLICES_ONE_SILENT}, "slices-report-driver"),
    ("$node", {"stdout": ""}, "slices-report-driver"),
    ("$pool", {"stdout": ""}, "query-pod-running"),  # the allocated device publishes none
    ("exec driver-query", {"stdout": "570.172.08, NVIDIA L4\n"}, "driver-query-matches-slice"),
    ("exec driver-query", {"stdout": "580.105.08, NVIDIA L4\n" * 2},
     "driver-query-matches-slice"),
    ("exec driver-query", {"exitCode": 127, "stdout": "", "stderr": NOT_FOUND},
     "driver-query-matches-slice"),
    ("exec no-claim", {"exitCode": 0, "stdout": "580.105.08, NVIDIA L4\n", "stderr": ""},
     "no-claim-cannot-query"),
])
def test_driver_runtime_dra_negative_cases_fail(tmp_path: Path, contains: str, fields: dict,
                                                check: str) -> None:
    recorded = override(session(DRM, DRM_DRA), DRM, contains, **fields)
    result = replay(tmp_path, recorded, DRM, DRM_DRA)
    assert statuses(result)[check] == "failed" and result["status"] == "failed"
