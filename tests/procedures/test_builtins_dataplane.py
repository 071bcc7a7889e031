"""The data-plane builtins on real-looking protocol output."""

from __future__ import annotations

import json

import pytest

from generator.procedures.builtins import BUILTINS
from generator.procedures.builtins_dataplane import (
    backend_split,
    metric_families,
    metric_samples,
    prometheus_vector,
    webhook_denied,
)


def test_registered() -> None:
    assert {"backend_split", "metric_families", "prometheus_vector", "webhook_denied"} <= set(
        BUILTINS)


def _answers(**counts: int) -> str:
    return "".join(f"{name}-5d8f7c6b9d-x2k4q {code}\n" for name, n in counts.items()
                   for code in ["200"] * n)


@pytest.mark.parametrize(("text", "args", "ok", "message"), [
    (_answers(a=78, b=22), {"backends": "a=80,b=20", "total": 100}, True, "a: 78, b: 22"),
    (_answers(a=95, b=5), {"backends": "a=80,b=20"}, False, "b 5% (weight 20%)"),
    (_answers(a=95, b=5), {"backends": "a=80,b=20", "tolerance": 20}, True, "±20 points"),
    (_answers(a=50), {"backends": "a=1", "total": 60}, False, "50 answers, expected 60"),
    (_answers(a=9, c=1), {"backends": "a=1"}, False, "c-5d8f7c6b9d-x2k4q 200"),
    ("a-1 200\n 000\na-2 503\n", {"backends": "a=1"}, False, "(empty) 000: 1, a-2 503: 1"),
    ("", {"backends": "a=1"}, False, "no answer"),
])
def test_backend_split(text: str, args: dict, ok: bool, message: str) -> None:
    verdict = backend_split(text, args)
    assert verdict.ok is ok and message in verdict.message, verdict.message


EXPOSITION = """# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).
# TYPE DCGM_FI_DEV_GPU_UTIL gauge
DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-a",Hostname="n"} 12
DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="GPU-b",Hostname="n"} 0
# TYPE DCGM_FI_DEV_FB_USED gauge
DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-a",Hostname="n"} 1024
DCGM_FI_DEV_FB_USED{gpu="1",UUID="GPU-b",Hostname="n"} 0
"""
FAMILIES = {"families": "DCGM_FI_DEV_GPU_UTIL,DCGM_FI_DEV_FB_USED", "labels": "UUID,gpu"}


@pytest.mark.parametrize(("text", "args", "ok", "message"), [
    (EXPOSITION, FAMILIES, True, "for 2 devices"),
    (EXPOSITION, {**FAMILIES, "minDevices": 4}, False, "2 devices by UUID, expected at least 4"),
    (EXPOSITION.replace('{gpu="1",UUID="GPU-b",Hostname="n"} 0\n# TYPE', " 5\n# TYPE"), FAMILIES,
     False, "different devices"),
    (EXPOSITION.replace("DCGM_FI_DEV_FB_USED{", "DCGM_FI_DEV_FB_FREE{"), FAMILIES, False,
     "no sample of DCGM_FI_DEV_FB_USED"),
    ("", FAMILIES, False, "no sample"),
])
def test_metric_families(text: str, args: dict, ok: bool, message: str) -> None:
    verdict = metric_families(text, args)
    assert verdict.ok is ok and message in verdict.message, verdict.message


def _vector(*values: str, **labels: str) -> str:
    return json.dumps({"status": "success", "data": {"resultType": "vector", "result": [
        {"metric": labels, "value": [1795234987.4, v]} for v in values]}})


