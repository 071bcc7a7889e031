"""ai_service_metrics replayed: an exact request count found, nothing for the unmonitored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.procedures import load_procedure
from tests.collect.conftest import override
from tests.procedures.replaying import reason, replay, session, statuses

SCOPE = "ai_service_metrics"


def _vector(value: str | None) -> str:
    result = [] if value is None else [{"metric": {}, "value": [1795235112.803, value]}]
    return json.dumps({"status": "success", "data": {"resultType": "vector", "result": result}})


@pytest.mark.parametrize("version", ["1.33", "1.34", "1.35", "1.36"])
def test_every_version_has_it(version: str) -> None:
    assert load_procedure(version, SCOPE).parameters["monitorKind"] == "ServiceMonitor"


def test_all_pass_after_the_scrape_catches_up(tmp_path: Path) -> None:
    result = replay(tmp_path, session(SCOPE), SCOPE)
    assert result["status"] == "passed", statuses(result)
    assert reason(result, "requests-counted") == "1 series, value 25"


@pytest.mark.parametrize(("value", "why"), [
    ("24", "value 24, expected exactly 25"),
    ("50", "value 50, expected exactly 25"),
    (None, "0 series, expected at least 1"),
])
def test_a_count_other_than_the_requests_sent_fails(tmp_path: Path, value: str | None,
                                                     why: str) -> None:
    broken = override(session(SCOPE), SCOPE, "query=sum(", stdout=_vector(value))
    result = replay(tmp_path, broken, SCOPE)
    assert statuses(result)["requests-counted"] == "failed" and result["status"] == "failed"
    assert why in reason(result, "requests-counted") and "over 300s" in reason(
        result, "requests-counted")


def test_unmonitored_workload_being_scraped_fails(tmp_path: Path) -> None:
    broken = override(session(SCOPE), SCOPE, 'pod=~"aic-unmonitored', stdout=_vector("10"))
    result = replay(tmp_path, broken, SCOPE)
    assert statuses(result)["unmonitored-not-scraped"] == "failed"
    assert "1 series, expected at most 0" in reason(result, "unmonitored-not-scraped")


def test_requests_not_all_answered_fail(tmp_path: Path) -> None:
    broken = override(session(SCOPE), SCOPE, "seq 25", stdout="200\n" * 20 + "503\n" * 5)
    result = replay(tmp_path, broken, SCOPE)
    assert "20 lines match /^200$/, expected equals 25" in reason(result, "requests-counted")


# What prometheus-example-app serves before any request: client_golang prunes the empty
# counter and histogram vectors (NormalizeMetricFamilies), so no "# TYPE" line names them.
BEFORE_TRAFFIC = ("# HELP version Version information about this binary\n"
                  "# TYPE version gauge\nversion{version=\"v0.5.0\"} 1\n")


def test_the_counter_is_read_only_after_the_traffic() -> None:
    steps = [(check.id, step.id) for check in load_procedure("1.35", SCOPE).checks
             for step in check.steps]
    assert steps.index(("requests-counted", "exposition")) == steps.index(
        ("requests-counted", "send")) + 1


@pytest.mark.parametrize("exposed", [
    BEFORE_TRAFFIC,
    BEFORE_TRAFFIC + 'http_requests_total{code="200",method="get"} 24\n',
])
def test_a_workload_not_counting_the_requests_fails(tmp_path: Path, exposed: str) -> None:
    broken = override(session(SCOPE), SCOPE, "8080/metrics", stdout=exposed)
    result = replay(tmp_path, broken, SCOPE)
    assert statuses(result)["requests-counted"] == "failed" and result["status"] == "failed"
    assert "exposition" in reason(result, "requests-counted")
