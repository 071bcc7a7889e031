"""``review --online`` against a loopback server: CI's reachability and membership verdicts,
link health for reviewers, never a change of ciValid, never the internet."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.linkhealth import CheckOptions, LinkResult
from generator.review import online as online_module
from generator.review import review_paths
from generator.review.online import check_online
from generator.review.online.members import LANDSCAPE_ENV, parse_members
from generator.schemas import schema_issues
from tests.linkhealth.server import Served, loopback_server
from tests.review.builders import checkout, product, requirement

FAST = CheckOptions(timeout=0.5, retries=0, use_cache=False)
MUSTS = ("dra_support", "ai_inference", "cluster_autoscaling", "pod_autoscaling")


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    with loopback_server() as server:
        monkeypatch.setenv(LANDSCAPE_ENV, server.url("/landscape.yml"))
        yield server


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any URL off loopback (the k8sConformanceUrl CI insists on) is answered, not fetched."""
    real = online_module.check_links

    def guarded(urls, options=None):
        urls = list(urls)
        local = [u for u in urls if u.startswith("http://127.0.0.1")]
        results = real(local, options)
        return {u: results.get(u) or LinkResult(u, "ok", "not fetched in tests", True, 200)
                for u in urls}

    monkeypatch.setattr(online_module, "check_links", guarded)


def _submission(root: Path, served: Served, evidence: dict[str, str], **metadata: str) -> Path:
    doc = product(**{"websiteUrl": served.url("/ok"), "documentationUrl": served.url("/ok"),
                     "repoUrl": served.url("/ok"), "productLogoUrl": served.url("/ok?logo.svg"),
                     **metadata})
    for rid in MUSTS:
        requirement(doc, rid)["evidence"] = [served.url(evidence.get(rid, "/ok"))]
    return checkout(root, doc)


def _online(root: Path) -> tuple[list, dict]:
    reports = review_paths([root])
    links = check_online(reports, FAST)
    [report] = reports
    return report, links


def test_ci_verdicts_on_urls_and_membership_leave_ci_valid_alone(tmp_path: Path,
                                                                  served: Served) -> None:
    _submission(tmp_path, served, {"dra_support": "/gone", "ai_inference": "/cf"},
                vendorName="Nobody Inc", productLogoUrl=served.url("/logo.svg"))
    report, links = _online(tmp_path)
    assert report.ci_valid  # the offline verdict
    by_rule = {}
    for finding in report.online:
        by_rule.setdefault(finding.rule, []).append(finding)
    assert sorted(by_rule) == ["online-url-unreachable", "online-vendor-not-member"]
    logo, gone, wall = sorted(by_rule["online-url-unreachable"], key=lambda f: f.line)
    assert logo.ci == f"Invalid URL in metadata productLogoUrl: {served.url('/logo.svg')} " \
                      "(status code 404)"
    assert gone.requirement == "dra_support" and gone.line is not None
    assert gone.ci == f"Invalid evidence URL for 'dra_support': {served.url('/gone')} " \
                      "(status code 404)"
    assert "bot wall" in wall.message and wall.requirement == "ai_inference"
    [vendor] = by_rule["online-vendor-not-member"]
    assert vendor.ci.startswith("vendorName 'Nobody Inc' does not match any CNCF member")
    assert links[served.url("/gone")].outcome == "dead"
    payload = report.to_json()
    assert payload["ciValid"] and payload["online"]["ok"] is False


def test_health_warnings_that_ci_lets_through(tmp_path: Path, served: Served) -> None:
    _submission(tmp_path, served, {"dra_support": "/moved", "ai_inference": "/ratelimited",
                                   "cluster_autoscaling": "/ok#nowhere",
                                   "pod_autoscaling": "/ok#install"},
                vendorName="Another Corp")
    report, _ = _online(tmp_path)
    rules = sorted((f.rule, f.severity, f.requirement) for f in report.online)
    assert rules == [("online-anchor-missing", "warning", "cluster_autoscaling"),
                     ("online-link-blocked", "warning", "ai_inference"),
                     ("online-link-redirected", "info", "dra_support")]
    assert report.to_json()["online"]["ok"] is True


def test_member_list_unavailable_is_a_warning_and_cached_when_fetched(
        tmp_path: Path, served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    _submission(tmp_path, served, {})
    report, _ = _online(tmp_path)
    assert report.online == []
    _online(tmp_path)
    assert served.hits["GET /landscape.yml"] == 1  # the second run read the cache
    monkeypatch.setenv(LANDSCAPE_ENV, served.url("/gone"))
    report, _ = _online(tmp_path)
    [finding] = report.online
    assert finding.rule == "online-members-unavailable" and "HTTP 404" in finding.message


def test_member_names_are_read_as_ci_reads_them() -> None:
    from tests.linkhealth.server import LANDSCAPE

    assert parse_members(LANDSCAPE) == {"Fixture Vendor", "Another Corp", "Small Co"}


def test_cli_online_json(tmp_path: Path, run_cli) -> None:
    with loopback_server() as server:
        doc = product(k8sConformanceUrl=server.url("/ok"), websiteUrl=server.url("/gone"),
                      documentationUrl=server.url("/ok"), repoUrl=server.url("/ok"),
                      productLogoUrl=server.url("/ok?logo.svg"))
        for rid in MUSTS:
            requirement(doc, rid)["evidence"] = [server.url("/ok")]
        checkout(tmp_path, doc)
        result = run_cli("review", tmp_path, "--online", "--output", "json",
                         env={LANDSCAPE_ENV: server.url("/landscape.yml")})
    payload = json.loads(result.stdout)
    assert schema_issues(payload, "review-report") == []
    [submission] = payload["submissions"]
    assert result.exit_code == 1  # k8sConformanceUrl is not a cncf/k8s-conformance URL: offline
    online = {f["rule"]: f for f in submission["online"]["findings"]}
    assert set(online) == {"online-url-unreachable"}
    assert online["online-url-unreachable"]["ci"].startswith("Invalid URL in metadata websiteUrl")
