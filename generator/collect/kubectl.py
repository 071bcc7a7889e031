"""The kubectl boundary: every command the engine runs goes through a Runner.

LiveRunner executes kubectl; session.RecordingRunner and session.ReplayRunner record and
replay at this same boundary, so tests and replays exercise everything but the cluster.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from generator.collect.redact import Redactor
from generator.collect.stream import StreamCapture
from generator.evidence.model import Stream


@dataclass(frozen=True)
class Request:
    scope: str  # requirement id, or "preflight"
    argv: list[str]  # as the procedure wrote it: starts with "kubectl", no global flags
    stdin: bytes | None
    timeout: float
    folder: Path  # where output/ files go
    stdout: str  # paths relative to folder
    stderr: str
    cwd: Path | None = None  # where the command runs (the upstream suite's checkout)


@dataclass(frozen=True)
class Execution:
    argv: list[str]  # as actually run (global flags included)
    started_at: datetime
    duration: float
    exit_code: int | None
    timed_out: bool
    stdout: Stream
    stderr: Stream
    error: str | None = None  # could not start, or nothing recorded to replay


class Runner(Protocol):
    def run(self, request: Request) -> Execution: ...

    def cancel(self) -> None:
        """Stop commands in flight (Ctrl-C); later calls still run (cleanup)."""


def captures(request: Request, redactor: Redactor) -> tuple[StreamCapture, StreamCapture]:
    return (StreamCapture(request.folder / request.stdout, request.stdout,
                          redactor.for_command(request.argv)),
            StreamCapture(request.folder / request.stderr, request.stderr, redactor))


class LiveRunner:
    """Runs ``kubectl`` (or, for the upstream suite, ``go``): ``argv[0]`` is replaced by the
    resolved binary, global flags go right after it."""

    def __init__(self, kubectl: str, redactor: Redactor, kubeconfig: str | None = None,
                 context: str | None = None) -> None:
        self.kubectl = kubectl
        self.redactor = redactor
        self.global_flags = [*(["--kubeconfig", kubeconfig] if kubeconfig else []),
                             *(["--context", context] if context else [])]
        self._live: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()

    def run(self, request: Request) -> Execution:
        argv = [self.kubectl, *self.global_flags, *request.argv[1:]]
        out, err = captures(request, self.redactor)
        started, start = datetime.now(UTC), time.monotonic()
        try:
            process = subprocess.Popen(
                argv, stdin=subprocess.PIPE if request.stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                cwd=request.cwd)
        except OSError as exc:
            return Execution(argv, started, 0.0, None, False, out.close(), err.close(),
                             error=f"cannot run {argv[0]}: {exc.strerror or exc}")
        with self._lock:
            self._live.add(process)
        threads = [threading.Thread(target=out.feed_binary, args=(process.stdout,)),
                   threading.Thread(target=err.feed_binary, args=(process.stderr,))]
        if request.stdin is not None:
            threads.append(threading.Thread(target=_feed_stdin, args=(process, request.stdin)))
        for thread in threads:
            thread.start()
        timed_out = False
        try:
            process.wait(request.timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill(process)
        finally:
            for thread in threads:
                thread.join()
            with self._lock:
                self._live.discard(process)
        code = None if timed_out or process.returncode < 0 else process.returncode
        streams = out.close(), err.close()
        return Execution(argv, started, time.monotonic() - start, code, timed_out, *streams,
                         error=out.error or err.error)

    def cancel(self) -> None:
        with self._lock:
            for process in list(self._live):
                _kill(process)


def _feed_stdin(process: subprocess.Popen[bytes], data: bytes) -> None:
    assert process.stdin is not None
    with contextlib.suppress(BrokenPipeError), process.stdin:
        process.stdin.write(data)


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
