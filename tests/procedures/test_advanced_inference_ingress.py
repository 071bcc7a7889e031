"""advanced_inference_ingress replayed: extension CRDs served, the pool accepted by its Gateway,
requests served by the pool's pods, an unserved model refused, a pool selecting no pods refused
although its status reads resolved (GAIE's ResolvedRefs is about the endpoint picker only);
each broken behaviour fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.collect.session import Session
from generator.procedures import load_procedure
from tests.collect.conftest import SESSIONS, override
from tests.procedures.replaying import assert_failed_by, dry_run, reason, replay, statuses

SCOPE = "advanced_inference_ingress"


def _session() -> Session:
    return Session.load(SESSIONS / f"{SCOPE}-pass.yaml")


def _run(tmp_path: Path, recorded: Session) -> dict[str, Any]:
    return replay(tmp_path, recorded, SCOPE, version="v1.36")


def test_only_in_the_1_36_checklist() -> None:
    procedure = load_procedure("1.36", SCOPE)
    assert procedure.variant == "inference-extension"
    assert procedure.parameters["poolGroup"] == "inference.networking.k8s.io"


def test_all_pass(tmp_path: Path) -> None:
    result = _run(tmp_path, _session())
    assert result["status"] == "passed", statuses(result)
    assert "equals 20" in reason(result, "served-by-pool")
    assert statuses(result)["empty-pool-refused"] == "passed"


POOL_LOGS_WITHOUT_OURS = (
    '[pod/vllm-llama3-8b-instruct-5f7c9d8b6-2xk4p/vllm] (APIServer pid=1) INFO:     '
    '10.244.1.9:51532 - "GET /health HTTP/1.1" 200 OK\n')
EMPTY_POOL_ACCEPTED = ('aic-empty-pool -n inference -o jsonpath={.status.parents[?(@.parentRef'
                       '.name=="inference-gateway")].conditions[?(@.type=="Accepted")]')


@pytest.mark.parametrize(("contains", "fields", "check", "why"), [
    ("crd inferencepools", {"exitCode": 1, "stdout": "", "stderr": 'Error from server '
     '(NotFound): customresourcedefinitions.apiextensions.k8s.io "inferencepools.inference.'
     'networking.k8s.io" not found\n'}, "crds-established", "exit code 1"),
    # a cluster serving only the pre-v1.0 x-k8s.io pool does not serve the v1 API
    ("--api-group=inference.networking.k8s.io", {"stdout": (
        "NAME             SHORTNAMES   APIVERSION                               NAMESPACED   "
        "KIND\ninferencepools   infpool      inference.networking.x-k8s.io/v1alpha2   true"
        "         InferencePool\n")}, "crds-established", "no line matches"),
    ("Accepted", {"stdout": "False"}, "pool-accepted", "expected 'True'"),
    ("ResolvedRefs", {"stdout": "False"}, "pool-accepted", "expected 'True'"),
    ("seq 20", {"stdout": "200\n" * 19 + "503\n"}, "served-by-pool",
     "19 lines match /^200$/, expected equals 20"),
    # answered, but not by the pool's pods (their logs never saw the marked requests)
    ("logs -n inference -l app=vllm-llama3-8b-instruct", {"stdout": POOL_LOGS_WITHOUT_OURS},
     "served-by-pool", "0 lines match"),
    ("aic-unserved", {"stdout": "200"}, "unserved-model-refused", "expected '404'"),
    # the empty pool's route must be attached, or a refusal would prove nothing about the pool
    (EMPTY_POOL_ACCEPTED, {"stdout": ""}, "empty-pool-attached", "expected 'True'"),
    ("app.kubernetes.io/name=aic-no-such-model-server", {"stdout": "pod/aic-stray-0\n"},
     "empty-pool-attached", "expected ''"),
    # a 200 was served by pods the pool does not select; a 404 never reached the pool
    ("x-aic-empty-pool", {"stdout": "200"}, "empty-pool-refused", "no line matches"),
    ("x-aic-empty-pool", {"stdout": "404"}, "empty-pool-refused", "no line matches"),
])
def test_each_broken_behaviour_fails(tmp_path: Path, contains: str, fields: dict[str, Any],
                                     check: str, why: str) -> None:
    result = _run(tmp_path, override(_session(), SCOPE, contains, **fields))
    assert_failed_by(result, check, why)


def test_dry_run_lists_the_checks_with_roles(run_cli, tmp_path: Path) -> None:
    plan = dry_run(run_cli, tmp_path, "v1.36", SCOPE)
    for line in ("[setup] crds-established", "[setup] pool-accepted",
                 "[positive] served-by-pool", "[negative] unserved-model-refused",
                 "[setup] empty-pool-attached", "[negative] empty-pool-refused"):
        assert line in plan


def test_no_check_needs_an_api_gaie_1_6_no_longer_serves() -> None:
    """GAIE v1.6 serves only InferencePool (v1) and InferencePoolImport: InferenceObjective
    and InferenceModelRewrite moved to llm-d with the full endpoint picker."""
    procedure = load_procedure("1.36", SCOPE)
    commands = " ".join(s.run or "" for c in procedure.checks for s in c.steps)
    assert "inferenceobjective" not in commands.lower()
    assert "x-k8s.io" not in commands


# What each endpoint picker watches: GAIE's lightweight EPP (conformance/resources/base.yaml,
# v1.6.0) and the full EPP of v1.2-v1.5 (config/charts/inferencepool/templates/rbac.yaml).
WATCHED = {("", "pods"), ("inference.networking.k8s.io", "inferencepools"),
           ("inference.networking.x-k8s.io", "inferenceobjectives"),
           ("inference.networking.x-k8s.io", "inferencemodelrewrites")}


def test_the_empty_pools_picker_may_watch_all_it_watches() -> None:
    procedure = load_procedure("1.36", SCOPE)
    params = {**procedure.parameters, "namespace": "ns", "requirement": SCOPE, "runId": "r"}
    docs = list(yaml.safe_load_all(procedure.render_manifest("empty-pool.yaml", params)))
    role = next(d for d in docs if d["kind"] == "Role")
    granted = {(group, resource) for rule in role["rules"] if {"get", "list", "watch"} <= set(
        rule["verbs"]) for group in rule["apiGroups"] for resource in rule["resources"]}
    assert granted >= WATCHED
    picker = next(d for d in docs if d["kind"] == "Deployment")["spec"]["template"]["spec"]
    assert picker["containers"][0]["image"].endswith("/lwepp:v1.6.0")
