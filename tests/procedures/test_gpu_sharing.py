"""gpu_sharing replayed, every variant: shared units advertised by a device plugin (time-slicing
by default, MIG by parameters) and one ResourceClaim shared by several pods (DRA); each all-pass,
and each negative case (a derived session) failing for its own check."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.collect.session import Session
from generator.procedures import load_procedure
from generator.procedures.builtins_accelerators import shared_capacity
from tests.collect.conftest import SESSIONS, override
from tests.procedures.replaying import PREFLIGHT, replay, session, statuses

GS, GS_DRA = "gpu_sharing", "dra-shared-claim"
UUID = "GPU-5e2b8d41-a0c7-4f39-b6d2-3c91e8a7f054"
PODS = ("claim-share-6b7f9c5d84-h2x4k", "claim-share-6b7f9c5d84-p9wqz",
        "claim-share-6b7f9c5d84-t7mnc")


def _logs(*uuids: str) -> str:
    return "".join(f"[pod/{pod}/probe] GPU 0: NVIDIA L4 (UUID: {uuid})\n"
                   for pod, uuid in zip(PODS, uuids, strict=True))


@pytest.mark.parametrize("version", ["1.35", "1.36"])
def test_device_plugin_stays_the_default(version: str) -> None:
    assert load_procedure(version, GS).variant == "device-plugin"
    assert load_procedure(version, GS, GS_DRA).checks


def test_shared_capacity_needs_more_units_than_devices() -> None:
    verdict = shared_capacity("gpu-1\t8\t4\n", {})
    assert verdict.ok and "gpu-1: 8 advertised on 4 physical devices" in verdict.message
    assert not shared_capacity("gpu-1\t4\t4\n", {}).ok
    assert not shared_capacity("gpu-1\t8\t<no value>\n", {}).ok  # physical count unknown
    assert "no node listed" in shared_capacity("", {"resource": "x"}).message


def test_gpu_sharing_all_pass(tmp_path: Path) -> None:
    result = replay(tmp_path, session(GS), GS)
    assert result["status"] == "passed", statuses(result)


def test_gpu_sharing_with_mig_parameters_passes(tmp_path: Path) -> None:
    """MIG is the same procedure with the MIG resource and strategy label as parameters."""
    recorded = Session.load_all([PREFLIGHT, SESSIONS / f"{GS}-mig-pass.yaml"])
    result = replay(tmp_path, recorded, GS, parameters={
        "resourceName": "nvidia.com/mig-1g.10gb", "strategyLabel": "nvidia.com/mig.strategy",
        "strategyValue": "mixed"})
    assert result["status"] == "passed", statuses(result)


NO_NODE = ('error: error executing jsonpath "{.items[0].metadata.name}": Error executing '
           "template: array index out of bounds: index 0, length 0. Printing more information "
           "for debugging the template:\n")


@pytest.mark.parametrize(("contains", "fields", "check"), [
    ("nodes -l", {"exitCode": 1, "stdout": "", "stderr": NO_NODE}, "shared-node"),
    ("go-template={{.metadata.name}}", {"stdout": "gpu-worker-1\t4\t4\n"},
     "sharing-advertised"),
    ("readyReplicas", {"stdout": "5"}, "pods-share-devices"),
    ("--prefix", {"stdout": "".join(f"[pod/gpu-share-7c9d6b5f48-{p}/probe] GPU 0: NVIDIA L4 "
                                    f"(UUID: GPU-{n}a3f9c21-6b0e-4d58-9a2c-e81b5f4d0937)\n"
                                    for n, p in enumerate(("ngq2c", "d9wfp", "xcvjc")))},
     "pods-share-devices"),
    ("pod one-too-many", {"stdout": "Running"}, "beyond-units-pending"),
    ("reason=FailedScheduling", {"stdout": "", "stderr": "No resources found in "
                                 "aic-gpu-sharing-<run-id> namespace.\n"}, "beyond-units-pending"),
])
def test_gpu_sharing_negative_cases_fail(tmp_path: Path, contains: str, fields: dict,
                                         check: str) -> None:
    result = replay(tmp_path, override(session(GS), GS, contains, **fields), GS)
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
