"""The accelerator SHOULDs replayed: driver and runtime management, virtualized accelerators;
each all-pass, and each negative case (a derived session) failing.  gpu_sharing's tests are in
tests/procedures/test_gpu_sharing.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.procedures import load_procedure
from tests.collect.conftest import ABSENCE_AS_MISSING_PROBE, override
from tests.procedures.replaying import replay, session, statuses

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
