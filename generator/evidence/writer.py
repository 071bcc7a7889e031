"""Write the evidence tree: result.json, transcript.jsonl, run.json (each schema-checked), and
what an import keeps under ``imported/``.

Results are built here, with the status from :func:`generator.evidence.status.aggregate`, so
that collection, declarations and imports produce one shape.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from generator.evidence.model import (
    CheckResult,
    Declaration,
    Outcome,
    ProcedureRef,
    RequirementResult,
    RunRecord,
    Source,
    TranscriptEntry,
)
from generator.evidence.status import aggregate
from generator.evidence.tree import (
    IMPORTED_DIR,
    RESULT_FILE,
    RUN_FILE,
    SIDECAR_SUFFIX,
    TRANSCRIPT_FILE,
)
from generator.evidence.verdicts import Status
from generator.fsutil import atomic_copy, atomic_write_text, sha256_file
from generator.schemas import validate_file_data


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_json(path: Path, data: dict[str, Any], schema: str) -> None:
    """Refuse to write what the schema rejects: a bug here must not reach reviewers."""
    validate_file_data(path, data, schema)
    atomic_write_text(path, _dump(data))


class TranscriptWriter:
    """Appends one JSON line per attempt as the run goes, so nothing piles up in memory."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / TRANSCRIPT_FILE
        self._handle: IO[str] = self.path.open("w", encoding="utf-8")
        self._seq = 0
        self._pending: dict[int, TranscriptEntry] = {}
        self._lock = threading.Lock()

    def next_seq(self) -> int:
        with self._lock:
            self._seq += 1
            return self._seq

    def start(self, entry: TranscriptEntry) -> None:
        """A command ran (``entry.seq`` from :meth:`next_seq`); it is written once judged."""
        self._pending[entry.seq] = entry

    def finish(self, seq: int, outcome: Outcome, message: str | None) -> None:
        entry = replace(self._pending.pop(seq), outcome=outcome, message=message).to_json()
        validate_file_data(self.path, entry, "transcript")
        self._handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()


def collected_result(requirement: str, tag: str, checks: Iterable[CheckResult],
                     procedure: ProcedureRef, variant: str, started: str, finished: str,
                     example: bool, run_id: str) -> RequirementResult:
    checks = tuple(checks)
    status, reason = aggregate(checks)
    return RequirementResult(requirement, tag, Source.COLLECTED, status, status.conformance,
                             reason, checks, variant, procedure, started_at=started,
                             finished_at=finished, example=example, run_id=run_id)


def declared_result(requirement: str, tag: str, declaration: Declaration, example: bool,
                    checks: Iterable[CheckResult] = ()) -> RequirementResult:
    """The human's word; checks (imported ones) are shown but the status stays declared."""
    return RequirementResult(requirement, tag, Source.DECLARED, Status.DECLARED,
                             declaration.status, declaration.reason, tuple(checks),
                             declaration=declaration, example=example)


def with_imported(result: RequirementResult | None, requirement: str, tag: str, kept: str,
                  checks: Iterable[CheckResult], example: bool) -> RequirementResult:
    """``result`` (or a new imported one) with the checks made from the raw file ``kept``
    replaced by ``checks``, and the status added up again unless a human declared it."""
    result = result or RequirementResult(requirement, tag, Source.IMPORTED, Status.UNKNOWN,
                                         None, "", example=example)
    others = tuple(c for c in result.checks if not c.provenance or c.provenance.file != kept)
    result = replace(result, checks=others + tuple(checks))
    if result.status is Status.DECLARED:
        return result
    status, reason = aggregate(result.checks)
    return replace(result, status=status, conformance=status.conformance, reason=reason)


def write_result(folder: Path, result: RequirementResult) -> None:
    write_json(folder / RESULT_FILE, result.to_json(), "result")


def check_result(folder: Path, result: RequirementResult) -> None:
    """What :func:`write_result` would refuse, checked before anything is written."""
    validate_file_data(folder / RESULT_FILE, result.to_json(), "result")


def imported_path(folder: Path, name: str, digest: str) -> str:
    """Where an imported raw file (``digest``: its sha256) is kept, relative to ``folder``:
    stored once under ``imported/``, a different file of the same name gets its digest prefix."""
    if (folder / IMPORTED_DIR / name).is_file() and sha256_file(
            folder / IMPORTED_DIR / name) != digest:
        name = f"{digest[:12]}-{name}"
    return f"{IMPORTED_DIR}/{name}"


def keep_imported(source: Path, folder: Path, kept: str) -> None:
    """Copy the raw file to ``kept`` (from :func:`imported_path`) unless it is there."""
    if not (folder / kept).exists():
        atomic_copy(source, folder / kept)


def write_import_sidecar(folder: Path, kept: str, checks: Iterable[CheckResult]) -> None:
    """The checks made from the kept file ``kept``, beside it (read by
    :func:`generator.evidence.tree.imported_checks`)."""
    atomic_write_text(folder / IMPORTED_DIR / f"{Path(kept).name}{SIDECAR_SUFFIX}",
                      _dump([c.to_json() for c in checks]))


def write_run(evidence_dir: Path, run: RunRecord) -> None:
    write_json(evidence_dir / RUN_FILE, run.to_json(), "run")
