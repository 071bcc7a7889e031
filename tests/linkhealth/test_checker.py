"""Each case a link check meets, played by a loopback server: classification, CI's verdict,
retries, anchors, User-Agent and the cache."""

from __future__ import annotations

from pathlib import Path

from generator.linkhealth import USER_AGENT, CheckOptions, check_links
from generator.linkhealth.cache import LinkCache
from tests.linkhealth.server import Served

FAST = CheckOptions(timeout=0.25, retries=1, backoff=0.01, use_cache=False)


def _check(served: Served, *paths: str, options: CheckOptions = FAST) -> dict:
    results = check_links([served.url(p) for p in paths], options)
    return {url.removeprefix(served.base): r for url, r in results.items()}


def test_each_outcome_is_named_and_judged_as_ci_would(served: Served) -> None:
    results = _check(served, "/ok", "/moved", "/gone", "/removed", "/cf", "/ratelimited",
                     "/forbidden", "/slow", "/nohead")
    outcomes = {path: (r.outcome, r.status, r.ci_reachable) for path, r in results.items()}
    assert outcomes == {
        "/ok": ("ok", 200, True),
        "/moved": ("redirected", 200, True),
        "/gone": ("dead", 404, False),
        "/removed": ("dead", 410, False),
        "/cf": ("blocked", 403, False),
        "/ratelimited": ("blocked", 429, True),  # CI lets 429 pass
        "/forbidden": ("http-error", 403, False),
        "/slow": ("timeout", None, False),
        "/nohead": ("ok", 200, True),  # HEAD 405, then GET as CI does
    }
    assert results["/moved"].final_url == served.url("/ok")
    blocked = results["/cf"].detail
    assert "Cloudflare" in blocked and "not the vendor's fault" in blocked


def test_tls_error_and_refused_connection() -> None:
    from tests.linkhealth.server import loopback_server

    with loopback_server() as plain:  # speaking TLS to a plain HTTP port fails the handshake
        tls = plain.base.replace("http://", "https://") + "/ok"
        results = check_links([tls, "http://127.0.0.1:1/x"], FAST)
    assert results[tls].outcome == "tls-error" and not results[tls].ci_reachable
    assert results["http://127.0.0.1:1/x"].outcome == "unreachable"


def test_anchors_are_looked_up_in_the_fetched_html(served: Served) -> None:
    results = _check(served, "/ok#install", "/ok#old-anchor", "/ok#gpu-sharing", "/ok#nowhere",
                     "/ok#L10-L20", "/log.txt#install", "/moved#install")
    outcomes = {path: r.outcome for path, r in results.items()}
    assert outcomes == {"/ok#install": "ok", "/ok#old-anchor": "ok",
                        "/ok#gpu-sharing": "ok",  # GitHub's user-content- prefix
                        "/ok#nowhere": "anchor-missing", "/ok#L10-L20": "ok",
                        "/log.txt#install": "ok",  # not HTML: nothing to look up
                        "/moved#install": "redirected"}
    assert results["/ok#nowhere"].ci_reachable  # CI ignores anchors
    assert served.hits["GET /ok"] >= 3


def test_retries_a_failing_answer_with_backoff(served: Served) -> None:
    assert _check(served, "/flaky")["/flaky"].outcome == "ok"
    assert served.hits["HEAD /flaky"] == 2
    no_retry = CheckOptions(timeout=0.5, retries=0, use_cache=False)
    served.hits.clear()
    assert _check(served, "/flaky", options=no_retry)["/flaky"].status == 503


def test_only_an_honest_user_agent_is_ever_sent(served: Served) -> None:
    result = _check(served, "/waf")["/waf"]
    assert result.outcome == "http-error" and not result.ci_reachable
    assert "allowlists CNCF CI's User-Agent" in result.detail
    assert set(served.agents) == {USER_AGENT}  # never posing as CNCF's validator
    served.agents.clear()
    _check(served, "/ok")
    assert set(served.agents) == {USER_AGENT}


def test_cache_spares_a_rerun_but_not_transient_failures(served: Served, tmp_path: Path) -> None:
    cache = LinkCache(tmp_path / "links.json")
    options = CheckOptions(timeout=0.25, retries=0, backoff=0.01)
    urls = [served.url("/ok"), served.url("/gone"), served.url("/slow")]
    first = check_links(urls, options, cache)
    assert not any(r.cached for r in first.values())
    served.hits.clear()
    again = check_links(urls, options, LinkCache(tmp_path / "links.json"))
    assert again[served.url("/ok")].cached and again[served.url("/gone")].outcome == "dead"
    assert set(served.hits) == {"HEAD /slow", "GET /slow"}  # only the timeout is asked again
    expired = check_links(urls[:1], options, LinkCache(tmp_path / "links.json", ttl=0))
    assert not expired[served.url("/ok")].cached


def test_damaged_cache_is_an_empty_one(served: Served, tmp_path: Path) -> None:
    (tmp_path / "links.json").write_text("{not json")
    result = check_links([served.url("/ok")], FAST, LinkCache(tmp_path / "links.json"))
    assert result[served.url("/ok")].outcome == "ok"


def test_only_http_urls_are_checked_once_each(served: Served) -> None:
    url = served.url("/ok")
    results = check_links([url, url, "evidence/run.log", "mailto:x@example.com"], FAST)
    assert list(results) == [url]
    assert served.hits["HEAD /ok"] == 1
