"""Recorded sessions: every kubectl exchange of a run, replayable with no cluster.

A session is YAML (``schemas/session.schema.json``) so people can read and hand-edit it::

    schemaVersion: 1
    kubernetesVersion: v1.35
    probe: {...}                 # the environment for run.json (replay has no cluster)
    exchanges:
      - scope: dra_support       # requirement id, or "preflight"
        argv: [kubectl, get, pods, -n, aic-dra-support-<run-id>]
        exitCode: 0
        durationSeconds: 0.31
        stdout: |
          NAME           READY   STATUS    RESTARTS   AGE
          dra-consumer   1/1     Running   0          9s
        stderr: ''

Normalization makes a replay match although names differ between runs: the run id becomes
``<run-id>`` in commands and outputs (and is put back with the replaying run's id), and names
Kubernetes generates (``generateName``: five characters from its alphabet) become ``<gen>``
in commands.  Exchanges with the same scope and normalized command replay in recorded order;
asked once more than recorded (a poll that runs longer), the last one answers again.

A replay may read several files (or a folder of them, e.g. one per requirement):
:meth:`Session.load_all` joins their exchanges in file order; one of them holds the probe.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from generator.collect.kubectl import Execution, Request, Runner, captures
from generator.collect.redact import Redactor
from generator.errors import InputError
from generator.fsutil import atomic_write_text
from generator.schemas import validate_document
from generator.yamldoc import load_yaml

RUN_ID_TOKEN = "<run-id>"
GENERATED_TOKEN = "<gen>"
SESSION_MAX_BYTES = 512 * 1024 * 1024
_BUILTIN_REDACTOR = Redactor.from_workspace()
_GENERATED = re.compile(r"(?<=[a-z0-9])-[bcdfghjklmnpqrstvwxz2456789]{5}(?![A-Za-z0-9])")


def normalize_argv(argv: list[str], run_id: str, redactor: Redactor | None = None
                   ) -> list[str]:
    """The command as a session keeps it: redacted, run id and generated names as tokens."""
    words = (redactor or _BUILTIN_REDACTOR).argv(argv)
    return [_GENERATED.sub(f"-{GENERATED_TOKEN}", word.replace(run_id, RUN_ID_TOKEN))
            for word in words]


@dataclass
class Session:
    kubernetes_version: str
    probe: dict[str, Any] = field(default_factory=dict)
    exchanges: list[dict[str, Any]] = field(default_factory=list)
    source: str = "(recording)"

    @classmethod
    def load(cls, path: Path) -> Session:
        doc = load_yaml(path, max_bytes=SESSION_MAX_BYTES)
        validate_document(doc, "session")
        data = doc.data
        return cls(data["kubernetesVersion"], data.get("probe") or {}, data["exchanges"],
                   str(path))

    @classmethod
    def load_all(cls, paths: Sequence[Path]) -> Session:
        """Files, or folders of ``*.yaml`` (sorted by name), joined into one session."""
        files = [f for path in paths
                 for f in (sorted(path.glob("*.yaml")) if path.is_dir() else [path])]
        if not files:
            raise InputError(f"--replay {', '.join(map(str, paths))}: no session file (*.yaml)")
        sessions = [cls.load(f) for f in files]
        joined = cls(sessions[0].kubernetes_version,
                     source=", ".join(str(p) for p in paths))
        for session in sessions:
            if session.kubernetes_version != joined.kubernetes_version:
                raise InputError(f"{session.source}: recorded for {session.kubernetes_version}, "
                                 f"but {sessions[0].source} for {joined.kubernetes_version}")
            if session.probe and joined.probe:
                raise InputError(f"{session.source}: a second probe block (only one file of a "
                                 "replay may hold the probe)")
            joined.probe = joined.probe or session.probe
            joined.exchanges += session.exchanges
        return joined

    def save(self, path: Path) -> None:
        data = {"schemaVersion": 1, "kubernetesVersion": self.kubernetes_version,
                "recordedAt": datetime.now(UTC).isoformat(timespec="seconds"),
                "probe": self.probe, "exchanges": self.exchanges}
        atomic_write_text(path, yaml.dump(data, Dumper=_BlockDumper, sort_keys=False,
                                          allow_unicode=True, width=1000))


class _BlockDumper(yaml.SafeDumper):
    """Multi-line outputs as ``|`` blocks, so a session reads like the terminal did."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


class RecordingRunner:
    """Runs through ``inner`` and appends each exchange (already redacted) to ``session``."""

    def __init__(self, inner: Runner, session: Session, run_id: str,
                 redactor: Redactor | None = None) -> None:
        self.inner, self.session, self.run_id = inner, session, run_id
        self.redactor = redactor or _BUILTIN_REDACTOR
        self._lock = threading.Lock()

    def run(self, request: Request) -> Execution:
        execution = self.inner.run(request)
        def text(relative: str) -> str:
            return _read(request.folder / relative).replace(self.run_id, RUN_ID_TOKEN)
        exchange = {"scope": request.scope,
                    "argv": normalize_argv(request.argv, self.run_id, self.redactor),
                    "exitCode": execution.exit_code,
                    "durationSeconds": round(execution.duration, 3),
                    "timedOut": execution.timed_out,
                    "stdout": text(request.stdout), "stderr": text(request.stderr)}
        with self._lock:
            self.session.exchanges.append(exchange)
        return execution

    def cancel(self) -> None:
        self.inner.cancel()


class ReplayRunner:
    """Answers from a session; ``honour_durations`` sleeps the recorded time (benchmarks)."""

    def __init__(self, session: Session, run_id: str, redactor: Redactor,
                 honour_durations: bool = False) -> None:
        self.session, self.run_id, self.redactor = session, run_id, redactor
        self.honour_durations = honour_durations
        self._queues: dict[tuple[str, tuple[str, ...]], deque[dict[str, Any]]] = {}
        self._last: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
        self._lock = threading.Lock()
        for exchange in session.exchanges:  # a hand-written session is matched redacted too
            key = (exchange["scope"], tuple(redactor.argv(exchange["argv"])))
            self._queues.setdefault(key, deque()).append(exchange)

    def _next(self, request: Request) -> dict[str, Any] | None:
        key = (request.scope, tuple(normalize_argv(request.argv, self.run_id, self.redactor)))
        with self._lock:
            queue = self._queues.get(key)
            if queue:
                self._last[key] = queue.popleft()
            return self._last.get(key)

    def run(self, request: Request) -> Execution:
        exchange = self._next(request)
        out, err = captures(request, self.redactor)
        started = datetime.now(UTC)
        if exchange is None:  # the run record names the session; its path here is the
            # collector's and never goes into evidence
            return Execution(request.argv, started, 0.0, None, False, out.close(), err.close(),
                             error="replay: the session has no recorded output for "
                                   f"{' '.join(request.argv)} ({request.scope})")
        if self.honour_durations:
            time.sleep(exchange.get("durationSeconds", 0))
        for capture, name in ((out, "stdout"), (err, "stderr")):
            text = (exchange.get(name) or "").replace(RUN_ID_TOKEN, self.run_id)
            capture.feed_lines(text.splitlines(keepends=True))
        return Execution(request.argv, started, float(exchange.get("durationSeconds", 0)),
                         exchange.get("exitCode"), bool(exchange.get("timedOut", False)),
                         out.close(), err.close())

    def cancel(self) -> None:
        """Nothing runs in the background during a replay."""


def check_session_version(session: Session, workspace_tag: str) -> None:
    if session.kubernetes_version != workspace_tag:
        raise InputError(f"{session.source}: recorded for {session.kubernetes_version}, but the "
                         f"workspace is {workspace_tag}")
