"""A v1.37 workspace end to end: collect (kubectl replayed, the upstream suite from the stand-in
go) -> build -> a PRODUCT.yaml that the real validator accepts, with no warning for the
requirements the suite covers, citing file://<artifact>#<Test> and the site's pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator.collect.session import Session
from generator.review.revisions import rule_set
from tests.collect.conftest import EXAMPLE_SESSIONS, ROOT
from tests.parity import harness
from tests.upstream.conftest import SESSION, make_checkout

MUSTS = ("ai_inference", "gang_scheduling", "cluster_autoscaling", "pod_autoscaling",
         "accelerator_metrics", "ai_service_metrics", "secure_accelerator_access",
         "robust_controller")
VENDOR = "Acme AI Systems"
PRODUCT_DIR = "acme-ai"


def _session(path: Path) -> Path:
    """The shipped example's v1.35 sessions of the MUSTs (1.37 inherits those procedures
    unchanged) relabelled v1.37, with workload_sandboxing's v1.37 session, its preflight
    (server v1.37.0) and probe."""
    joined = Session.load(SESSION)
    for requirement in MUSTS:
        joined.exchanges += Session.load(EXAMPLE_SESSIONS / f"{requirement}.yaml").exchanges
    joined.save(path)
    return path


def _workspace(root: Path) -> Path:
    root.mkdir(parents=True)
    example = yaml.safe_load((ROOT / "platform.yaml").read_text(encoding="utf-8"))["requirements"]
    platform = {
        "kubernetesVersion": "v1.37", "productDir": PRODUCT_DIR,
        "metadata": {
            "platformName": "Acme AI Platform", "platformVersion": "2.4", "vendorName": VENDOR,
            "websiteUrl": "https://acme.example/ai/",
            "documentationUrl": "https://acme.example/ai/docs/",
            "productLogoUrl": "https://acme.example/ai/logo.svg",
            "description": "Acme's managed Kubernetes for AI workloads.",
            "contactEmailAddress": "conformance@acme.example",
            "k8sConformanceUrl": f"https://github.com/cncf/k8s-conformance/tree/master/v1.37/"
                                 f"{PRODUCT_DIR}"},
        "site": {"url": "https://acme.example/evidence/"},
        "upstreamSuite": {"flags": {
            "sandbox-runtime-class": "gvisor",
            "autoscaler-node-pool-label": "acme.example/pool=gpu-autoscale"}},
        # the example's choices (variants, parameters) for the sessions recorded with them
        "requirements": {**{r: example[r] for r in MUSTS}, "workload_sandboxing": {}},
    }
    (root / "platform.yaml").write_text(yaml.safe_dump(platform, sort_keys=False),
                                        encoding="utf-8")
    return root


def test_collect_build_and_the_real_validator_accepts_it(
        run_cli, tmp_path: Path, standin_env, conformance_repo: Path) -> None:
    ws = _workspace(tmp_path / "ws")
    env = standin_env(K8S_AI_CONFORMANCE_REPO=str(conformance_repo))
    collected = run_cli("collect", "--workspace", ws, "--replay",
                        _session(tmp_path / "session.yaml"), "--upstream-suite",
                        make_checkout(tmp_path / "ai-conformance"), env=env)
    assert collected.exit_code == 0, collected.stderr + collected.stdout
    built = run_cli("build", "--workspace", ws, "--out", tmp_path / "build",
                    "--conformance-repo", conformance_repo, "--output", "json", env=env)
    folder = tmp_path / "build" / "submission" / "v1.37" / PRODUCT_DIR
    product = yaml.safe_load((folder / "PRODUCT.yaml").read_text(encoding="utf-8"))
    items = {i["id"]: i for items in product["spec"].values() for i in items}
    assert sorted(p.name for p in folder.iterdir()) == ["PRODUCT.yaml", "e2e.log", "junit.xml",
                                                         "results.json"]
    assert items["gang_scheduling"]["evidence"] == [
        "https://acme.example/evidence/requirements/gang_scheduling/",
        "https://acme.example/evidence/requirements/gang_scheduling/result.json",
        "file://results.json#TestGangScheduling", "file://junit.xml#TestGangScheduling",
        "file://e2e.log#TestGangScheduling"]
    assert "file://e2e.log#TestWorkloadSandboxing" in items["workload_sandboxing"]["evidence"]
    assert not any("#" in link for link in items["ai_inference"]["evidence"])  # not covered
    assert all(items[r]["status"] == "Implemented" for r in (*MUSTS, "workload_sandboxing"))
    assert built.exit_code == 0, built.stderr + built.stdout

    # CNCF CI: the snapshot's validate.go, run from a checkout holding the submission
    repo = tmp_path / "k8s-ai-conformance"
    shutil.copytree(conformance_repo / "docs", repo / "docs")
    shutil.copytree(folder, repo / "v1.37" / PRODUCT_DIR)
    product = f"v1.37/{PRODUCT_DIR}/PRODUCT.yaml"
    assert harness.review_verdicts(repo, rule_set(None))[product].to_json() == {
        "ciValid": True, "errors": [], "warnings": []}  # our review: CI valid, no ::warning
    if not harness.go_available():
        pytest.skip("the real validator needs Go and golang-gopkg-yaml.v3-dev")
    validator = harness.build_validator(rule_set(None), conformance_repo, tmp_path / "go")
    verdict = harness.run_validator(validator, repo, [product])[product]
    assert verdict.to_json() == {"ciValid": True, "errors": [], "warnings": []}


def test_the_validator_rejects_a_failing_artifact_so_build_does_not_ship_it(
        run_cli, tmp_path: Path, standin_env, conformance_repo: Path) -> None:
    ws = _workspace(tmp_path / "ws")
    env = standin_env("fail-secure.jsonl", GO_STANDIN_EXIT="1",
                      K8S_AI_CONFORMANCE_REPO=str(conformance_repo))
    collected = run_cli("collect", "--workspace", ws, "--replay",
                        _session(tmp_path / "session.yaml"), "--upstream-suite",
                        make_checkout(tmp_path / "ai-conformance"), env=env)
    assert collected.exit_code == 1
    built = run_cli("build", "--workspace", ws, "--out", tmp_path / "build",
                    "--conformance-repo", conformance_repo, env=env)
    assert built.exit_code == 1  # secure_accelerator_access, a MUST, failed
    assert "artifacts are not shipped: they hold failing tests" in built.stdout
    folder = tmp_path / "build" / "submission" / "v1.37" / PRODUCT_DIR
    assert sorted(p.name for p in folder.iterdir()) == ["PRODUCT.yaml"]
