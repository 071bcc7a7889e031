"""The accelerator SHOULDs replayed: driver and runtime management, GPU sharing, virtualized
accelerators; each all-pass, and each negative case (a derived session) failing."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.procedures import load_procedure
from generator.procedures.loader import variants
from tests.collect.conftest import override
from tests.collect.test_replay_variants import test_nvidia_is_only_a_default as nvidia_only_default
from tests.procedures.replaying import replay, session, statuses

DRM = "driver_runtime_management"
NOT_FOUND = "sh: 1: nvidia-smi: not found\ncommand terminated with exit code 127\n"
NODES_ONE_BARE = ("cp-0\t<no value>\t<no value>\ngpu-worker-0\t4\t580.105.08\n"
                  "gpu-worker-1\t4\t<no value>\n")  # gpu-worker-1 advertises, reports no driver


@pytest.mark.parametrize("version", ["1.35", "1.36"])
def test_procedures_exist_for_1_35_and_later(version: str) -> None:
    assert load_procedure(version, DRM).variant == "device-plugin"


@pytest.mark.parametrize(("version", "requirement", "variant"), [
    (version, requirement, name) for version in ("1.35", "1.36") for requirement in (DRM,)
    for name in variants(version, requirement)])
def test_nvidia_is_only_a_default(version: str, requirement: str, variant: str) -> None:
    nvidia_only_default(version, requirement, variant)


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
