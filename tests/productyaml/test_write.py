"""PRODUCT.yaml: official text copied exactly, statuses truthful, strings stay strings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.bundle import load_bundle
from generator.productyaml import write_submission
from generator.productyaml.yamlout import dump
from generator.review import review_product
from generator.workspace import Workspace
from generator.yamldoc import load_yaml

DATA = Path(__file__).resolve().parents[1] / "data"
FIXTURE = DATA / "evidence-tree"
CHECKLIST = DATA / "checklist" / "AIConformance-1.35.yaml"


def test_written_file_is_ci_valid_when_every_must_passed(tmp_path: Path) -> None:
    bundle = load_bundle(Workspace.load(FIXTURE), CHECKLIST)
    submission = write_submission(bundle, tmp_path)
    assert submission.path == tmp_path / "submission/v1.35/fixture-platform/PRODUCT.yaml"
    report = review_product(submission.path, bundle.checklist, submission.repo_path)
    assert report.ci_valid, report.findings
    assert not bundle.blocking


def test_keys_order_statuses_and_evidence(tmp_path: Path) -> None:
    bundle = load_bundle(Workspace.load(FIXTURE), CHECKLIST)
    data = load_yaml(write_submission(bundle, tmp_path).path).data
    assert list(data) == ["metadata", "spec"]
    assert list(data["metadata"])[:3] == ["kubernetesVersion", "platformName", "platformVersion"]
    assert data["metadata"]["platformVersion"] == "1.0"  # a string, not the float 1.0
    items = {i["id"]: i for c in data["spec"].values() for i in c}
    assert list(items["dra_support"]) == ["id", "description", "level", "status", "evidence",
                                          "notes"]
    assert items["dra_support"]["evidence"] == [
        "https://evidence.fixture.example/v1.35/2026-03-02/requirements/dra_support/",
        "https://evidence.fixture.example/v1.35/2026-03-02/requirements/dra_support/result.json"]
    assert "Passed negative: an unsatisfiable claim stays pending" in items["dra_support"]["notes"]
    assert items["gpu_sharing"] == {**items["gpu_sharing"], "status": "", "evidence": []}
    assert items["virtualized_accelerator"]["status"] == "N/A"
    assert "no vGPU support" in items["virtualized_accelerator"]["notes"]


def test_official_text_is_copied_exactly(tmp_path: Path, conformance_repo: Path) -> None:
    bundle = load_bundle(Workspace.load(FIXTURE), conformance_repo=conformance_repo)
    data = load_yaml(write_submission(bundle, tmp_path).path).data
    written = {i["id"]: (i["description"], i["level"]) for c in data["spec"].values() for i in c}
    assert written == {r.id: (r.description, r.level) for r in bundle.checklist.requirements}
    # the fixture covers two MUSTs of the real checklist: the others block, truthfully
    assert {r.id for r in bundle.blocking} >= {"gang_scheduling", "robust_controller"}
    assert all(written_item["status"] == "" for c in data["spec"].values()
               for written_item in c if written_item["id"] == "gang_scheduling")


def test_in_pr_copies_sit_beside_product_yaml(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(FIXTURE, workspace)
    platform = workspace / "platform.yaml"
    platform.write_text(platform.read_text().replace("site:\n", "site:\n  inPrEvidence: true\n"))
    bundle = load_bundle(Workspace.load(workspace), CHECKLIST)
    submission = write_submission(bundle, tmp_path / "out")
    assert submission.copied == ["dra_support", "ai_inference"]
    folder = submission.path.parent
    assert (folder / "dra_support/transcript.jsonl").is_file()
    report = review_product(submission.path, bundle.checklist, submission.repo_path)
    assert report.ci_valid, report.findings


@pytest.mark.parametrize("value", ["1.0", "yes", "N/A", "2026-01-01", "null", "a: b", "#x",
                                   "line\nbreak", "\u2028", "'\"", ""])
def test_strings_read_back_as_the_same_strings(value: str) -> None:
    text = dump({"metadata": {"platformVersion": value}, "spec": {"x": [{"evidence": []}]}})
    assert load_yaml(Path("PRODUCT.yaml"), text=text).data["metadata"]["platformVersion"] == value


def test_only_the_conditional_must_ci_accepts_as_na_does_not_block(
        tmp_path: Path, conformance_repo: Path) -> None:
    """Today's CI rules accept cluster_autoscaling N/A (with a warning), no other MUST."""
    workspace = tmp_path / "ws"
    shutil.copytree(FIXTURE, workspace)
    platform = workspace / "platform.yaml"
    platform.write_text(platform.read_text().replace("requirements:\n", (
        "requirements:\n"
        "  cluster_autoscaling: {status: N/A, reason: Fixed-size clusters by contract.}\n"
        "  pod_autoscaling: {status: N/A, reason: No HPA.}\n")))
    bundle = load_bundle(Workspace.load(workspace), conformance_repo=conformance_repo)
    blocking = {r.id for r in bundle.blocking}
    assert "pod_autoscaling" in blocking and "cluster_autoscaling" not in blocking
