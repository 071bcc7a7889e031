"""What changed between two runs: per requirement and per check, status changes, checks
added or removed, and decisive outputs that now say something else.

A run is read from a workspace (``platform.yaml`` + ``evidence/vX.Y/``), a build output
(``OUT/site/requirements/``) or a published site folder (``requirements/``): each holds the
same ``result.json`` per requirement. Status order for "regressed": passed > partial >
unknown > failed; a declaration ranks by what it declares; a requirement that disappears
regressed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.evidence.status import DECIDING_ROLES
from generator.evidence.tree import RESULT_FILE, EvidenceTree
from generator.workspace import PLATFORM_FILE, Workspace

_RANK = {"passed": 3, "partial": 2, "unknown": 1, "failed": 0}
_DECLARED_RANK = {"Implemented": 3, "N/A": 3, "Partially Implemented": 2, "Not Implemented": 0}


@dataclass
class Change:
    id: str
    old: str | None  # status, None when absent
    new: str | None
    regressed: bool
    old_reason: str | None = None
    new_reason: str | None = None
    checks: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return (self.old != self.new or self.old_reason != self.new_reason
                or any(c.changed for c in self.checks))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "old": self.old, "new": self.new,
                                "regressed": self.regressed}
        if self.old_reason != self.new_reason:
            data.update(oldReason=self.old_reason, newReason=self.new_reason)
        if self.checks:
            data["checks"] = [c.to_json() for c in self.checks if c.changed]
        return data


def load_results(path: Path) -> dict[str, dict[str, Any]]:
    """Every requirement's result.json under a workspace, build output or site folder."""
    if (path / PLATFORM_FILE).is_file():
        tree = EvidenceTree.load(Workspace.load(path).evidence_dir)
        return {rid: r.result for rid, r in tree.requirements.items()}
    for folder in (path / "site" / "requirements", path / "requirements"):
        if folder.is_dir():
            return {p.parent.name: _read(p) for p in sorted(folder.glob(f"*/{RESULT_FILE}"))}
    raise InputError(f"{path}: neither a workspace ({PLATFORM_FILE}) nor a build output or "
                     "site folder (requirements/*/result.json)")


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("checks"), list):
        raise InputError(f"{path}: not a result.json")
    return data


def _rank(result: dict[str, Any] | None) -> int:
    if result is None:
        return -1
    if result.get("status") == "declared":
        return _DECLARED_RANK.get(result.get("conformance") or "", 1)
    return _RANK.get(result.get("status") or "", 1)


def _check_changes(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Change]:
    before = {c["id"]: c for c in (old or {}).get("checks", [])}
    after = {c["id"]: c for c in (new or {}).get("checks", [])}
    changes = []
    for check_id in [*before, *(c for c in after if c not in before)]:
        was, now = before.get(check_id), after.get(check_id)
        role = (now or was or {}).get("role")
        deciding = role in DECIDING_ROLES
        regressed = deciding and bool(was) and was.get("status") == "passed" and (
            now is None or now.get("status") != "passed")
        changes.append(Change(check_id, was and was.get("status"), now and now.get("status"),
                              regressed, was and was.get("reason"), now and now.get("reason")))
    return changes


def diff_results(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
                 ) -> list[Change]:
    changes = []
    for rid in sorted({*old, *new}):
        was, now = old.get(rid), new.get(rid)
        checks = _check_changes(was, now)
        regressed = _rank(now) < _rank(was) or any(c.regressed for c in checks)
        changes.append(Change(rid, was and was.get("status"), now and now.get("status"),
                              regressed, was and was.get("reason"), now and now.get("reason"),
                              checks))
    return changes
