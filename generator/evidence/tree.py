"""Read the evidence tree of one Kubernetes minor; every reader goes through here."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import safefs
from generator.errors import InputError
from generator.evidence.model import (
    CheckResult,
    RequirementResult,
    RunRecord,
    SuiteRecord,
    TranscriptEntry,
)
from generator.layout import SUITE_DIR, SUITE_RECORD
from generator.schemas import validate_file_data

RESULT_FILE = "result.json"
TRANSCRIPT_FILE = "transcript.jsonl"
RUN_FILE = "run.json"
NOTES_FILE = "notes.md"
PROCEDURE_SCRIPT = "procedure.sh"
MANIFESTS_DIR = "manifests"
IMPORTED_DIR = "imported"
SIDECAR_SUFFIX = ".checks.json"  # imported/<raw file>.checks.json: the checks made from it


def read_json(path: Path, schema: str, root: Path | None = None) -> dict[str, Any]:
    """Load a JSON file the tool wrote and check it against its schema (a link refused)."""
    try:
        data: dict[str, Any] = json.loads(
            safefs.read_bytes(path, root or path.parent).decode("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from exc
    validate_file_data(path, data, schema)
    return data


def read_result(folder: Path) -> RequirementResult:
    """A requirement folder's ``result.json``, schema-checked."""
    return RequirementResult.from_json(read_json(folder / RESULT_FILE, "result"))


def imported_checks(folder: Path) -> tuple[CheckResult, ...]:
    """Every check kept beside an imported file (``imported/*.checks.json``), so that imported
    results survive a re-collect, which carries ``imported/`` over."""
    checks: list[CheckResult] = []
    for sidecar in sorted((folder / IMPORTED_DIR).glob(f"*{SIDECAR_SUFFIX}")):
        try:
            kept = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{sidecar}: unreadable import record ({exc}); delete it and "
                             "import the file again") from exc
        try:
            checks.extend(CheckResult.from_json(c) for c in kept)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"{sidecar}: not a list of checks ({exc!r}); delete it and "
                             "import the file again") from exc
    return tuple(checks)


@dataclass(frozen=True)
class RequirementEvidence:
    """What the tree holds for one requirement."""

    requirement: str
    folder: Path
    result: RequirementResult

    @property
    def notes(self) -> str | None:
        """The vendor's own narrative (``notes.md``), never written by collection."""
        path = self.folder / NOTES_FILE
        if not (path.is_file() or path.is_symlink()):
            return None
        return safefs.read_text(path, self.folder)

    def transcript(self) -> Iterator[TranscriptEntry]:
        """Transcript entries in order, streamed line by line."""
        path = self.folder / TRANSCRIPT_FILE
        if not (path.is_file() or path.is_symlink()):
            return
        safefs.check(path, self.folder)
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        entry = TranscriptEntry.from_json(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise InputError(f"{path}:{number}: invalid JSON: {exc.msg}") from exc
                    except (KeyError, TypeError, ValueError) as exc:  # validate names the field
                        raise InputError(f"{path}:{number}: not a transcript entry ({exc!r})"
                                         ) from exc
                    yield entry

    def files(self, subdir: str = "") -> list[Path]:
        """Every file of the folder (or of one subfolder); a link or special file refuses."""
        folder = self.folder / subdir if subdir else self.folder
        if not (folder.is_dir() or folder.is_symlink()):
            return []
        return safefs.walk(folder, self.folder)


@dataclass(frozen=True)
class EvidenceTree:
    root: Path  # evidence/vX.Y
    run: RunRecord | None  # None: no run.json, the environment was not captured
    requirements: dict[str, RequirementEvidence]
    suite: SuiteRecord | None = None  # None: the upstream suite did not run

    @property
    def suite_dir(self) -> Path:
        """The suite run's folder: its record and the three artifacts."""
        return self.root / SUITE_DIR

    @classmethod
    def load(cls, root: Path) -> EvidenceTree:
        """Load every ``<requirement>/result.json`` under ``root`` (missing root: empty tree)."""
        safefs.check(root, root)
        run = _optional(root / RUN_FILE, "run", root)
        requirements = {}
        if root.is_dir():
            for folder in sorted(p for p in root.iterdir() if p.is_dir() or p.is_symlink()):
                if folder.name.startswith("."):
                    continue
                safefs.check(folder, root)  # a linked requirement folder is refused
                if not (folder / RESULT_FILE).is_file() and not (folder / RESULT_FILE).is_symlink():
                    continue
                requirements[folder.name] = RequirementEvidence(folder.name, folder,
                                                                read_result(folder))
        suite = _optional(root / SUITE_DIR / SUITE_RECORD, "upstream-suite", root)
        return cls(root=root, run=RunRecord.from_json(run) if run else None,
                   requirements=requirements, suite=SuiteRecord.from_json(suite) if suite else None)


def _optional(path: Path, schema: str, root: Path) -> dict[str, Any] | None:
    """A record the tree may lack (a link in its place is refused, not taken for absent)."""
    return read_json(path, schema, root) if path.is_file() or path.is_symlink() else None
