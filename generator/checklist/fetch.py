"""Download an official checklist into the user cache: the only network use of the tool."""

from __future__ import annotations

import os

import httpx

from generator import __version__
from generator.checklist.model import Checklist
from generator.checklist.resolve import cached_checklist_path
from generator.errors import EnvironmentProblem, InputError
from generator.fsutil import atomic_write_bytes
from generator.layout import checklist_filename

BASE_URL_ENV = "K8S_AI_EVIDENCE_CHECKLIST_URL"
DEFAULT_BASE_URL = "https://raw.githubusercontent.com/cncf/k8s-ai-conformance/main/docs"
USER_AGENT = f"k8s-ai-evidence/{__version__} (+checklist fetch)"


def fetch_checklist(version: str, base_url: str | None = None, timeout: float = 30.0) -> Checklist:
    """Fetch, check that it parses as a checklist, then atomically replace the cached copy."""
    base = base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    url = f"{base.rstrip('/')}/{checklist_filename(version)}"
    if not base.startswith(("http://", "https://")):  # a typo, not a network problem
        source = "--base-url" if base_url else f"${BASE_URL_ENV}"
        raise InputError(f"{source} {base}: not an http:// or https:// URL")
    try:
        response = httpx.get(url, timeout=timeout, follow_redirects=True,
                             headers={"User-Agent": USER_AGENT})
    except httpx.HTTPError as exc:
        raise EnvironmentProblem(f"cannot download {url}: {exc}") from exc
    if response.status_code != 200:
        raise EnvironmentProblem(f"cannot download {url}: HTTP {response.status_code}")
    target = cached_checklist_path(version)
    try:
        text = response.content.decode("utf-8-sig")
        Checklist.load(target, version, text=text)
    except (UnicodeDecodeError, InputError) as exc:
        raise InputError(f"downloaded file from {url} is not a checklist: {exc}") from exc
    atomic_write_bytes(target, response.content)
    return Checklist.load(target, version, source=f"{target} (cache, from {url})")
