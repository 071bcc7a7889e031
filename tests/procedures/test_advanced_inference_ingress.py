"""advanced_inference_ingress replayed: extension CRDs served, the pool accepted by its Gateway,
requests served by the pool's pods, an unserved model refused, a pool selecting no pods refused
although its status reads resolved (GAIE's ResolvedRefs is about the endpoint picker only);
each broken behaviour fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

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
    assert "20 answers: vllm-llama3-8b-instruct: 20" in reason(result, "served-by-pool")
    assert statuses(result)["empty-pool-refused"] == "passed"


EMPTY_POOL_ACCEPTED = ('aic-empty-pool -n inference -o jsonpath={.status.parents[?(@.parentRef'
                       '.name=="inference-gateway")].conditions[?(@.type=="Accepted")]')


@pytest.mark.parametrize(("contains", "fields", "check", "why"), [
    ("crd inferencepools", {"exitCode": 1, "stdout": "", "stderr": 'Error from server '
     '(NotFound): customresourcedefinitions.apiextensions.k8s.io "inferencepools.inference.'
     'networking.k8s.io" not found\n'}, "crds-established", "exit code 1"),
    ("--api-group=inference.networking.x-k8s.io", {"stdout": (
        "NAME              SHORTNAMES   APIVERSION                               NAMESPACED   "
        "KIND\ninferencemodels                inference.networking.x-k8s.io/v1alpha2   true"
        "         InferenceModel\n")}, "crds-established", "no line matches"),
    ("Accepted", {"stdout": "False"}, "pool-accepted", "expected 'True'"),
    ("ResolvedRefs", {"stdout": "False"}, "pool-accepted", "expected 'True'"),
    ("seq 20", {"stdout": "vllm-llama3-8b-instruct-5f7c9d8b6-2xk4p 200\n" * 19 + " 503\n"},
     "served-by-pool", "(empty) 503"),
    ("seq 20", {"stdout": "other-model-6c8d7f9b5-q4m2x 200\n" * 20}, "served-by-pool",
     "answers not from vllm-llama3-8b-instruct"),
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