@pytest.mark.parametrize(("text", "args", "ok", "message"), [
    (_vector("25"), {"equals": 25, "minSeries": 1}, True, "value 25"),
    (_vector("24"), {"equals": "25"}, False, "value 24, expected exactly 25"),
    (_vector(), {"minSeries": 1}, False, "0 series, expected at least 1"),
    (_vector(), {"maxSeries": 0}, True, "0 series"),
    (_vector("1", UUID="GPU-a"), {"maxSeries": 0}, False, '"UUID": "GPU-a"'),
    (_vector("1", gpu="0"), {"labels": "UUID,gpu"}, False, "series without labels"),
    ('{"status":"error","errorType":"bad_data","error":"parse error"}', {"maxSeries": 0}, False,
     "query failed: parse error"),
    ("<html>502 Bad Gateway</html>", {"maxSeries": 0}, False, "not a Prometheus"),
    ('{"status":"success","data":{"resultType":"scalar","result":[1795234987.4,"3"]}}',
     {"equals": 3}, True, "value 3"),
])
def test_prometheus_vector(text: str, args: dict, ok: bool, message: str) -> None:
    verdict = prometheus_vector(text, args)
    assert verdict.ok is ok and message in verdict.message, verdict.message


FORBIDDEN = ('Error from server (Forbidden): error when creating "STDIN": admission webhook '
             '"validator.trainjob.trainer.kubeflow.org" denied the request: spec.runtimeRef: '
             'Invalid value: "aic-no-such-runtime": not found\n')
LOGGED = ('I1123 04:21:07.412 48213 request.go:1386] "Response Body" body=<\n\t{"kind":"Status",'
          '"message":"admission webhook \\"vraycluster.kb.io\\" denied the request: RayCluster.'
          'ray.io \\"aic.invalid\\" is invalid: metadata.name: bad","reason":"Invalid"}\n >\n'
          'The RayCluster "aic.invalid" is invalid: metadata.name: Invalid value: "aic.invalid"\n')
SCHEMA = 'The RayCluster "aic-invalid" is invalid: spec.headGroupSpec: Required value\n'


@pytest.mark.parametrize(("text", "webhook", "ok", "message"), [
    (FORBIDDEN, "validator.trainjob.trainer.kubeflow.org", True, "denied the request: spec."),
    (FORBIDDEN, None, True, "admission webhook"),
    (LOGGED, "vraycluster.kb.io", True, 'admission webhook "vraycluster.kb.io" denied'),
    (LOGGED, "vrayjob.kb.io", False, "denied by vraycluster.kb.io, not vrayjob.kb.io"),
    (SCHEMA, "vraycluster.kb.io", False, "schema validation"),
    ("raycluster.ray.io/aic-ray created\n", None, False, "no admission webhook"),
])
def test_webhook_denied(text: str, webhook: str | None, ok: bool, message: str) -> None:
    verdict = webhook_denied(text, {"webhook": webhook} if webhook else {})
    assert verdict.ok is ok and message in verdict.message, verdict.message


# dcgm-exporter lines as in kOps' real scrape, the second device attributed to a pod.
DCGM = ('# TYPE DCGM_FI_DEV_GPU_UTIL gauge\n'
        'DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-a",Hostname="n0"} 0\n'
        'DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="GPU-b",Hostname="n0",container="load",'
        'namespace="ns",pod="aic-load"} 97\n')


@pytest.mark.parametrize(("text", "args", "ok", "said"), [
    (DCGM, {"match": "pod=aic-load,namespace=ns", "device": "UUID,gpu", "minSeries": 1,
            "min": 10}, True, 'GPU_UTIL{pod="aic-load",namespace="ns"}: GPU-b 97'),
    (DCGM, {"match": "pod=aic-load", "min": 98}, False, "below 98: ? 97"),
    (DCGM, {"match": "pod=other", "minSeries": 1}, False, "0 samples"),
    (DCGM, {"match": "pod=aic-load", "maxSeries": 0}, False, "expected at most 0"),
    (DCGM.replace("aic-load", "other"), {"match": "pod=aic-load", "maxSeries": 0}, True,
     "0 samples"),
    ("", {"match": "pod=aic-load", "maxSeries": 0}, False, "no sample of DCGM_FI_DEV_GPU_UTIL"),
])
def test_metric_samples_finds_the_attributed_device(text: str, args: dict, ok: bool,
                                                    said: str) -> None:
    verdict = metric_samples(text, {"family": "DCGM_FI_DEV_GPU_UTIL", **args})
    assert verdict.ok is ok and said in verdict.message, verdict.message
