"""Write the evidence tree: result.json, transcript.jsonl, run.json (each schema-checked).

Results are built here, with the status from :func:`generator.evidence.status.aggregate`, so
that collection, declarations and (later) imports produce one shape.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import IO, Any

from generator.evidence.status import aggregate, conformance_of
from generator.evidence.tree import RESULT_FILE, RUN_FILE, TRANSCRIPT_FILE
from generator.fsutil import atomic_write_text
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
        self._pending: dict[int, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def next_seq(self) -> int:
        with self._lock:
            self._seq += 1
            return self._seq

    def start(self, seq: int, entry: dict[str, Any]) -> None:
        self._pending[seq] = {"seq": seq, **entry}

    def finish(self, seq: int, outcome: str, message: str | None) -> None:
        entry = {**self._pending.pop(seq), "outcome": outcome, "message": message}
        validate_file_data(self.path, entry, "transcript")
        self._handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()


def collected_result(requirement: str, tag: str, checks: list[dict[str, Any]],
                     procedure: dict[str, Any], variant: str, started: str, finished: str,
                     example: bool) -> dict[str, Any]:
    status, reason = aggregate(checks)
    result = {
        "schemaVersion": 1, "requirement": requirement, "kubernetesVersion": tag,
        "source": "collected", "variant": variant, "procedure": procedure,
        "status": status, "conformance": conformance_of(status), "reason": reason,
        "declaration": None, "startedAt": started, "finishedAt": finished, "checks": checks,
    }
    if example:
        result["example"] = True
    return result


def declared_result(requirement: str, tag: str, declaration: dict[str, str], example: bool
                    ) -> dict[str, Any]:
    result = {
        "schemaVersion": 1, "requirement": requirement, "kubernetesVersion": tag,
        "source": "declared", "variant": None, "procedure": None, "status": "declared",
        "conformance": conformance_of("declared", declaration["status"]),
        "reason": declaration["reason"], "declaration": dict(declaration), "checks": [],
    }
    if example:
        result["example"] = True
    return result


def write_result(folder: Path, result: dict[str, Any]) -> None:
    write_json(folder / RESULT_FILE, result, "result")


def write_run(evidence_dir: Path, run: dict[str, Any]) -> None:
    write_json(evidence_dir / RUN_FILE, run, "run")
