"""dra_support replayed: APIs served at v1 (beta only caps it), devices published, a claim
allocated whose container sees its device, and a claim no device satisfies left pending with
the scheduler's own reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.collect.session import Session
from generator.procedures import load_procedure
from tests.collect.conftest import EXAMPLE_SESSIONS, override
from tests.procedures.replaying import (
    SH_NOT_FOUND,
    assert_failed_by,
    assert_sources_named,
    assert_vendor_neutral,
    probe_output,
    reason,
    replay,
    session,
    statuses,
)

SCOPE = "dra_support"
# What the scheduler reports for a count above the 32 devices a claim may get: the structured
# allocator's error (k8s.io/dynamic-resource-allocation/structured, AllocationResultsMaxSize),
# not "cannot allocate all claims". The defect the old 64-device claim had.
TOO_MANY = ("LAST SEEN   TYPE      REASON             OBJECT                  MESSAGE\n"
            "61s         Warning   FailedScheduling   pod/dra-unsatisfiable   running "
            '"DynamicResources" filter plugin: claim aic-dra-support-<run-id>/dra-unsatisfiable-'
            "gpus-x7k2p: number of requested devices 64 exceeds the claim limit of 32\n")


@pytest.mark.parametrize("version", ["1.33", "1.34", "1.35"])
def test_procedure_and_vendor_neutral(version: str) -> None:
    assert_vendor_neutral(version, SCOPE, "default")


@pytest.mark.parametrize("version", ["1.33", "1.34"])
def test_unsatisfiable_claim_is_a_selector_no_device_matches(version: str) -> None:
    procedure = load_procedure(version, SCOPE)
    text = procedure.render_manifest("unsatisfiable.yaml",
                                     {**procedure.parameters, "namespace": "ns"})
    assert "count:" not in text and "allocationMode" not in text
    assert 'expression: \'device.driver == "no-such-driver.k8s-ai-evidence.invalid"\'' in text


def test_all_pass(tmp_path: Path) -> None:
    result = replay(tmp_path, session(SCOPE), SCOPE)
    assert result["status"] == "passed", statuses(result)


@pytest.mark.parametrize(("contains", "fields", "check", "why"), [
    ("pod dra-unsatisfiable", {"stdout": "Running"}, "unsatisfiable-claim-pending", "'Running'"),
    ("involvedObject.name=dra-unsatisfiable", {"stdout": "", "stderr": "No resources found in "
     "aic-dra-support-<run-id> namespace.\n"}, "unsatisfiable-claim-pending", "no line matches"),
    ("exec dra-consumer", {"stdout": probe_output(0)}, "claim-allocated", "0 device nodes"),
    ("exec dra-consumer", {"exitCode": 126, "stdout": "", "stderr": SH_NOT_FOUND},
     "claim-allocated", "exit code 126"),
    ("get resourceclaims", {"stdout": "NAME                     STATE     AGE\n"
     "dra-consumer-gpu-7xkq2   pending   8s\n"}, "claim-allocated", "no line matches"),
    ("api-resources", {"stdout": "NAME            SHORTNAMES   APIVERSION           NAMESPACED   "
     "KIND\ndeviceclasses                resource.k8s.io/v1   false        DeviceClass\n"},
     "api-resources", "1 lines match"),
])
def test_negative_cases_fail(tmp_path: Path, contains: str, fields: dict, check: str,
                             why: str) -> None:
    broken = override(session(SCOPE), SCOPE, contains, **fields)
    assert_failed_by(replay(tmp_path, broken, SCOPE), check, why)


def test_an_allocator_error_is_not_an_unsatisfiable_claim(tmp_path: Path) -> None:
    """What the old 64-device claim met: pending, but by an error, never the plugin's reason."""
    broken = override(session(SCOPE), SCOPE, "involvedObject.name=dra-unsatisfiable",
                      stdout=TOO_MANY)
    assert_failed_by(replay(tmp_path, broken, SCOPE), "unsatisfiable-claim-pending",
                     "no line matches /cannot allocate all claims/")


def test_dra_served_only_at_beta_on_1_33_is_partial(tmp_path: Path) -> None:
    recorded = session(SCOPE)
    beta = Session("v1.33", recorded.probe, recorded.exchanges)
    beta = override(beta, "preflight", "version -o json", stdout=json.dumps(
        {"clientVersion": {"gitVersion": "v1.33.4"}, "serverVersion": {"gitVersion": "v1.33.4"}}))
    versions = next(e["stdout"] for e in beta.exchanges if e["argv"][1:] == ["api-versions"])
    beta = override(beta, SCOPE, "api-versions", stdout="\n".join(
        v for v in versions.splitlines() if v not in ("resource.k8s.io/v1",
                                                      "resource.k8s.io/v1beta2")) + "\n")
    result = replay(tmp_path, beta, SCOPE, version="v1.33")
    assert result["status"] == "partial" and result["conformance"] == "Partially Implemented"
    assert "not v1: at most Partially Implemented" in reason(result, "api-served")
    manifests = tmp_path / "ws/evidence/v1.33/dra_support/manifests"
    claim = (manifests / "claim-pod.yaml").read_text()
    assert "resource.k8s.io/v1beta1" in claim and "exactly:" not in claim
    assert "resource.k8s.io/v1beta1" in (manifests / "unsatisfiable.yaml").read_text()


@pytest.mark.parametrize("path", [
    EXAMPLE_SESSIONS / "dra_support.yaml",
], ids=lambda p: p.name)
def test_sessions_name_their_sources(path: Path) -> None:
    assert_sources_named(path)
