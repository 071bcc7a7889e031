"""driver_runtime_management replayed, node labels with a device plugin and DRA attributes:
the driver each node or device reports is the one a granted pod's query sees (versions compared
as numbers), and a pod granted nothing sees no device, proven by the device probe."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.procedures import load_procedure
from generator.procedures.builtins_dra import (
    query_version_matches,
    same_version,
    slice_attribute_reported,
)
from generator.procedures.loader import variants
from tests.collect.conftest import EXAMPLE_SESSIONS, SESSIONS, override
from tests.procedures.replaying import (
    NOT_FOUND,
    SH_NOT_FOUND,
    assert_failed_by,
    assert_sources_named,
    assert_vendor_neutral,
    probe_output,
    replay,
    session,
    statuses,
)

SCOPE = "driver_runtime_management"
VARIANTS = {"device-plugin": None, "dra": "dra"}  # None: the example's session
NODES_ONE_BARE = ("cp-0\t<no value>\t<no value>\ngpu-worker-0\t4\t580.105.08\n"
                  "gpu-worker-1\t4\t<no value>\n")  # gpu-worker-1 advertises, reports no driver
SLICES_ONE_SILENT = ("gpu-worker-0\tgpu-0\t580.105.8\ngpu-worker-0\tgpu-1\t580.105.8\n"
                     "gpu-worker-1\tgpu-0\t580.105.8\ngpu-worker-1\tgpu-1\t\n")
NEGATIVE = {"device-plugin": ("exec no-request", "no-request-no-device"),
            "dra": ("exec no-claim", "no-claim-no-device")}


@pytest.mark.parametrize("version", ["1.35", "1.36"])
def test_device_plugin_is_the_default_from_1_35(version: str) -> None:
    assert load_procedure(version, SCOPE).variant == "device-plugin"
    assert load_procedure(version, SCOPE, "dra").uses_claims
    for variant in variants(version, SCOPE):
        assert_vendor_neutral(version, SCOPE, variant)


def test_the_query_finds_tools_where_gke_injects_them() -> None:
    """The upstream suite's nvidiaDriverProbeScript also looks in /usr/local/nvidia (GKE)."""
    for variant in VARIANTS:
        query = load_procedure("1.35", SCOPE, variant).parameters["driverQueryCommand"]
        assert "/usr/local/nvidia/bin" in query and "/usr/local/nvidia/lib64" in query


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


@pytest.mark.parametrize("variant", VARIANTS)
def test_all_pass(tmp_path: Path, variant: str) -> None:
    result = replay(tmp_path, session(SCOPE, VARIANTS[variant]), SCOPE, variant)
    assert result["status"] == "passed", statuses(result)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(("fields", "why"), [
    ({"stdout": probe_output(1, "GPU-5e1c7a93-2b8d-4f60-9c1e-7d3a0b6f2e84")},
     "1 device nodes, expected 0"),
    ({"stdout": probe_output(0, "all")}, "must not name devices"),
    # The defect this check had: a missing query tool (exit 127) counted as "cannot query".
    ({"exitCode": 127, "stdout": "", "stderr": NOT_FOUND}, "exit code 127"),
    ({"exitCode": 126, "stdout": "", "stderr": SH_NOT_FOUND}, "exit code 126"),
])
def test_a_pod_granted_nothing_must_be_proven_empty(tmp_path: Path, variant: str, fields: dict,
                                                    why: str) -> None:
    contains, check = NEGATIVE[variant]
    broken = override(session(SCOPE, VARIANTS[variant]), SCOPE, contains, **fields)
    assert_failed_by(replay(tmp_path, broken, SCOPE, variant), check, why)


@pytest.mark.parametrize(("contains", "fields", "check"), [
    ("get nodes", {"stdout": NODES_ONE_BARE}, "no-driver-no-accelerator"),
    ("get nodes", {"stdout": NODES_ONE_BARE}, "nodes-report-driver"),
    ("runtimeclass", {"stdout": "runc"}, "runtime-configured"),
    ("runtimeclass", {"exitCode": 1, "stdout": "", "stderr": 'Error from server (NotFound): '
                      'runtimeclasses.node.k8s.io "nvidia" not found\n'}, "runtime-configured"),
    ("exec driver-query", {"stdout": "570.172.08, NVIDIA L4\n"}, "driver-query-matches-node"),
    ("exec driver-query", {"exitCode": 127, "stdout": "", "stderr": NOT_FOUND},
     "driver-query-matches-node"),
])
def test_device_plugin_negative_cases_fail(tmp_path: Path, contains: str, fields: dict,
                                           check: str) -> None:
    result = replay(tmp_path, override(session(SCOPE), SCOPE, contains, **fields), SCOPE)
    assert statuses(result)[check] == "failed" and result["status"] == "failed"


@pytest.mark.parametrize(("contains", "fields", "check"), [
    ("$node", {"stdout": SLICES_ONE_SILENT}, "slices-report-driver"),
    ("$node", {"stdout": ""}, "slices-report-driver"),
    ("$pool", {"stdout": ""}, "query-pod-running"),  # the allocated device publishes none
    ("exec driver-query", {"stdout": "570.172.08, NVIDIA L4\n"}, "driver-query-matches-slice"),
    ("exec driver-query", {"stdout": "580.105.08, NVIDIA L4\n" * 2},
     "driver-query-matches-slice"),
    ("exec driver-query", {"exitCode": 127, "stdout": "", "stderr": NOT_FOUND},
     "driver-query-matches-slice"),
])
def test_dra_negative_cases_fail(tmp_path: Path, contains: str, fields: dict,
                                 check: str) -> None:
    result = replay(tmp_path, override(session(SCOPE, "dra"), SCOPE, contains, **fields),
                    SCOPE, "dra")
    assert statuses(result)[check] == "failed" and result["status"] == "failed"


@pytest.mark.parametrize("path", [
    EXAMPLE_SESSIONS / "driver_runtime_management.yaml",
    SESSIONS / "driver_runtime_management-dra-pass.yaml",
], ids=lambda p: p.name)
def test_sessions_name_their_sources(path: Path) -> None:
    assert_sources_named(path)
