"""The accelerator SHOULDs replayed: driver and runtime management, GPU sharing, virtualized
accelerators; each all-pass, and each negative case (a derived session) failing."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.collect.orchestrate import Collection, CollectOptions, select
from generator.collect.session import Session
from generator.procedures import load_procedure
from generator.procedures.builtins_accelerators import shared_capacity
from tests.collect.conftest import ABSENCE_AS_MISSING_PROBE, SESSIONS, make_workspace, override
from tests.procedures.replaying import PREFLIGHT, replay, session, statuses

DRM, GS, VA = "driver_runtime_management", "gpu_sharing", "virtualized_accelerator"
NOT_FOUND = "sh: 1: nvidia-smi: not found\ncommand terminated with exit code 127\n"
NODES_ONE_BARE = ("cp-0\t<no value>\t<no value>\ngpu-worker-0\t4\t580.105.08\n"
                  "gpu-worker-1\t4\t<no value>\n")  # gpu-worker-1 advertises, reports no driver


@pytest.mark.parametrize("version", ["1.35", "1.36"])
def test_procedures_exist_for_1_35_and_later(version: str) -> None:
    assert load_procedure(version, DRM).variant == "device-plugin"
    assert load_procedure(version, GS).variant == "device-plugin"
    assert load_procedure(version, VA).variant == "dra"



@ABSENCE_AS_MISSING_PROBE
def test_driver_runtime_all_pass(tmp_path: Path) -> None:
    result = replay(tmp_path, session(DRM), DRM)
    assert result["status"] == "passed", statuses(result)


@pytest.mark.parametrize(("contains", "fields", "check"), [
    ("get nodes", {"stdout": NODES_ONE_BARE}, "no-driver-no-accelerator"),
    ("get nodes", {"stdout": NODES_ONE_BARE}, "nodes-report-driver"),
    ("runtimeclass", {"stdout": "runc"}, "runtime-configured"),
    ("runtimeclass", {"exitCode": 1, "stdout": "", "stderr": 'Error from server (NotFound): '
                      'runtimeclasses.node.k8s.io "nvidia" not found\n'}, "runtime-configured"),
    ("exec driver-query", {"stdout": "570.172.08, NVIDIA L4\n"}, "driver-query-matches-node"),
    ("exec driver-query", {"exitCode": 127, "stdout": "", "stderr": NOT_FOUND},
     "driver-query-matches-node"),
    ("exec no-request", {"exitCode": 0, "stdout": "580.105.08, NVIDIA L4\n", "stderr": ""},
     "no-request-cannot-query"),
])
def test_driver_runtime_negative_cases_fail(tmp_path: Path, contains: str, fields: dict,
                                            check: str) -> None:
    result = replay(tmp_path, override(session(DRM), DRM, contains, **fields), DRM)
    assert statuses(result)[check] == "failed" and result["status"] == "failed"


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
    workspace = make_workspace(tmp_path / "ws", gpu_sharing={"parameters": {
        "resourceName": "nvidia.com/mig-1g.10gb", "strategyLabel": "nvidia.com/mig.strategy",
        "strategyValue": "mixed"}})
    path = tmp_path / "session.yaml"
    recorded.save(path)
    options = CollectOptions(requirements=(GS,), replay=(path,))
    result = Collection(workspace, options).run(select(workspace, (GS,)))[GS].to_json()
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


@ABSENCE_AS_MISSING_PROBE
def test_virtualized_accelerator_all_pass(tmp_path: Path) -> None:
    result = replay(tmp_path, session(VA, "dra"), VA, "dra")
    assert result["status"] == "passed", statuses(result)


VGPU_LINE = "GPU 0: NVIDIA L4-12Q (UUID: GPU-3c7e1a90-5d24-4f6b-8e13-a92d0c4b7f56)\n"


@pytest.mark.parametrize(("contains", "fields", "check"), [
    ("resourceslices", {"stdout": "gpu-0\tgpu\tNVIDIA L4\ngpu-1\tgpu\tNVIDIA L4\n"},
     "virtual-devices-advertised"),
    ("exec virtual", {"stdout": VGPU_LINE * 2}, "sees-one-virtual-device"),
    ("exec no-request", {"exitCode": 0, "stdout": VGPU_LINE, "stderr": ""},
     "no-request-sees-none"),
])
def test_virtualized_accelerator_negative_cases_fail(tmp_path: Path, contains: str,
                                                     fields: dict, check: str) -> None:
    result = replay(tmp_path, override(session(VA, "dra"), VA, contains, **fields), VA, "dra")
    assert statuses(result)[check] == "failed" and result["status"] == "failed"
