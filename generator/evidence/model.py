"""The result tree as types: a requirement's result with its checks (``result.json``) and the
commands they ran (``transcript.jsonl``).

The status words live in :mod:`generator.evidence.verdicts`. The collect engine and the
importers build these types; only the evidence package writes and reads them (the schemas in
``schemas/`` stay the file contract, and ``from_json``/``to_json`` round-trip every file the
tool writes); every view reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from generator.evidence.verdicts import Conformance, Status

SCHEMA_VERSION = 1


class Role(StrEnum):
    """What a check is for (which roles decide a status: :mod:`generator.evidence.status`)."""

    SETUP = "setup"
    POSITIVE = "positive"
    NEGATIVE = "negative"
    DIAGNOSTIC = "diagnostic"
    CLEANUP = "cleanup"


class Source(StrEnum):
    """Where a requirement's result came from."""

    COLLECTED = "collected"
    DECLARED = "declared"
    IMPORTED = "imported"


def _present(data: Mapping[str, Any], **fields: Any) -> dict[str, Any]:
    """``data`` plus the optional ``fields`` that have a value (absent keys stay absent)."""
    return {**data, **{k: v for k, v in fields.items() if v is not None}}


@dataclass(frozen=True)
class Provenance:
    """Where an imported check came from: the raw file kept under ``imported/``."""

    runner: str
    file: str  # relative to the requirement folder
    sha256: str
    format: str | None = None
    imported_at: str | None = None
    test_name: str | None = None
    message: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = _present({"runner": self.runner}, format=self.format)
        data.update(file=self.file, sha256=self.sha256)
        return _present(data, importedAt=self.imported_at, testName=self.test_name,
                        message=self.message)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Provenance:
        return cls(data["runner"], data["file"], data["sha256"], data.get("format"),
                   data.get("importedAt"), data.get("testName"), data.get("message"))


@dataclass(frozen=True)
class CheckResult:
    """One check's verdict, with the transcript steps it ran (collected) or its provenance
    (imported)."""

    id: str
    title: str
    role: Role
    status: Status
    reason: str
    limit: Conformance | None = None  # a passed check that still caps the requirement
    started_at: str | None = None
    duration_seconds: float | None = None
    steps: tuple[int, ...] = ()  # seq numbers of this check's transcript entries
    decisive_step: int | None = None  # the entry whose output decided the verdict
    provenance: Provenance | None = None

    @property
    def imported(self) -> bool:
        return self.provenance is not None

    def to_json(self) -> dict[str, Any]:
        """Collected checks always carry ``limit`` and ``startedAt``, imported ones only when
        set; an imported check carries its ``provenance``."""
        data: dict[str, Any] = {"id": self.id, "title": self.title, "role": self.role.value,
                                "status": self.status.value, "reason": self.reason}
        if not self.imported or self.limit is not None:
            data["limit"] = self.limit.value if self.limit else None
        if not self.imported or self.started_at is not None:
            data["startedAt"] = self.started_at
        data.update(durationSeconds=self.duration_seconds, steps=list(self.steps),
                    decisiveStep=self.decisive_step)
        if self.provenance:
            data["provenance"] = self.provenance.to_json()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CheckResult:
        limit, provenance = data.get("limit"), data.get("provenance")
        return cls(
            data["id"], data["title"], Role(data["role"]), Status(data["status"]),
            data["reason"], Conformance(limit) if limit else None, data.get("startedAt"),
            data.get("durationSeconds"), tuple(data.get("steps") or ()),
            data.get("decisiveStep"), Provenance.from_json(provenance) if provenance else None)


@dataclass(frozen=True)
class ProcedureRef:
    """The procedure definition a collected result ran, pinned by its digest."""

    path: str  # inside the tool's procedure library, e.g. ``1.34/dra_support/default.yaml``
    sha256: str
    title: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _present({"path": self.path, "sha256": self.sha256}, title=self.title)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProcedureRef:
        return cls(data["path"], data["sha256"], data.get("title"))


@dataclass(frozen=True)
class Declaration:
    """A human's word instead of collected evidence (platform.yaml ``status`` + ``reason``)."""

    status: Conformance  # N/A or Not Implemented
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"status": self.status.value, "reason": self.reason}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Declaration:
        return cls(Conformance(data["status"]), data["reason"])


