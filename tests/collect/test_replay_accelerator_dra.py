"""The DRA variants of the accelerator SHOULDs replayed: the driver version published as a
ResourceSlice device attribute, and static GPU sharing through one shared ResourceClaim; each
all-pass, and each negative case (a derived session) failing for its own check."""

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
UUID = "GPU-5e2b8d41-a0c7-4f39-b6d2-3c91e8a7f054"
PODS = ("claim-share-6b7f9c5d84-h2x4k", "claim-share-6b7f9c5d84-p9wqz",
        "claim-share-6b7f9c5d84-t7mnc")


def _logs(*uuids: str) -> str:
    return "".join(f"[pod/{pod}/probe] GPU 0: NVIDIA L4 (UUID: {uuid})\n"
                   for pod, uuid in zip(PODS, uuids, strict=True))


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


def test_gpu_sharing_shared_claim_all_pass(tmp_path: Path) -> None:
    result = replay(tmp_path, session(GS, GS_DRA), GS, GS_DRA)
    assert result["status"] == "passed", statuses(result)


OTHER = "GPU-c4e81f06-93d2-47ab-b5e0-2f6a8d1c7b43"


@pytest.mark.parametrize(("contains", "fields", "check"), [
    ("readyReplicas", {"stdout": "1"}, "shared-claim-running"),
    ("reservedFor", {"stdout": f"pods/{PODS[0]}\n"}, "pods-share-claim"),
    ("logs -l", {"stdout": _logs(UUID, OTHER, UUID)}, "pods-share-claim"),
    ("logs -l", {"stdout": _logs(UUID, UUID, UUID)
                 + f"[pod/{PODS[1]}/probe] GPU 1: NVIDIA L4 (UUID: {OTHER})\n"},
     "pods-share-claim"),  # one pod sees a second device
    ("get resourceslices", {"stdout": OTHER}, "pods-share-claim"),  # not the claim's device
    ("get pod rival", {"stdout": "Running"}, "rival-claim-pending"),
    ("get resourceclaim rival", {"stdout": "NAME    STATE                AGE\n"
                                           "rival   allocated,reserved   61s\n"},
     "rival-claim-pending"),
    ("reason=FailedScheduling", {"stdout": "", "stderr": "No resources found in "
                                 "aic-gpu-sharing-<run-id> namespace.\n"}, "rival-claim-pending"),
])
def test_gpu_sharing_shared_claim_negative_cases_fail(tmp_path: Path, contains: str,
                                                      fields: dict, check: str) -> None:
    result = replay(tmp_path, override(session(GS, GS_DRA), GS, contains, **fields), GS, GS_DRA)
    assert statuses(result)[check] == "failed" and result["status"] == "failed"
