"""The typed result tree: every result.json, transcript and run.json the tool wrote reads back
and writes out the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.collect.session import Session
from generator.evidence.model import (
    CheckResult,
    ClusterProbe,
    Declaration,
    Node,
    ProcedureRef,
    Provenance,
    RequirementResult,
    Role,
    Source,
)
from generator.evidence.status import aggregate
from generator.evidence.tree import (
    RUN_FILE,
    EvidenceTree,
    RequirementEvidence,
    imported_checks,
    read_result,
)
from generator.evidence.verdicts import Conformance, Status
from generator.evidence.writer import (
    collected_result,
    declared_result,
    with_imported,
    write_import_sidecar,
    write_result,
    write_run,
)
from generator.resources import resource_dir

ROOT = Path(__file__).resolve().parents[2]
RESULTS = sorted([*ROOT.glob("evidence/v*/*/result.json"),
                  *ROOT.glob("tests/data/**/result.json")])
SIDECARS = sorted(ROOT.glob("evidence/v*/*/imported/*.checks.json"))
TRANSCRIPTS = sorted([*ROOT.glob("evidence/v*/*/transcript.jsonl"),
                      *ROOT.glob("tests/data/**/transcript.jsonl")])
RUNS = sorted([*ROOT.glob("evidence/v*/run.json"), *ROOT.glob("tests/data/**/run.json")])
SESSIONS = sorted([*ROOT.glob("evidence/sessions/v*/*.yaml"),
                   *ROOT.glob("tests/data/sessions/*.yaml")])


def test_the_tree_holds_results_to_check() -> None:
    assert len(RESULTS) >= 10 and SIDECARS and TRANSCRIPTS and len(RUNS) >= 2


@pytest.mark.parametrize("path", RESULTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_result_round_trips_byte_for_byte(path: Path, tmp_path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    result = read_result(path.parent)
    assert result.to_json() == json.loads(text)
    write_result(tmp_path, result)
    assert (tmp_path / "result.json").read_text(encoding="utf-8") == text


@pytest.mark.parametrize("path", SIDECARS, ids=lambda p: str(p.relative_to(ROOT)))
def test_import_sidecars_round_trip(path: Path, tmp_path: Path) -> None:
    checks = imported_checks(path.parent.parent)
    assert checks and all(c.imported for c in checks)
    write_import_sidecar(tmp_path, f"imported/{path.name.removesuffix('.checks.json')}", checks)
    written = tmp_path / "imported" / path.name
    assert written.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_transcripts_round_trip(path: Path) -> None:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    folder = path.parent
    entries = RequirementEvidence(folder.name, folder, read_result(folder)).transcript()
    assert [json.dumps(e.to_json(), ensure_ascii=False) for e in entries] == lines


@pytest.mark.parametrize("path", RUNS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_run_record_round_trips_byte_for_byte(path: Path, tmp_path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    run = EvidenceTree.load(path.parent).run
    assert run and run.to_json() == json.loads(text)
    write_run(tmp_path, run)
    assert (tmp_path / RUN_FILE).read_text(encoding="utf-8") == text


def test_every_recorded_probe_reads_as_a_run_records_environment() -> None:
    """A replay's run.json takes its cluster, nodes and DRA objects from the session."""
    probes = [probe for probe in (Session.load(path).probe for path in SESSIONS) if probe]
    assert len(probes) >= 5
    assert all(ClusterProbe.from_json(probe).to_json() == probe for probe in probes)


def test_statuses_claim_their_conformance_word() -> None:
    assert Status.PASSED.conformance is Conformance.IMPLEMENTED
    assert Status.PARTIAL.conformance is Conformance.PARTIALLY_IMPLEMENTED
    assert Status.FAILED.conformance is Conformance.NOT_IMPLEMENTED
    for nothing in (Status.UNKNOWN, Status.DECLARED, Status.SKIPPED, Status.MISSING):
        assert nothing.conformance is None
    assert Status.PASSED.display() == ("✔", "Implemented")
    assert Status.DECLARED.display("N/A") == ("⊘", "N/A (declared)")
    assert Conformance.NOT_APPLICABLE.symbol == Status.DECLARED.symbol