@dataclass(frozen=True)
class RequirementResult:
    """One node of the result tree: ``evidence/vX.Y/<requirement>/result.json``."""

    requirement: str
    kubernetes_version: str  # vX.Y
    source: Source
    status: Status
    conformance: Conformance | None  # what PRODUCT.yaml claims; None claims nothing
    reason: str
    checks: tuple[CheckResult, ...] = ()
    variant: str | None = None
    procedure: ProcedureRef | None = None
    declaration: Declaration | None = None
    started_at: str | None = None
    finished_at: str | None = None
    example: bool = False  # the shipped example bundle: never real evidence

    def to_json(self) -> dict[str, Any]:
        """Collected results always carry their run's times, others only when set."""
        data: dict[str, Any] = {
            "schemaVersion": SCHEMA_VERSION, "requirement": self.requirement,
            "kubernetesVersion": self.kubernetes_version, "source": self.source.value,
            "variant": self.variant,
            "procedure": self.procedure.to_json() if self.procedure else None,
            "status": self.status.value,
            "conformance": self.conformance.value if self.conformance else None,
            "reason": self.reason,
            "declaration": self.declaration.to_json() if self.declaration else None}
        timed = self.source is Source.COLLECTED
        for key, value in (("startedAt", self.started_at), ("finishedAt", self.finished_at)):
            if timed or value is not None:
                data[key] = value
        data["checks"] = [c.to_json() for c in self.checks]
        if self.example:
            data["example"] = True
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RequirementResult:
        """A schema-checked ``result.json`` (see :func:`generator.evidence.tree.read_json`)."""
        procedure, declaration = data.get("procedure"), data.get("declaration")
        conformance = data.get("conformance")
        return cls(
            data["requirement"], data["kubernetesVersion"], Source(data["source"]),
            Status(data["status"]), Conformance(conformance) if conformance else None,
            data["reason"], tuple(CheckResult.from_json(c) for c in data["checks"]),
            data.get("variant"), ProcedureRef.from_json(procedure) if procedure else None,
            Declaration.from_json(declaration) if declaration else None,
            data.get("startedAt"), data.get("finishedAt"), bool(data.get("example", False)))


class Outcome(StrEnum):
    """How one attempt of a step ended, in the transcript."""

    PASSED = "passed"
    FAILED = "failed"
    RETRY = "retry"  # failed, and polled again
    INFO = "info"  # a diagnostic, captured after a failed attempt


@dataclass(frozen=True)
class Stream:
    """One captured output of a command: the full redacted file, and its head and tail."""

    path: str  # relative to the requirement folder
    bytes: int
    sha256: str
    head: str
    tail: str  # empty unless truncated
    truncated: bool  # head and tail do not hold the whole output

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "bytes": self.bytes, "sha256": self.sha256,
                "head": self.head, "tail": self.tail, "truncated": self.truncated}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Stream:
        return cls(data["path"], data["bytes"], data["sha256"], data["head"], data["tail"],
                   data["truncated"])


@dataclass(frozen=True)
class TranscriptEntry:
    """One line of ``transcript.jsonl``: one attempt of one command, as it ran."""

    seq: int
    check: str
    step: str
    attempt: int
    command: tuple[str, ...]  # argv after redaction, without the collector's local flags
    display: str  # the command as a shell line a reviewer can copy
    stdin: str | None  # the manifest piped in, if any
    started_at: str
    duration_seconds: float
    exit_code: int | None  # None: could not start, or was killed
    stdout: Stream
    stderr: Stream
    expectation: str | None  # what was expected, in words
    outcome: Outcome | None = None  # None until the attempt is judged
    message: str | None = None
    timed_out: bool | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "seq": self.seq, "check": self.check, "step": self.step, "attempt": self.attempt,
            "command": list(self.command), "display": self.display, "stdin": self.stdin,
            "startedAt": self.started_at, "durationSeconds": self.duration_seconds,
            "exitCode": self.exit_code}
        if self.timed_out is not None:
            data["timedOut"] = self.timed_out
        data.update(stdout=self.stdout.to_json(), stderr=self.stderr.to_json(),
                    expectation=self.expectation,
                    outcome=self.outcome.value if self.outcome else None, message=self.message)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TranscriptEntry:
        return cls(
            data["seq"], data["check"], data["step"], data["attempt"], tuple(data["command"]),
            data["display"], data.get("stdin"), data["startedAt"], data["durationSeconds"],
            data["exitCode"], Stream.from_json(data["stdout"]), Stream.from_json(data["stderr"]),
            data.get("expectation"), Outcome(data["outcome"]), data.get("message"),
            data.get("timedOut"))
