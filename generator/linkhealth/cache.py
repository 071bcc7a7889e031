"""Results kept between runs so a re-run does not fetch every link again.

One JSON file under the user cache; transient failures (timeouts, refused connections) are
never kept, so the next run asks again.  Written atomically once per run.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from generator.checklist.resolve import cache_dir
from generator.fsutil import atomic_write_text
from generator.linkhealth.classify import TRANSIENT, LinkResult

CACHE_FILE = "linkcheck.json"
DEFAULT_TTL = 24 * 3600.0


class LinkCache:
    def __init__(self, path: Path | None = None, ttl: float = DEFAULT_TTL) -> None:
        self.path = path or cache_dir() / CACHE_FILE
        self.ttl = ttl
        self._entries: dict[str, dict[str, Any]] = {}
        self._dirty = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self._entries = dict(data.get("entries", {}))
        except (OSError, ValueError, AttributeError):
            self._entries = {}  # a missing or damaged cache is an empty one

    def get(self, url: str) -> LinkResult | None:
        entry = self._entries.get(url)
        if not entry or time.time() - entry.get("checked_at", 0) > self.ttl:
            return None
        try:
            return LinkResult.from_json({**entry, "cached": True})
        except TypeError:
            return None

    def put(self, result: LinkResult) -> None:
        if result.outcome in TRANSIENT:
            return
        data = result.to_json()
        data.pop("cached", None)
        self._entries[result.url] = data
        self._dirty = True

    def save(self) -> None:
        if self._dirty:
            atomic_write_text(self.path, json.dumps({"version": 1, "entries": self._entries}))
            self._dirty = False
