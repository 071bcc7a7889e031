"""`import` joins mapped tests to the evidence tree with provenance, keeps the raw file, and
lists what it could not map."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.evidence.tree import EvidenceTree
from tests.conftest import DATA


def test_go_test_json_import(workspace: Path, run_cli) -> None:
    source = DATA / "importers" / "go-test.json"
    result = run_cli("import", source, "--workspace", workspace, "--output", "json")
    assert result.exit_code == 1  # TestGangScheduling failed
    [summary] = json.loads(result.stdout)["imported"]
    assert summary["format"] == "go-test-json" and summary["tests"] == 5
    assert summary["mapped"]["gang_scheduling"] == {"passed": 0, "failed": 1, "skipped": 0}
    assert summary["mapped"]["secure_accelerator_access"]["passed"] == 2
    assert summary["unmapped"] == ["TestHelperSanity"]

    tree = EvidenceTree.load(workspace / "evidence" / "v1.33")
    gang = tree.requirements["gang_scheduling"]
    assert gang.result.status == "failed" and gang.result.source == "imported"
    [check] = gang.result.checks
    assert check.provenance and check.provenance.runner == "go test"
    assert check.provenance.file == "imported/go-test.json"
    assert (gang.folder / "imported" / "go-test.json").read_bytes() == source.read_bytes()
    skipped = tree.requirements["cluster_autoscaling"].result
    assert skipped.status == "unknown"  # a skipped test proves nothing


def test_reimport_replaces_instead_of_duplicating(workspace: Path, run_cli) -> None:
    source = DATA / "importers" / "ginkgo-junit.xml"
    for _ in range(2):
        run_cli("import", source, "--workspace", workspace)
    dra = EvidenceTree.load(workspace / "evidence" / "v1.33").requirements["dra_support"]
    assert len(dra.result.checks) == 1 and dra.result.status == "passed"


def test_forced_requirement(workspace: Path, run_cli) -> None:
    result = run_cli("import", DATA / "importers" / "go-test-v.log", "--workspace", workspace,
                     "--requirement", "robust_controller", "--output", "json")
    [summary] = json.loads(result.stdout)["imported"]
    assert list(summary["mapped"]) == ["robust_controller"] and not summary["unmapped"]
    assert run_cli("import", DATA / "importers" / "go-test-v.log", "--workspace", workspace,
                   "--requirement", "nope").exit_code == 2


@pytest.mark.timeout(60)
def test_real_sonobuoy_file_imports(workspace: Path, run_cli, tmp_path: Path,
                                    conformance_repo: Path) -> None:
    real = conformance_repo / "v1.33" / "daocloud" / "junit_01.xml"
    copy = tmp_path / "junit_01.xml"
    shutil.copy(real, copy)
    result = run_cli("import", copy, "--workspace", workspace, "--output", "json")
    assert result.exit_code == 0
    [summary] = json.loads(result.stdout)["imported"]
    assert summary["tests"] == 7148
    assert summary["mapped"]["secure_accelerator_access"] == {"passed": 2, "failed": 0,
                                                             "skipped": 2}
    assert summary["skippedUnmapped"] > 7000
