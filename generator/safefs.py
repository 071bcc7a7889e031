"""Reading files for publishing: only regular files inside the folder they belong to.

Evidence is published (site, PRODUCT.yaml folder, pages branch): a symbolic link inside the
evidence tree (``notes.md -> /etc/shadow``) would publish its target, and a FIFO would hang
the build.  Every reader of files it publishes goes through :func:`walk` or :func:`read_bytes`,
which refuse any link (file or folder) and anything but a regular file, naming it.
Not covered: hard links (the site build itself hard-links evidence files), which need write
access to the target's file system and cannot point across file systems.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.errors import InputError


class UnsafeFile(InputError):
    """A link or special file where evidence is read: exit 2, the message names it."""


def problem(path: Path) -> str | None:
    """Why ``path`` may not be read for publishing, or None (also for a missing path)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(mode):
        return f"is a symbolic link (to {os.readlink(path)}); links are never published"
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "is not a regular file (a FIFO, socket or device); it is never read"
    return None


def check(path: Path, root: Path) -> None:
    """Raise :class:`UnsafeFile` if ``path`` or a folder between ``root`` and it is unsafe."""
    try:
        relative = Path(os.path.abspath(path)).relative_to(os.path.abspath(root))
    except ValueError:
        raise UnsafeFile(f"{path}: outside {root}; nothing outside it is published") from None
    current = Path(root)
    for part in ("", *relative.parts):
        current = current / part if part else current
        if reason := problem(current):
            raise UnsafeFile(f"{current}: {reason}")


def walk(folder: Path, root: Path | None = None) -> list[Path]:
    """Every regular file under ``folder``, sorted; any link or special file refuses all."""
    check(folder, root or folder)
    files = []
    for directory, subdirs, names in os.walk(folder):
        subdirs.sort()
        for name in [*subdirs, *names]:
            path = Path(directory) / name
            if reason := problem(path):
                raise UnsafeFile(f"{path}: {reason}")
        files += [Path(directory) / name for name in sorted(names)]
    return sorted(files)


def unsafe(folder: Path) -> list[tuple[Path, str]]:
    """Every link and special file under ``folder`` (for validate, which lists them all)."""
    found = []
    if reason := problem(folder):
        return [(folder, reason)]
    for directory, subdirs, names in os.walk(folder):
        for name in [*subdirs, *names]:
            path = Path(directory) / name
            if reason := problem(path):
                found.append((path, reason))
    return sorted(found)


def read_bytes(path: Path, root: Path) -> bytes:
    """The bytes of a regular file inside ``root`` (no link on the way, opened without
    following one, so a swap between check and open is refused too)."""
    check(path, root)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise UnsafeFile(f"{path}: cannot read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise UnsafeFile(f"{path}: is not a regular file; it is never read")
        return handle.read()


def read_text(path: Path, root: Path) -> str:
    return read_bytes(path, root).decode("utf-8", errors="replace")
