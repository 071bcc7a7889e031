"""accelerator_metrics replayed, both variants: per-device series, and absence where none."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_exporter_on_a_plain_node_fails(tmp_path: Path) -> None:
    recorded = session(SCOPE)
    listing = ("NAME                         READY   STATUS    RESTARTS   AGE\n"
               "nvidia-dcgm-exporter-zt7wd   1/1     Running   0          41d\n")
    broken = override(recorded, SCOPE, "spec.nodeName=cp-0", stdout=listing, stderr="")
    result = replay(tmp_path, broken, SCOPE, "dcgm-exporter")
    assert result["status"] == "failed"
    assert statuses(result)["none-off-accelerators"] == "failed"


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
    ('Hostname="cp-0"', "none-off-accelerators"),
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
