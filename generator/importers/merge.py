"""Join imported test results to the evidence tree as checks with their own provenance.

The raw file is kept under ``<requirement>/imported/`` with a ``.checks.json`` sidecar holding
the checks made from it, so a later ``collect`` (which carries ``imported/`` over) can keep them
in the requirement's result; the status is re-aggregated by the written rules.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator import safefs
from generator.collect.redact import Redactor, redact_document
from generator.evidence.status import aggregate, conformance_of
from generator.evidence.tree import IMPORTED_DIR, RESULT_FILE, read_json
from generator.evidence.writer import write_result
from generator.fsutil import atomic_write_bytes, atomic_write_text
from generator.importers.formats import TestCase, detect, parse
from generator.importers.mapping import check_id, requirement_for, role_of, runner_of
from generator.workspace import Workspace

SIDECAR = ".checks.json"


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
    """Import one test log; ``known`` limits requirements to the workspace's checklist.

    The kept file, test names and failure messages are redacted like collected output."""
    redactor = Redactor.for_platform(workspace.platform)
    fmt = detect(path)
    summary = ImportSummary(file=str(path), format=fmt)
    groups: dict[str, list[TestCase]] = defaultdict(list)
    for case in parse(path, fmt):
        summary.tests += 1
        requirement = forced or requirement_for(case.name)
        case = dataclasses.replace(case, name=redactor.text(case.name),
                                   message=case.message and redactor.text(case.message))
        if requirement and (known is None or requirement in known):
            groups[requirement].append(case)
        elif case.status == "skipped":
            summary.skipped_unmapped += 1
        else:
            summary.unmapped.append(case.name)
    data = redact_document(redactor, path.read_bytes())
    digest = hashlib.sha256(data).hexdigest()
    imported_at = datetime.now(UTC).isoformat(timespec="seconds")
    for requirement, cases in groups.items():
        folder = workspace.evidence_dir / requirement
        safefs.check(folder / IMPORTED_DIR, workspace.root)  # never write through a link
        kept = _keep_raw(folder, path.name, data, digest)
        checks = [_check(case, fmt, kept, digest, imported_at) for case in cases]
        atomic_write_text(folder / IMPORTED_DIR / f"{Path(kept).name}{SIDECAR}",
                          json.dumps(checks, indent=2, ensure_ascii=False) + "\n")
        _merge(workspace, folder, requirement, kept, checks)
        summary.mapped[requirement] = {s: sum(c.status == s for c in cases)
                                       for s in ("passed", "failed", "skipped")}
    return summary


def _keep_raw(folder: Path, name: str, data: bytes, digest: str) -> str:
    """Store the raw file once; a different file with the same name gets its digest prefix."""
    target = folder / IMPORTED_DIR / name
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() != digest:
        target = target.with_name(f"{digest[:12]}-{name}")
    if not target.exists():
        atomic_write_bytes(target, data)
    return f"{IMPORTED_DIR}/{target.name}"


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
        checks.extend(json.loads(sidecar.read_text(encoding="utf-8")))
    return checks


def _merge(workspace: Workspace, folder: Path, requirement: str, kept: str,
           checks: list[dict[str, Any]]) -> None:
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
    write_result(folder, result)
