"""What changed since the same product's previous version: statuses and evidence."""

from __future__ import annotations

from dataclasses import dataclass

from generator.reviewsite.model import SubmissionView


@dataclass(frozen=True)
class Change:
    requirement: str
    before: str | None  # None: the requirement did not exist in that submission
    after: str | None
    added: tuple[str, ...]
    removed: tuple[str, ...]


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
        old_links, new_links = set(a.evidence if a else ()), set(b.evidence if b else ())
        added = tuple(link for link in (b.evidence if b else ()) if link not in old_links)
        removed = tuple(link for link in (a.evidence if a else ()) if link not in new_links)
        if before != after or added or removed:
            rows.append(Change(rid, before, after, added, removed))
    return rows
