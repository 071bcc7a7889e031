"""robust_controller replayed, KubeRay and Kubeflow Trainer: a webhook denial, not the schema's."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.collect.session import Session
from generator.procedures import load_procedure
from tests.collect.conftest import EXAMPLE_SESSIONS, SESSIONS, override
from tests.procedures.replaying import (
    assert_sources_named,
    reason,
    replay,
    session,
    statuses,
)

SCOPE = "robust_controller"
VARIANTS = {"kuberay": None, "kubeflow-trainer": "kubeflow-trainer"}  # None: the example's
SCHEMA = {"kuberay": 'The RayCluster "aic-invalid" is invalid: spec.headGroupSpec: '
                     'Required value\n',
          "kubeflow-trainer": 'The TrainJob "aic-invalid" is invalid: spec.runtimeRef.name: '
                              'Required value\n'}


def _invalid_apply(recorded: Session) -> dict:
    """The one apply exchange answered with the webhook's denial (its argv is shared)."""
    return next(e for e in recorded.exchanges
                if e["scope"] == SCOPE and e["argv"][1] == "apply" and e["exitCode"] == 1)


@pytest.mark.parametrize("version", ["1.33", "1.34", "1.35", "1.36"])
def test_every_version_has_both_variants(version: str) -> None:
    assert load_procedure(version, SCOPE).variant == "kuberay"
    assert load_procedure(version, SCOPE, "kubeflow-trainer").checks


def test_kuberay_apply_keeps_the_status_body() -> None:
    step = load_procedure("1.35", SCOPE).checks[1].steps[0]
    assert step.argv({}, "test") == ["kubectl", "apply", "-f", "-", "-v=8"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_all_pass(tmp_path: Path, variant: str) -> None:
    result = replay(tmp_path, session(SCOPE, VARIANTS[variant]), SCOPE, variant)
    assert result["status"] == "passed", statuses(result)


@pytest.mark.parametrize("variant", VARIANTS)
def test_schema_validation_is_not_a_webhook_denial(tmp_path: Path, variant: str) -> None:
    recorded = session(SCOPE, VARIANTS[variant])
    _invalid_apply(recorded).update(stderr=SCHEMA[variant])
    result = replay(tmp_path, recorded, SCOPE, variant)
    assert statuses(result)["invalid-denied-by-webhook"] == "failed"
    assert "schema validation" in reason(result, "invalid-denied-by-webhook")
    assert result["status"] == "failed"


@pytest.mark.parametrize("variant", VARIANTS)
def test_invalid_resource_accepted_fails(tmp_path: Path, variant: str) -> None:
    recorded = session(SCOPE, VARIANTS[variant])
    kind = "raycluster.ray.io/aic.invalid" if variant == "kuberay" else (
        "trainjob.trainer.kubeflow.org/aic-invalid")
    _invalid_apply(recorded).update(exitCode=0, stdout=f"{kind} created\n", stderr="")
    result = replay(tmp_path, recorded, SCOPE, variant)
    assert statuses(result)["invalid-denied-by-webhook"] == "failed"
    assert "exit code 0, expected nonzero" in reason(result, "invalid-denied-by-webhook")


@pytest.mark.parametrize(("variant", "contains", "fields", "check"), [
    ("kuberay", "status.state", {"exitCode": 1, "timedOut": False, "stdout": "", "stderr":
     "error: timed out waiting for the condition on rayclusters/aic-ray\n"}, "valid-reconciled"),
    ("kuberay", "-L ray.io/node-type", {"stdout": "NAME                 READY   STATUS    "
     "RESTARTS   AGE   NODE-TYPE\naic-ray-head-7xq4d   0/1     Pending   0          10m   head\n"},
     "valid-reconciled"),
    ("kubeflow-trainer", "condition=Complete", {"exitCode": 1, "stdout": "", "stderr":
     "error: timed out waiting for the condition on trainjobs/aic-train\n"}, "valid-reconciled"),
])
def test_operator_not_working_fails(tmp_path: Path, variant: str, contains: str, fields: dict,
                                    check: str) -> None:
    broken = override(session(SCOPE, VARIANTS[variant]), SCOPE, contains, **fields)
    result = replay(tmp_path, broken, SCOPE, variant)
    assert statuses(result)[check] == "failed" and result["status"] != "passed"


HOOK = "kuberay-validating-webhook-configuration\tvraycluster.kb.io\t"


@pytest.mark.parametrize(("stdout", "why"), [
    ("", "no line matches"),  # KubeRay's Helm chart installs no webhook
    (HOOK + "ray-system/kuberay-webhook-service\tno caBundle\n", "no line matches"),
    (HOOK + "default/kuberay-webhook-service\tcaBundle\n", "no line matches"),
    ("other-hooks\tvalidate.example.com\tray-system/other\tcaBundle\n", "no line matches"),
])
def test_kuberay_webhook_is_found_by_what_it_covers(tmp_path: Path, stdout: str,
                                                    why: str) -> None:
    """No configuration name is assumed (the kustomize overlay prefixes it, Helm has none):
    a webhook for rayclusters served from the operator's namespace, with a CA bundle."""
    broken = override(session(SCOPE), SCOPE, "get validatingwebhookconfigurations", stdout=stdout)
    result = replay(tmp_path, broken, SCOPE, "kuberay")
    assert statuses(result)["operator-ready"] == "failed" and why in reason(result,
                                                                            "operator-ready")
    assert statuses(result)["invalid-denied-by-webhook"] == "skipped"


def test_kuberay_defaults_fit_the_webhook_enabled_install() -> None:
    parameters = load_procedure("1.35", SCOPE).parameters
    assert "webhookConfiguration" not in parameters
    assert parameters["operatorNamespace"] == "ray-system"
    assert parameters["operatorSelector"] == "app.kubernetes.io/component=kuberay-operator"


@pytest.mark.parametrize("path", [
    EXAMPLE_SESSIONS / "robust_controller.yaml",
    SESSIONS / "robust_controller-kubeflow-trainer-pass.yaml",
], ids=lambda p: p.name)
def test_sessions_name_their_sources(path: Path) -> None:
    assert_sources_named(path)