def test_every_status_has_a_display_and_a_style() -> None:
    css = (resource_dir("site-templates") / "evidence.css").read_text(encoding="utf-8")
    for status in Status:
        assert status.symbol and status.label and status.colour
        assert f".status-{status}" in css
    assert all(c.symbol and c.slug for c in Conformance)


def _check(id_: str, role: Role, status: Status, **kwargs: object) -> CheckResult:
    return CheckResult(id_, id_, role, status, "r", **kwargs)  # type: ignore[arg-type]


def test_aggregation_works_on_the_model() -> None:
    checks = [_check("a", Role.POSITIVE, Status.PASSED),
              _check("b", Role.NEGATIVE, Status.PASSED, limit=Conformance.PARTIALLY_IMPLEMENTED)]
    assert aggregate(checks) == (Status.PARTIAL, "limited: b")
    result = collected_result("dra_support", "v1.35", checks,
                              ProcedureRef("1.35/dra_support/default.yaml", "0" * 64), "default",
                              "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", False, "c0ffee")
    assert result.status is Status.PARTIAL
    assert result.conformance is Conformance.PARTIALLY_IMPLEMENTED


def test_collected_and_imported_checks_keep_their_shapes() -> None:
    collected = _check("a", Role.SETUP, Status.SKIPPED).to_json()
    assert collected["limit"] is None and collected["startedAt"] is None
    assert "provenance" not in collected
    imported = _check("b", Role.POSITIVE, Status.PASSED,
                      provenance=Provenance("go test", "imported/x.json", "0" * 64)).to_json()
    assert "limit" not in imported and "startedAt" not in imported
    assert imported["provenance"] == {"runner": "go test", "file": "imported/x.json",
                                      "sha256": "0" * 64}
    assert CheckResult.from_json(imported).to_json() == imported


def test_imports_replace_their_own_checks_and_keep_a_declaration() -> None:
    provenance = Provenance("go test", "imported/x.json", "0" * 64)
    failed = _check("t", Role.POSITIVE, Status.FAILED, provenance=provenance)
    passed = _check("t", Role.POSITIVE, Status.PASSED, provenance=provenance)
    first = with_imported(None, "gang_scheduling", "v1.35", "imported/x.json", [failed], False)
    assert first.source is Source.IMPORTED and first.status is Status.FAILED
    again = with_imported(first, "gang_scheduling", "v1.35", "imported/x.json", [passed], False)
    assert again.checks == (passed,) and again.status is Status.PASSED
    declared = declared_result("gang_scheduling", "v1.35",
                               Declaration(Conformance.NOT_APPLICABLE, "no GPUs"), False)
    kept = with_imported(declared, "gang_scheduling", "v1.35", "imported/x.json", [failed], False)
    assert kept.status is Status.DECLARED and kept.conformance is Conformance.NOT_APPLICABLE
    assert RequirementResult.from_json(kept.to_json()) == kept


@pytest.mark.parametrize(("labels", "model", "driver"), [
    ({"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3", "nvidia.com/gpu.count": "8",
      "nvidia.com/cuda.driver-version.full": "580.105.08"}, "NVIDIA-H100-80GB-HBM3",
     "580.105.08"),  # NVIDIA GPU feature discovery
    ({"amd.com/gpu.product-name": "AMD_Instinct_MI300X_OAM"}, "AMD_Instinct_MI300X_OAM", None),
    ({"node.kubernetes.io/instance-type": "p5.48xlarge"}, None, None),
])
def test_a_node_names_its_accelerator_as_its_labels_do(labels: dict[str, str], model: str | None,
                                                       driver: str | None) -> None:
    node = Node("gpu-0", labels=labels)
    assert (node.accelerator_model, node.driver_version) == (model, driver)
