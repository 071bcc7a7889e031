"""Join imported test results to the evidence tree as checks with their own provenance.

The raw file is kept under ``<requirement>/imported/`` with a ``.checks.json`` sidecar holding
the checks made from it, so a later ``collect`` (which carries ``imported/`` over) can keep them
in the requirement's result; the status is re-aggregated by the written rules.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.evidence.status import aggregate, conformance_of
from generator.evidence.tree import IMPORTED_DIR, RESULT_FILE, read_json
from generator.evidence.writer import write_result
from generator.fsutil import atomic_copy, atomic_write_text
from generator.importers.formats import TestCase, detect, parse
from generator.importers.mapping import check_id, requirement_for, role_of, runner_of
from generator.schemas import validate_file_data
from generator.workspace import Workspace

SIDECAR = ".checks.json"
MAX_CHECKS = 5000  # per requirement from one file: a result stays readable and loadable
MAX_LISTED = 1000  # unmapped test names listed in the summary


@dataclass
class ImportSummary:
    file: str
    format: str
    tests: int = 0
    mapped: dict[str, dict[str, int]] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    skipped_unmapped: int = 0  # never-run tests outside the mapping (e.g. Ginkgo's non-focused)

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "format": self.format, "tests": self.tests,
                "mapped": self.mapped, "unmapped": self.unmapped,
                "skippedUnmapped": self.skipped_unmapped}


def import_file(workspace: Workspace, path: Path, forced: str | None = None,
                known: set[str] | None = None) -> ImportSummary:
    """Import one test log; ``known`` limits requirements to the workspace's checklist."""
    fmt = detect(path)
    summary = ImportSummary(file=str(path), format=fmt)
    groups: dict[str, list[TestCase]] = defaultdict(list)
    for case in parse(path, fmt):
        summary.tests += 1
        requirement = forced or requirement_for(case.name)
        if requirement and (known is None or requirement in known):
            groups[requirement].append(case)
            if len(groups[requirement]) > MAX_CHECKS:
                raise InputError(f"{path}: more than {MAX_CHECKS:,} tests map to {requirement}, "
                                 "more than one requirement's result holds; import the "
                                 "AI-conformance tests only (without --requirement, tests map "
                                 "by name)")
        elif case.status == "skipped":
            summary.skipped_unmapped += 1
        elif len(summary.unmapped) < MAX_LISTED:
            summary.unmapped.append(case.name)
    digest = _sha256(path)
    imported_at = datetime.now(UTC).isoformat(timespec="seconds")
    planned = []
    for requirement, cases in groups.items():  # everything checked before anything is written
        folder = workspace.evidence_dir / requirement
        kept = f"{IMPORTED_DIR}/{_raw_name(folder, path.name, digest)}"
        checks = [_check(case, fmt, kept, digest, imported_at) for case in cases]
        planned.append((folder, kept, checks,
                        _merged(workspace, folder, requirement, kept, checks)))
        summary.mapped[requirement] = {s: sum(c.status == s for c in cases)
                                       for s in ("passed", "failed", "skipped")}
    for folder, kept, checks, result in planned:
        _keep_raw(path, folder / kept)
        atomic_write_text(folder / f"{kept}{SIDECAR}",
                          json.dumps(checks, indent=2, ensure_ascii=False) + "\n")
        write_result(folder, result)
        summary.mapped[requirement] = {s: sum(c.status == s for c in cases)
                                       for s in ("passed", "failed", "skipped")}
    return summary


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _raw_name(folder: Path, name: str, digest: str) -> str:
    """The raw file is stored once; a different file of the same name gets its digest prefix."""
    target = folder / IMPORTED_DIR / name
    if target.is_file() and _sha256(target) != digest:
        return f"{digest[:12]}-{name}"
    return name


def _keep_raw(source: Path, target: Path) -> None:
    if not target.exists():
        atomic_copy(source, target)


def _check(case: TestCase, fmt: str, kept: str, digest: str, imported_at: str
           ) -> dict[str, Any]:
    reason = case.message or {"passed": "passed", "failed": "failed",
                              "skipped": "skipped by the runner"}[case.status]
    provenance = {"runner": runner_of(fmt, case), "format": fmt, "file": kept, "sha256": digest,
                  "importedAt": imported_at, "testName": case.name}
    if case.message:
        provenance["message"] = case.message
    return {"id": check_id(case.name), "title": case.name, "role": role_of(case.name),
            "status": case.status, "reason": reason, "durationSeconds": case.seconds,
            "steps": [], "decisiveStep": None, "provenance": provenance}


def imported_checks(folder: Path) -> list[dict[str, Any]]:
    """Every check kept in ``imported/*.checks.json`` of a requirement folder."""
    checks: list[dict[str, Any]] = []
    for sidecar in sorted((folder / IMPORTED_DIR).glob(f"*{SIDECAR}")):
        try:
            kept = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{sidecar}: unreadable import record ({exc}); delete it and "
                             "import the file again") from exc
        if not isinstance(kept, list) or not all(isinstance(c, dict) for c in kept):
            raise InputError(f"{sidecar}: not a list of checks; delete it and import the "
                             "file again")
        checks.extend(kept)
    return checks


def _merged(workspace: Workspace, folder: Path, requirement: str, kept: str,
            checks: list[dict[str, Any]]) -> dict[str, Any]:
    """The requirement's result with these checks in place of the file's earlier ones,
    checked against its schema before anything is written."""
    path = folder / RESULT_FILE
    if path.is_file():
        result = read_json(path, "result")
    else:
        result = {"schemaVersion": 1, "requirement": requirement,
                  "kubernetesVersion": workspace.tag, "source": "imported", "variant": None,
                  "procedure": None, "declaration": None, "checks": []}
        if workspace.is_example:
            result["example"] = True
    others = [c for c in result["checks"] if (c.get("provenance") or {}).get("file") != kept]
    result["checks"] = others + checks
    if result.get("status") != "declared":
        status, reason = aggregate(result["checks"])
        result.update(status=status, conformance=conformance_of(status), reason=reason)
    validate_file_data(folder / RESULT_FILE, result, "result")
    return result
