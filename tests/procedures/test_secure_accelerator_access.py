"""secure_accelerator_access replayed, DRA and device plugin: a container sees exactly the
device nodes it was granted, absence is proven by the device probe (never by a missing tool),
and capacity is enforced."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.procedures import load_procedure
from generator.procedures.builtins_accelerators import device_probe
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

SCOPE = "secure_accelerator_access"
VARIANTS = {"dra": None, "device-plugin": "device-plugin"}  # None: the example's session
ONE_DEVICE = probe_output(1, "GPU-5e1c7a93-2b8d-4f60-9c1e-7d3a0b6f2e84")


@pytest.mark.parametrize("version", ["1.33", "1.34", "1.35", "1.36"])
def test_both_variants_on_every_version(version: str) -> None:
    assert set(variants(version, SCOPE)) == {"dra", "device-plugin"}
    for variant in VARIANTS:
        assert load_procedure(version, SCOPE, variant).checks
        assert_vendor_neutral(version, SCOPE, variant)


def test_device_probe_judges_the_count_and_the_visible_devices() -> None:
    assert device_probe(probe_output(1, "GPU-aaaa"), {"devices": 1}).ok
    assert device_probe(probe_output(0), {"devices": 0}).ok
    assert device_probe(probe_output(0, "void"), {"devices": 0}).ok
    wrong = device_probe(probe_output(2), {"devices": 1})
    assert not wrong.ok and "2 device nodes, expected 1" in wrong.message
    named = device_probe(probe_output(0, "all"), {"devices": 0})
    assert not named.ok and "must not name devices" in named.message
    silent = device_probe("", {"devices": 0})
    assert not silent.ok and "no RESULT: ACCELERATOR_COUNT line" in silent.message


@pytest.mark.parametrize("variant", VARIANTS)
def test_all_pass(tmp_path: Path, variant: str) -> None:
    result = replay(tmp_path, session(SCOPE, VARIANTS[variant]), SCOPE, variant)
    assert result["status"] == "passed", statuses(result)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(("contains", "fields", "check", "why"), [
    ("exec no-request", {"stdout": ONE_DEVICE}, "no-request-sees-none",
     "1 device nodes, expected 0"),
    ("-c other", {"stdout": ONE_DEVICE}, "other-container-sees-none",
     "1 device nodes, expected 0"),
    ("-c other", {"stdout": probe_output(0, "all")}, "other-container-sees-none",
     "must not name devices"),
    ("-c owner", {"stdout": probe_output(2)}, "granted-sees-one", "expected 1"),
    ("pod all-devices", {"stdout": "Running"}, "capacity-enforced", "'Running'"),
    # The defect this procedure had: an image without the tool "saw no device" (exit 127).
    ("exec no-request", {"exitCode": 127, "stdout": "", "stderr": NOT_FOUND},
     "no-request-sees-none", "exit code 127"),
    ("-c other", {"exitCode": 126, "stdout": "", "stderr": SH_NOT_FOUND},
     "other-container-sees-none", "exit code 126"),
    ("exec no-request", {"stdout": ""}, "no-request-sees-none", "no RESULT"),
])
def test_negative_cases_fail(tmp_path: Path, variant: str, contains: str, fields: dict,
                             check: str, why: str) -> None:
    broken = override(session(SCOPE, VARIANTS[variant]), SCOPE, contains, **fields)
    assert_failed_by(replay(tmp_path, broken, SCOPE, variant), check, why)


@pytest.mark.parametrize("variant", VARIANTS)
def test_pending_for_another_reason_is_no_capacity_proof(tmp_path: Path, variant: str) -> None:
    message = "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector."
    events = ("LAST SEEN   TYPE      REASON             OBJECT            MESSAGE\n"
              f"60s         Warning   FailedScheduling   pod/all-devices   {message}\n")
    broken = override(session(SCOPE, VARIANTS[variant]), SCOPE, "involvedObject.name=all-devices",
                      stdout=events)
    assert_failed_by(replay(tmp_path, broken, SCOPE, variant), "capacity-enforced",
                     "no line matches")


def test_the_probe_needs_only_a_shell() -> None:
    """The negatives run sh builtins plus env and sed, so no vendor tool decides absence."""
    for variant in VARIANTS:
        probe = load_procedure("1.35", SCOPE, variant).parameters["deviceProbeCommand"]
        assert "nvidia-smi" not in probe and "/dev/nvidia[0-9]*" in probe


@pytest.mark.parametrize("path", [
    EXAMPLE_SESSIONS / "secure_accelerator_access.yaml",
    SESSIONS / "secure_accelerator_access-device-plugin-pass.yaml",
], ids=lambda p: p.name)
def test_sessions_name_their_sources(path: Path) -> None:
    assert_sources_named(path)


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_captured_node_name_must_be_a_node_name(tmp_path: Path, variant: str) -> None:
    """It goes into the next pods' node affinity: anything else is data, never YAML."""
    broken = override(session(SCOPE, VARIANTS[variant]), SCOPE, "{.spec.nodeName}",
                      stdout='gpu-worker-1"]\n  hostNetwork: true')
    result = replay(tmp_path, broken, SCOPE, variant)
    assert statuses(result)["granted-pod-running"] == "failed"
    assert statuses(result)["no-request-sees-none"] == "skipped"
