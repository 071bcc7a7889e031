"""What changed since the same product's previous version: statuses and evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.reviewsite.model import SubmissionView


@dataclass(frozen=True)
class Change:
    requirement: str
    before: str | None  # None: the requirement did not exist in that submission
    after: str | None
    added: tuple[str, ...]
    removed: tuple[str, ...]


_VERSION_SEGMENT = re.compile(r"(?<![\w.])v?1\.\d+(?![\w.])")


def meaning(link: str) -> str:
    """A link with its Kubernetes version segment made neutral: ``.../v1.33/x`` and
    ``.../v1.34/x`` are the same evidence, carried forward to the next version."""
    return _VERSION_SEGMENT.sub("vX.Y", link)


def changes(view: SubmissionView) -> list[Change]:
    """One row per requirement whose status or evidence differs from the previous version."""
    if view.previous is None:
        return []
    old, new = view.previous.entries, view.entries
    rows = []
    for rid in list(dict.fromkeys([*new, *old])):
        a, b = old.get(rid), new.get(rid)
        before = a.status if a else None
        after = b.status if b else None
        old_links = {meaning(link) for link in (a.evidence if a else ())}
        new_links = {meaning(link) for link in (b.evidence if b else ())}
        added = tuple(link for link in (b.evidence if b else ()) if meaning(link) not in old_links)
        removed = tuple(link for link in (a.evidence if a else ())
                        if meaning(link) not in new_links)
        if before != after or added or removed:
            rows.append(Change(rid, before, after, added, removed))
    return rows
