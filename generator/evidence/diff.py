"""What changed between two runs: per requirement and per check, status changes, checks
added or removed, and decisive outputs that now say something else.

A run is read from a workspace (``platform.yaml`` + ``evidence/vX.Y/``), a build output
(``OUT/site/requirements/``) or a published site folder (``requirements/``): each holds the
same ``result.json`` per requirement. Status order for "regressed": passed > partial >
unknown > failed; a declaration ranks by what it declares; a requirement that disappears
regressed. Every run names its namespaces and request markers with its own run id, so reasons
are compared (and shown) with each side's run id as ``<run>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.evidence.model import CheckResult, RequirementResult
from generator.evidence.status import DECIDING_ROLES
from generator.evidence.tree import RESULT_FILE, EvidenceTree, read_result
from generator.evidence.verdicts import Conformance, Status
from generator.layout import PLATFORM_FILE, REQUIREMENTS_SECTION, SiteOut
from generator.workspace import Workspace

_RANK = {Status.PASSED: 3, Status.PARTIAL: 2, Status.UNKNOWN: 1, Status.FAILED: 0}
_DECLARED_RANK = {Conformance.IMPLEMENTED: 3, Conformance.NOT_APPLICABLE: 3,
                  Conformance.PARTIALLY_IMPLEMENTED: 2, Conformance.NOT_IMPLEMENTED: 0}


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


def load_results(path: Path) -> dict[str, RequirementResult]:
    """Every requirement's result under a workspace, build output or site folder."""
    if (path / PLATFORM_FILE).is_file():
        tree = EvidenceTree.load(Workspace.load(path).evidence_dir)
        return {rid: r.result for rid, r in tree.requirements.items()}
    for folder in (SiteOut(path).site / REQUIREMENTS_SECTION, path / REQUIREMENTS_SECTION):
        if folder.is_dir():
            return {p.parent.name: read_result(p.parent)
                    for p in sorted(folder.glob(f"*/{RESULT_FILE}"))}
    raise InputError(f"{path}: neither a workspace ({PLATFORM_FILE}) nor a build output or "
                     "site folder (requirements/*/result.json)")


def _rank(result: RequirementResult | None) -> int:
    if result is None:
        return -1
    if result.status is Status.DECLARED:
        return _DECLARED_RANK.get(result.conformance, 1) if result.conformance else 1
    return _RANK.get(result.status, 1)


def _status(item: RequirementResult | CheckResult | None) -> str | None:
    return None if item is None else str(item.status)


def _reason(item: RequirementResult | CheckResult | None, run: RequirementResult | None
            ) -> str | None:
    """The reason with the run id of the result it belongs to written ``<run>``."""
    if item is None:
        return None
    if run is None or run.run_id is None:
        return item.reason
    return re.sub(rf"(?<![0-9a-f]){run.run_id}(?![0-9a-f])", "<run>", item.reason)


def _check_changes(old: RequirementResult | None, new: RequirementResult | None
                   ) -> list[Change]:
    before = {c.id: c for c in (old.checks if old else ())}
    after = {c.id: c for c in (new.checks if new else ())}
    changes = []
    for check_id in [*before, *(c for c in after if c not in before)]:
        was, now = before.get(check_id), after.get(check_id)
        regressed = (was is not None and was.role in DECIDING_ROLES
                     and was.status is Status.PASSED
                     and (now is None or now.status is not Status.PASSED))
        changes.append(Change(check_id, _status(was), _status(now), regressed,
                              _reason(was, old), _reason(now, new)))
    return changes


def diff_results(old: dict[str, RequirementResult], new: dict[str, RequirementResult]
                 ) -> list[Change]:
    changes = []
    for rid in sorted({*old, *new}):
        was, now = old.get(rid), new.get(rid)
        checks = _check_changes(was, now)
        regressed = _rank(now) < _rank(was) or any(c.regressed for c in checks)
        changes.append(Change(rid, _status(was), _status(now), regressed, _reason(was, was),
                              _reason(now, now), checks))
    return changes
