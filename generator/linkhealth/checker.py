"""Check many URLs at once, politely: bounded concurrency overall and per host, timeouts,
retries with backoff (honouring Retry-After), HEAD then GET as CNCF CI does, and a cache.

A 403 is asked once more with CNCF CI's own User-Agent, because WAFs allowlist it: the
result says what CI will see, while every other request names this tool.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from urllib.parse import urldefrag, urlsplit

import httpx

from generator.linkhealth.anchors import checkable, has_anchor
from generator.linkhealth.cache import LinkCache
from generator.linkhealth.classify import (
    USER_AGENT,
    LinkResult,
    ci_passes,
    from_exception,
    from_response,
    tls_reason,
)

RETRY_STATUSES = frozenset({429, 502, 503, 504})
_ERRORS = (httpx.HTTPError, httpx.InvalidURL, ValueError)
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@dataclass(frozen=True)
class CheckOptions:
    concurrency: int = 32
    per_host: int = 6
    timeout: float = 30.0  # CNCF CI's client timeout
    retries: int = 1
    backoff: float = 0.5  # seconds, doubled on each retry
    max_wait: float = 10.0  # cap on a server's Retry-After
    max_body: int = 4 * 1024 * 1024  # read at most this much HTML to find an anchor
    user_agent: str = USER_AGENT
    use_cache: bool = True


@dataclass
class _Fetched:
    response: httpx.Response
    body: bytes


class _Checker:
    def __init__(self, client: httpx.AsyncClient, options: CheckOptions) -> None:
        self.client = client
        self.options = options
        self.slots = asyncio.Semaphore(options.concurrency)
        self.hosts: dict[str, asyncio.Semaphore] = {}

    async def fetch(self, method: str, url: str, read: int,
                    headers: dict[str, str] | None = None) -> _Fetched:
        """One request with retries; ``read`` bytes of the body are kept."""
        host = urlsplit(url).hostname or ""
        per_host = self.hosts.setdefault(host, asyncio.Semaphore(self.options.per_host))
        for attempt in range(self.options.retries + 1):
            last = attempt == self.options.retries
            try:
                async with self.slots, per_host:
                    fetched = await self._once(method, url, read, headers)
            except (httpx.TimeoutException, httpx.ConnectError,
                    httpx.RemoteProtocolError) as exc:
                if last or tls_reason(exc):
                    raise
                await asyncio.sleep(self.options.backoff * 2 ** attempt)
                continue
            if last or fetched.response.status_code not in RETRY_STATUSES:
                return fetched
            await asyncio.sleep(self._wait(fetched.response, attempt))
        raise AssertionError("unreachable")

    async def _once(self, method: str, url: str, read: int,
                    headers: dict[str, str] | None) -> _Fetched:
        async with self.client.stream(method, url, headers=headers) as response:
            body = bytearray()
            if read:
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) >= read:
                        break
            return _Fetched(response, bytes(body[:read]))

    def _wait(self, response: httpx.Response, attempt: int) -> float:
        wait: float = self.options.backoff * 2 ** attempt
        header = response.headers.get("retry-after", "")
        if header.isdigit():
            wait = max(wait, float(header))
        return min(wait, self.options.max_wait)

    async def check(self, url: str) -> LinkResult:
        base, fragment = urldefrag(url)
        anchor = bool(fragment) and checkable(fragment)
        head_ok = False
        try:
            head = await self.fetch("HEAD", base, 0)
            head_ok = ci_passes(head.response.status_code)
        except _ERRORS:
            pass  # CI, too, tries GET after a failed HEAD
        if head_ok and not anchor and head.response.status_code < 400:
            result = from_response(url, head.response, b"", True, bool(head.response.history))
        else:
            try:
                got = await self.fetch("GET", base, self.options.max_body if anchor else 65536)
            except _ERRORS as exc:
                return from_exception(url, exc, head_ok)
            ci = head_ok or ci_passes(got.response.status_code)
            result = from_response(url, got.response, got.body, ci, bool(got.response.history))
            if (anchor and result.outcome in ("ok", "redirected") and _is_html(got.response)
                    and not has_anchor(got.body.decode("utf-8", "replace"), fragment)):
                result = replace(result, outcome="anchor-missing",
                                 detail=f"the page has no element with id {fragment!r}")
        return result


def _is_html(response: httpx.Response) -> bool:
    return "html" in response.headers.get("content-type", "html")


async def _check_all(urls: list[str], options: CheckOptions) -> list[LinkResult]:
    limits = httpx.Limits(max_connections=options.concurrency,
                          max_keepalive_connections=options.concurrency)
    headers = {"User-Agent": options.user_agent, "Accept": _ACCEPT,
               "Accept-Language": "en-US,en;q=0.5"}
    async with httpx.AsyncClient(follow_redirects=True, timeout=options.timeout, limits=limits,
                                 headers=headers, trust_env=False) as client:
        checker = _Checker(client, options)
        return await asyncio.gather(*(_stamped(checker, url) for url in urls))


async def _stamped(checker: _Checker, url: str) -> LinkResult:
    result = await checker.check(url)
    return replace(result, checked_at=time.time())


def check_links(urls: Iterable[str], options: CheckOptions | None = None,
                cache: LinkCache | None = None) -> dict[str, LinkResult]:
    """Every distinct http(s) URL's result, keyed by the URL as given."""
    options = options or CheckOptions()
    wanted = list(dict.fromkeys(u for u in urls if u.startswith(("http://", "https://"))))
    if options.use_cache and cache is None:
        cache = LinkCache()
    results: dict[str, LinkResult] = {}
    if cache is not None and options.use_cache:
        results = {u: r for u in wanted if (r := cache.get(u)) is not None}
    todo = [u for u in wanted if u not in results]
    if todo:
        for result in asyncio.run(_check_all(todo, options)):
            results[result.url] = result
            if cache is not None and options.use_cache:
                cache.put(result)
        if cache is not None and options.use_cache:
            cache.save()
    return {u: results[u] for u in wanted}
