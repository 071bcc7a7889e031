"""accelerator_metrics replayed, both variants: per-device series, utilization that follows a
workload keeping a device busy (KAR-0059's workload-driven case), and absence where none."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.procedures import load_procedure
from tests.collect.conftest import override
from tests.procedures.replaying import reason, replay, session, statuses

SCOPE = "accelerator_metrics"
VARIANTS = {"dcgm-exporter": None, "prometheus": "prometheus"}  # None: the example's
EMPTY = '{"status":"success","data":{"resultType":"vector","result":[]}}\n'


@pytest.mark.parametrize("version", ["1.33", "1.34", "1.35", "1.36"])
def test_every_version_has_both_variants(version: str) -> None:
    assert load_procedure(version, SCOPE).variant == "dcgm-exporter"
    assert load_procedure(version, SCOPE, "prometheus").checks


@pytest.mark.parametrize("variant", VARIANTS)
def test_all_pass(tmp_path: Path, variant: str) -> None:
    result = replay(tmp_path, session(SCOPE, VARIANTS[variant]), SCOPE, variant)
    assert result["status"] == "passed", statuses(result)


def _exposition(pass_session) -> str:
    return next(e["stdout"] for e in pass_session.exchanges if "/metrics" in e["argv"][-1])


def test_scrape_without_device_labels_fails(tmp_path: Path) -> None:
    recorded = session(SCOPE)
    stripped = "".join(line.split("{")[0] + " 0\n" if line.startswith("DCGM_FI_DEV_FB_USED")
                       else line for line in _exposition(recorded).splitlines(keepends=True))
    result = replay(tmp_path, override(recorded, SCOPE, "/metrics", stdout=stripped), SCOPE,
                    "dcgm-exporter")
    assert statuses(result)["per-device-metrics"] == "failed"
    assert "no sample of DCGM_FI_DEV_FB_USED with labels UUID, gpu" in reason(
        result, "per-device-metrics")


def _scrapes(recorded) -> list[dict]:
    return [e for e in recorded.exchanges if "/metrics" in e["argv"][-1]]


def test_no_check_needs_a_node_without_accelerators() -> None:
    """Clusters whose every node has accelerators are conformant: no step selects the others."""
    for variant in VARIANTS:
        procedure = load_procedure("1.35", SCOPE, variant)
        assert not [s.id for c in procedure.checks for s in c.steps if "'!" in (s.run or "")]


def test_the_load_is_pinned_to_the_scraped_node_and_holds_one_device() -> None:
    procedure = load_procedure("1.35", SCOPE)
    pod = yaml.safe_load(procedure.render_manifest("load.yaml", {
        **procedure.parameters, "namespace": "ns", "gpuNode": "gpu-worker-0"}))
    term = pod["spec"]["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]
    assert term["matchFields"] == [{"key": "metadata.name", "operator": "In",
                                    "values": ["gpu-worker-0"]}]
    assert pod["spec"]["containers"][0]["resources"]["limits"] == {"nvidia.com/gpu": "1"}


def test_a_device_never_busy_under_load_fails(tmp_path: Path) -> None:
    """The exporter attributes the device to the load but its utilization stays at 0."""
    recorded = session(SCOPE)
    idle_attributed = _scrapes(recorded)[1]["stdout"]
    broken = override(recorded, SCOPE, "/metrics", stdout=idle_attributed)
    result = replay(tmp_path, broken, SCOPE, "dcgm-exporter")
    assert statuses(result)["utilization-under-load"] == "failed"
    assert ('DCGM_FI_DEV_GPU_UTIL{pod="aic-load",namespace="aic-accelerator-metrics-'
            in reason(result, "utilization-under-load"))
    assert "below 10: GPU-9a1f3c77-0e52-4b8d-b3f1-6c2e8a904d15 0" in reason(
        result, "utilization-under-load")


def test_a_load_never_attributed_fails(tmp_path: Path) -> None:
    recorded = session(SCOPE)
    broken = override(recorded, SCOPE, "/metrics", stdout=_scrapes(recorded)[0]["stdout"])
    result = replay(tmp_path, broken, SCOPE, "dcgm-exporter")
    assert "0 samples of DCGM_FI_DEV_GPU_UTIL" in reason(result, "utilization-under-load")
    assert result["status"] == "failed"


def test_attribution_outliving_the_workload_fails(tmp_path: Path) -> None:
    recorded = session(SCOPE)
    busy = _scrapes(recorded)[2]["stdout"]
    broken = override(recorded, SCOPE, "/metrics", stdout=busy)
    result = replay(tmp_path, broken, SCOPE, "dcgm-exporter")
    assert statuses(result)["utilization-under-load"] == "passed"
    assert statuses(result)["attribution-ends-with-the-workload"] == "failed"
    assert "expected at most 0" in reason(result, "attribution-ends-with-the-workload")


def test_prometheus_load_not_busy_or_still_attributed_fails(tmp_path: Path) -> None:
    recorded = session(SCOPE, "prometheus")
    result = replay(tmp_path, override(recorded, SCOPE, ">= 10", stdout=EMPTY), SCOPE,
                    "prometheus")
    assert statuses(result)["utilization-under-load"] == "failed"
    attributed = next(e["stdout"] for e in recorded.exchanges
                      if 'exported_pod="aic-load"' in " ".join(e["argv"])
                      and ">=" not in " ".join(e["argv"]) and "aic-load" in e["stdout"])
    result = replay(tmp_path / "2", override(recorded, SCOPE, 'exported_pod="aic-load",'
                                             'exported_namespace="aic-accelerator-metrics-<run-id>"}'
                                             " ", stdout=attributed), SCOPE, "prometheus")
    assert statuses(result)["attribution-ends-with-the-workload"] == "failed"


@pytest.mark.parametrize(("contains", "check"), [
    ('GPU_UTIL{Hostname="gpu-worker-0"}', "utilization-per-device"),
    ("DCGM_FI_DEV_FB_USED", "memory-per-device"),
])
def test_missing_series_fails(tmp_path: Path, contains: str, check: str) -> None:
    recorded = session(SCOPE, "prometheus")
    result = replay(tmp_path, override(recorded, SCOPE, contains, stdout=EMPTY), SCOPE,
                    "prometheus")
    assert statuses(result)[check] == "failed" and result["status"] == "failed"


@pytest.mark.parametrize(("contains", "check"), [
    ("aic_no_such_metric_total", "unknown-metric-empty"),
])
def test_series_where_none_may_be_fails(tmp_path: Path, contains: str, check: str) -> None:
    recorded = session(SCOPE, "prometheus")
    found = next(e["stdout"] for e in recorded.exchanges
                 if "DCGM_FI_DEV_GPU_UTIL{Hostname=\"gpu-worker-0\"}" in " ".join(e["argv"]))
    result = replay(tmp_path, override(recorded, SCOPE, contains, stdout=found), SCOPE,
                    "prometheus")
    assert statuses(result)[check] == "failed"
    assert "4 series, expected at most 0" in reason(result, check)


def test_failed_query_is_not_an_empty_answer(tmp_path: Path) -> None:
    error = ('{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": '
             '1:1: parse error: unexpected end of input"}\n')
    recorded = session(SCOPE, "prometheus")
    result = replay(tmp_path, override(recorded, SCOPE, "aic_no_such_metric_total",
                                       stdout=error), SCOPE, "prometheus")
    assert "query failed: invalid parameter" in reason(result, "unknown-metric-empty")
