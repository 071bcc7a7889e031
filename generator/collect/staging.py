"""Stage a run's new evidence beside the old and swap it in only when the whole run is done.

An interrupted or crashed run leaves the tree as it was: each requirement's new tree is built
in ``.staging-<id>-<run>/``; when every requirement of the run is complete, each replaces the
old one with two renames and ``run.json`` is written last, so the tree always matches one run
record. The old tree is parked as ``.old-<id>-<run>/`` in between, and a later run puts it back
if a crash fell between the renames. The vendor's ``notes.md`` and ``imported/`` are carried
over, never regenerated. One collection at a time holds a workspace (:class:`WorkspaceLock`).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import socket
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from generator.errors import EnvironmentProblem
from generator.evidence.model import RunRecord
from generator.evidence.tree import IMPORTED_DIR, NOTES_FILE
from generator.evidence.writer import write_run

CARRIED_OVER = (NOTES_FILE, IMPORTED_DIR)


def recover(evidence_dir: Path) -> None:
    """Undo what an interrupted run left: restore parked trees, drop unfinished staging."""
    if not evidence_dir.is_dir():
        return
    for parked in sorted(evidence_dir.glob(".old-*")):
        requirement = parked.name[len(".old-"):].rsplit("-", 1)[0]
        if not (evidence_dir / requirement).exists():
            os.replace(parked, evidence_dir / requirement)
        else:
            shutil.rmtree(parked, ignore_errors=True)
    for staging in evidence_dir.glob(".staging-*"):
        shutil.rmtree(staging, ignore_errors=True)


class Staging:
    def __init__(self, evidence_dir: Path, requirement: str, run_id: str) -> None:
        self.target = evidence_dir / requirement
        self.folder = evidence_dir / f".staging-{requirement}-{run_id}"
        self._parked = evidence_dir / f".old-{requirement}-{run_id}"
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)

    def commit(self) -> None:
        """Carry over the vendor's files (a link as a link, never its target: build and
        validate refuse it), then swap the new tree in."""
        if self.target.is_dir():
            for name in CARRIED_OVER:
                source = self.target / name
                if source.is_dir() and not source.is_symlink():
                    shutil.copytree(source, self.folder / name, symlinks=True,
                                    dirs_exist_ok=True)
                elif source.is_file() or source.is_symlink():
                    shutil.copy2(source, self.folder / name, follow_symlinks=False)
            os.replace(self.target, self._parked)
        os.replace(self.folder, self.target)
        shutil.rmtree(self._parked, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def commit_all(staged: Iterable[Staging], evidence_dir: Path, run: RunRecord) -> None:
    """Swap every staged requirement in, then write the run record that describes them."""
    for staging in staged:
        staging.commit()
    write_run(evidence_dir, run)


class WorkspaceLock:
    """Held for a whole collection: a second one on the same evidence folder would delete the
    first's staging. The lock file lives outside the workspace and the kernel releases it
    when the holder dies, so a crash never leaves a stale lock."""

    def __init__(self, evidence_dir: Path) -> None:
        key = hashlib.sha256(str(evidence_dir.resolve()).encode()).hexdigest()[:16]
        self.evidence_dir = evidence_dir
        self.path = Path(tempfile.gettempdir()) / f"k8s-ai-evidence-{key}.lock"
        self._handle: Any = None

    def __enter__(self) -> WorkspaceLock:
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise EnvironmentProblem(f"{self.evidence_dir}: another collection is running on "
                                     f"this workspace ({holder}); wait for it to finish"
                                     ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()} since "
                     f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}")
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._handle.truncate(0)
        fcntl.flock(self._handle, fcntl.LOCK_UN)
        self._handle.close()
