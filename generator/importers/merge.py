"""Join imported test results to the evidence tree as checks with their own provenance.

The raw file is kept under ``<requirement>/imported/`` with a sidecar holding the checks made
from it (both written by :mod:`generator.evidence.writer`), so a later ``collect`` (which
carries ``imported/`` over) keeps them in the requirement's result; the status is
re-aggregated by the written rules.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator import safefs
from generator.collect.redact import Redactor, redact_document
from generator.errors import InputError
from generator.evidence.model import CheckResult, Provenance
from generator.evidence.tree import IMPORTED_DIR, RESULT_FILE, SIDECAR_SUFFIX, read_result
from generator.evidence.verdicts import Status
from generator.evidence.writer import (
    check_result,
    imported_path,
    keep_imported,
    with_imported,
    write_import_sidecar,
    write_result,
)
from generator.fsutil import atomic_write_bytes, sha256_file
from generator.importers.formats import TestCase, detect, parse
from generator.importers.mapping import check_id, requirement_for, role_of, runner_of
from generator.workspace import Workspace

MAX_CHECKS = 5000  # per requirement from one file: a result stays readable and loadable
MAX_LISTED = 1000  # unmapped test names listed in the summary
_COUNTED = (Status.PASSED, Status.FAILED, Status.SKIPPED)
_REASON = {Status.PASSED: "passed", Status.FAILED: "failed",
           Status.SKIPPED: "skipped by the runner"}


@dataclass
class ImportSummary:
    file: str
    format: str
    tests: int = 0
    mapped: dict[str, dict[str, int]] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    skipped_unmapped: int = 0  # never-run tests outside the mapping (e.g. Ginkgo's non-focused)
    logs: list[str] = field(default_factory=list)  # runner logs kept beside (Sonobuoy's)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"file": self.file, "format": self.format, "tests": self.tests,
                                "mapped": self.mapped, "unmapped": self.unmapped,
                                "skippedUnmapped": self.skipped_unmapped}
        if self.logs:
            data["logs"] = self.logs
        return data


def import_file(workspace: Workspace, path: Path, forced: str | None = None,
                known: set[str] | None = None, kept_name: str | None = None,
                include_skipped: bool = True) -> ImportSummary:
    """Import one test log; ``known`` limits requirements to the workspace's checklist.

    ``kept_name`` names the kept raw file (default: the file's own name);
    ``include_skipped=False`` makes no check of a skipped test (the upstream suite skips a test
    whose flags are unset: an opt-out, not a result), though the summary counts it.
    The kept file, test names and failure messages are redacted like collected output.
    """
    redactor = Redactor.for_platform(workspace.platform)
    fmt = detect(path)
    summary = ImportSummary(file=str(path), format=fmt)
    groups: dict[str, list[TestCase]] = defaultdict(list)
    opted_out: dict[str, int] = defaultdict(int)
    for case in parse(path, fmt):
        summary.tests += 1
        requirement = forced or requirement_for(case.name)
        case = dataclasses.replace(case, name=redactor.text(case.name),
                                   message=case.message and redactor.text(case.message))
        if requirement and (known is None or requirement in known):
            if case.status is Status.SKIPPED and not include_skipped:
                opted_out[requirement] += 1
                continue
            groups[requirement].append(case)
            if len(groups[requirement]) > MAX_CHECKS:
                raise InputError(f"{path}: more than {MAX_CHECKS:,} tests map to {requirement}, "
                                 "more than one requirement's result holds; import the "
                                 "AI-conformance tests only (without --requirement, tests map "
                                 "by name)")
        elif case.status is Status.SKIPPED:
            summary.skipped_unmapped += 1
        elif len(summary.unmapped) < MAX_LISTED:
            summary.unmapped.append(case.name)
    with tempfile.TemporaryDirectory(prefix="k8s-ai-evidence-import-") as scratch:
        redacted = Path(scratch) / path.name  # what is kept: the file as redacted
        atomic_write_bytes(redacted, redact_document(redactor, path.read_bytes()))
        digest = sha256_file(redacted)
        imported_at = datetime.now(UTC).isoformat(timespec="seconds")
        planned = []
        for requirement, cases in groups.items():  # everything checked before anything written
            folder = workspace.evidence_dir / requirement
            safefs.check(folder / IMPORTED_DIR, workspace.root)  # never write through a link
            kept = imported_path(folder, kept_name or path.name, digest)
            checks = [_check(case, fmt, kept, digest, imported_at) for case in cases]
            existing = read_result(folder) if (folder / RESULT_FILE).is_file() else None
            result = with_imported(existing, requirement, workspace.tag, kept, checks,
                                   workspace.is_example)
            check_result(folder, result)
            planned.append((folder, kept, checks, result))
            summary.mapped[requirement] = {s.value: sum(c.status is s for c in cases)
                                           for s in _COUNTED}
        for folder, kept, checks, result in planned:
            keep_imported(redacted, folder, kept)
            write_import_sidecar(folder, kept, checks)
            write_result(folder, result)
    for requirement, count in opted_out.items():
        counts = summary.mapped.setdefault(requirement, {s.value: 0 for s in _COUNTED})
        counts[Status.SKIPPED.value] += count
    return summary


def drop_import(workspace: Workspace, folder: Path, name: str) -> None:
    """Forget an earlier import kept as ``imported/<name>``: its file, sidecar and checks."""
    kept = f"{IMPORTED_DIR}/{name}"
    if not (folder / kept).is_file():
        return
    if (folder / RESULT_FILE).is_file():
        write_result(folder, with_imported(read_result(folder), folder.name, workspace.tag,
                                           kept, [], workspace.is_example))
    (folder / f"{kept}{SIDECAR_SUFFIX}").unlink(missing_ok=True)
    (folder / kept).unlink()


def _check(case: TestCase, fmt: str, kept: str, digest: str, imported_at: str
           ) -> CheckResult:
    provenance = Provenance(runner_of(fmt, case), kept, digest, fmt, imported_at, case.name,
                            case.message)
    return CheckResult(check_id(case.name), case.name, role_of(case.name), case.status,
                       case.message or _REASON[case.status],
                       duration_seconds=case.seconds, provenance=provenance)
