"""The CNCF member list as CNCF CI reads it from the landscape, cached for a day.

CI takes the items of the "CNCF Members" category, strips " (member)"/" (supporter)" and
requires vendorName to match one exactly (after trimming spaces).
"""

from __future__ import annotations

import json
import os
import time

import httpx
import yaml

from generator.checklist.resolve import cache_dir
from generator.fsutil import atomic_write_text
from generator.linkhealth import USER_AGENT

LANDSCAPE_URL = "https://raw.githubusercontent.com/cncf/landscape/master/landscape.yml"
LANDSCAPE_ENV = "K8S_AI_EVIDENCE_LANDSCAPE_URL"  # tests point it at a loopback server
SUFFIXES = (" (member)", " (supporter)")
TTL = 24 * 3600.0
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class MembersUnavailable(Exception):
    """The landscape could not be fetched or read (CI itself would stop here)."""


def landscape_url() -> str:
    return os.environ.get(LANDSCAPE_ENV) or LANDSCAPE_URL


def parse_members(text: str | bytes) -> set[str]:
    try:
        data = yaml.load(text, Loader=_Loader) or {}
    except yaml.YAMLError as exc:
        raise MembersUnavailable(f"failed to parse CNCF landscape YAML: {exc}") from exc
    for category in data.get("landscape") or []:
        if category.get("name") != "CNCF Members":
            continue
        members = set()
        for sub in category.get("subcategories") or []:
            for item in sub.get("items") or []:
                name = str(item.get("name") or "")
                for suffix in SUFFIXES:
                    name = name.removesuffix(suffix)
                if name.strip():
                    members.add(name.strip())
        return members
    raise MembersUnavailable("could not find 'CNCF Members' category in landscape data")


def cncf_members(timeout: float = 60.0) -> set[str]:
    """Member names, from the cache when fetched from the same URL in the last day."""
    url = landscape_url()
    path = cache_dir() / "cncf-members.json"
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if cached["url"] == url and time.time() - cached["fetchedAt"] < TTL:
            return set(cached["members"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:
        response = httpx.get(url, timeout=timeout, follow_redirects=True, trust_env=False,
                             headers={"User-Agent": USER_AGENT})
    except httpx.HTTPError as exc:
        raise MembersUnavailable(f"failed to fetch CNCF landscape: {exc}") from exc
    if response.status_code != 200:
        raise MembersUnavailable(f"failed to fetch CNCF landscape: HTTP {response.status_code}")
    members = parse_members(response.content)
    atomic_write_text(path, json.dumps({"url": url, "fetchedAt": time.time(),
                                        "members": sorted(members)}))
    return members
