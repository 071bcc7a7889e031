"""pod_autoscaling replayed (the shipped example's session): a real exposition server scraped
through a PodMonitor, the custom metric served and used, scaling up and down; each broken
behaviour fails its check."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.procedures import load_procedure
from tests.collect.conftest import override
from tests.procedures.replaying import assert_failed_by, replay, session, statuses

SCOPE = "pod_autoscaling"
# What busybox httpd answers for a file without a known extension: no Content-Type header,
# which Prometheus 3 rejects unless the scrape config names a fallback protocol.
NO_CONTENT_TYPE = ("Connecting to localhost:8080 (127.0.0.1:8080)\n  HTTP/1.1 200 OK\n"
                   "  Date: Mon, 23 Nov 2026 04:30:40 GMT\n  Connection: close\n"
                   "  Content-Length: 94\n  \n")


@pytest.mark.parametrize("version", ["1.33", "1.34", "1.35", "1.36"])
def test_every_checklist_version_has_the_procedure(version: str) -> None:
    assert load_procedure(version, SCOPE).checks


def test_all_pass(tmp_path: Path) -> None:
    result = replay(tmp_path, session(SCOPE), SCOPE)
    assert result["status"] == "passed", statuses(result)


def _manifests() -> dict[str, dict]:
    procedure = load_procedure("1.35", SCOPE)
    params = {**procedure.parameters, "namespace": "ns", "load": "0"}
    return {doc["kind"]: doc for check in procedure.checks for step in check.steps if step.apply
            for doc in yaml.safe_load_all(procedure.render_manifest(step.apply,
                                                                    step.scope(params, "t")))}


def test_the_pods_are_scraped_through_a_pod_monitor_not_annotations() -> None:
    """kube-prometheus-stack ignores prometheus.io/scrape: a PodMonitor must select the pods
    and name a port they declare."""
    docs = _manifests()
    pod = docs["Deployment"]["spec"]["template"]
    monitor = docs["PodMonitor"]["spec"]
    assert "annotations" not in pod["metadata"]
    assert monitor["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    ports = {p["name"] for c in pod["spec"]["containers"] for p in c["ports"]}
    assert {e["port"] for e in monitor["podMetricsEndpoints"]} <= ports
    assert docs["PodMonitor"]["metadata"]["labels"] == {"release": "kube-prometheus-stack"}


def test_the_metric_file_is_one_the_textfile_collector_reads() -> None:
    docs = _manifests()
    args = docs["Deployment"]["spec"]["template"]["spec"]["containers"][0]["args"]
    assert "--collector.textfile" in args
    assert all(name.endswith(".prom") for name in docs["ConfigMap"]["data"])


def test_metric_not_served_fails(tmp_path: Path) -> None:
    broken = override(session(SCOPE), SCOPE, "get --raw", exitCode=1, stdout="", stderr=(
        "Error from server (NotFound): the server could not find the metric aic_test_load "
        "for pods\n"))
    assert_failed_by(replay(tmp_path, broken, SCOPE), "metric-served", "exit code 1")


@pytest.mark.parametrize(("contains", "fields", "why"), [
    ("wget -S", {"stderr": NO_CONTENT_TYPE}, "content-type"),
    ("wget -qO-", {"stdout": "# HELP node_textfile_scrape_error 1 if there was an error\n"
                             "node_textfile_scrape_error 1\n"}, "exposition"),
    ("podmonitors.monitoring.coreos.com -o", {"exitCode": 1, "stdout": "", "stderr": (
        'Error from server (NotFound): customresourcedefinitions.apiextensions.k8s.io '
        '"podmonitors.monitoring.coreos.com" not found\n')}, "monitor-crd"),
])
def test_a_workload_prometheus_cannot_scrape_fails_the_setup(tmp_path: Path, contains: str,
                                                              fields: dict, why: str) -> None:
    result = replay(tmp_path, override(session(SCOPE), SCOPE, contains, **fields), SCOPE)
    assert_failed_by(result, "workload-running", why)
    assert statuses(result)["scales-up"] == "skipped"


def test_scaling_without_load_fails(tmp_path: Path) -> None:
    broken = override(session(SCOPE), SCOPE, "desiredReplicas", stdout="2")
    assert_failed_by(replay(tmp_path, broken, SCOPE), "no-scale-below-target", "'2'")


def test_no_scale_up_fails(tmp_path: Path) -> None:
    broken = override(session(SCOPE), SCOPE, "currentReplicas", stdout="1")
    result = replay(tmp_path, broken, SCOPE)
    assert statuses(result)["scales-up"] == "failed"


def test_no_scale_down_fails(tmp_path: Path) -> None:
    broken = override(session(SCOPE), SCOPE, "currentReplicas", stdout="3")
    result = replay(tmp_path, broken, SCOPE)
    assert statuses(result)["scales-up"] == "passed"
    assert_failed_by(result, "scales-down", "over 900s")
