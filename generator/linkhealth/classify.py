"""What a link check found, in words a vendor and a reviewer agree on.

A 403 or 429 from a CDN's bot wall is not a dead link: the page may be fine for people and
the vendor cannot fix it, so it is reported as ``blocked`` (naming the CDN when its
fingerprint is recognised), apart from ``dead`` (404/410) and other HTTP errors.
``ci_reachable`` is CNCF CI's own judgement: HEAD, then GET, status < 400 or 429 passes.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from generator import __version__

if TYPE_CHECKING:  # httpx is imported by the checker; building a site needs only the result
    import httpx

USER_AGENT = (f"k8s-ai-evidence/{__version__} (evidence link check for CNCF Kubernetes AI "
              "Conformance submissions)")

Outcome = Literal["ok", "redirected", "dead", "blocked", "timeout", "tls-error", "http-error",
                  "unreachable", "anchor-missing"]
PROBLEMS = frozenset({"dead", "timeout", "tls-error", "http-error", "unreachable"})
TRANSIENT = frozenset({"timeout", "unreachable"})  # never cached: the next run asks again

_WALL_HEADERS = (
    ("cf-ray", "Cloudflare"), ("cf-mitigated", "Cloudflare"), ("x-amzn-waf-action", "AWS WAF"),
    ("x-datadome", "DataDome"), ("x-sucuri-id", "Sucuri"), ("x-iinfo", "Imperva"),
    ("akamai-grn", "Akamai"), ("x-px", "PerimeterX"),
)
_WALL_SERVERS = re.compile(r"cloudflare|akamaighost|ddos-guard|sucuri|imperva", re.I)
_WALL_BODY = re.compile(
    r"just a moment\.\.\.|attention required|cf-chl|captcha|are you a robot|access denied"
    r"|request unsuccessful\. incapsula|px-captcha|datadome|bot detection", re.I)


@dataclass(frozen=True)
class LinkResult:
    url: str
    outcome: Outcome
    detail: str  # one line for people: status, where it redirected, which CDN
    ci_reachable: bool
    status: int | None = None
    final_url: str | None = None
    checked_at: float = 0.0
    cached: bool = False

    @property
    def problem(self) -> bool:
        return self.outcome in PROBLEMS

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinkResult:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def ci_passes(status: int) -> bool:
    return status < 400 or status == 429


def bot_wall(response: httpx.Response, body: bytes) -> str | None:
    """The CDN or WAF that answered instead of the site, if its fingerprint shows."""
    if response.status_code not in (403, 429, 503):
        return None
    for header, name in _WALL_HEADERS:
        if header in response.headers:
            return name
    server: str = response.headers.get("server", "")
    if _WALL_SERVERS.search(server):
        return server
    if _WALL_BODY.search(body[:65536].decode("utf-8", "replace")):
        return "a bot check page"
    return "rate limiting" if response.status_code == 429 else None


def from_response(url: str, response: httpx.Response, body: bytes, ci_reachable: bool,
                  redirected: bool) -> LinkResult:
    status = response.status_code
    wall = bot_wall(response, body)
    final = str(response.url)
    if wall:
        return LinkResult(url, "blocked", f"HTTP {status} from {wall}: a bot wall, not the "
                          "vendor's fault; check it in a browser", ci_reachable, status)
    if status in (404, 410):
        return LinkResult(url, "dead", f"HTTP {status}" + (f" at {final}" if redirected else ""),
                          ci_reachable, status, final if redirected else None)
    if status == 403:  # we never pose as CI; sites that allowlist CI's agent are told apart
        return LinkResult(url, "http-error", f"HTTP 403 {response.reason_phrase}: refused to "
                          "this tool; a site that allowlists CNCF CI's User-Agent may still let "
                          "CI through", ci_reachable, status)
    if status >= 400:
        return LinkResult(url, "http-error", f"HTTP {status} {response.reason_phrase}".strip(),
                          ci_reachable, status)
    if redirected:
        return LinkResult(url, "redirected", f"redirected to {final}", ci_reachable, status,
                          final)
    return LinkResult(url, "ok", f"HTTP {status}", ci_reachable, status)


def from_exception(url: str, exc: Exception, ci_reachable: bool = False) -> LinkResult:
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return LinkResult(url, "timeout", f"no answer in time ({type(exc).__name__})",
                          ci_reachable)
    reason = tls_reason(exc)
    if reason:
        return LinkResult(url, "tls-error", f"TLS error: {reason}", ci_reachable)
    return LinkResult(url, "unreachable", f"{type(exc).__name__}: {exc}".rstrip(": "),
                      ci_reachable)


def tls_reason(exc: BaseException | None) -> str | None:
    import ssl

    while exc is not None:
        if isinstance(exc, ssl.SSLError):
            return getattr(exc, "reason", None) or str(exc)
        if "SSL" in str(exc) or "CERTIFICATE" in str(exc):
            return str(exc)
        exc = exc.__cause__ or exc.__context__
    return None
