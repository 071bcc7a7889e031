"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import BinaryIO

_PLAIN_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def plain_segments(path: str) -> tuple[str, ...] | None:
    """The folder names of a relative path made only of plain names (no ``..``, no ``~``,
    nothing hidden), or None: such a path can never leave the folder it is joined to."""
    if "\\" in path:
        return None
    parts = PurePosixPath(path.strip("/")).parts
    return parts if parts and all(_PLAIN_SEGMENT.fullmatch(p) for p in parts) else None

# what a plain open() would give (0644 under the usual umask 022): files are published and
# committed, while mkstemp alone would leave them readable by their owner only (0600)
_UMASK = os.umask(0o022)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK


def _atomic(path: Path, fill: Callable[[BinaryIO], object]) -> None:
    """Write through a temporary file beside ``path``, synced, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    _atomic(path, lambda handle: handle.write(data))


def atomic_copy(source: Path, target: Path) -> None:
    """Copy a file of any size through a temporary file beside ``target``."""
    with source.open("rb") as handle:
        _atomic(target, lambda out: shutil.copyfileobj(handle, out, 1 << 20))


def sha256_file(path: Path) -> str:
    """A file's sha256, read in blocks (imported reports and outputs can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def replace_dir(new: Path, target: Path) -> None:
    """Swap a fully written folder in for ``target``: readers see the old one or the new one."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
