"""What the submission adds to the fork: the files, their diff against HEAD, and writing them
into the working tree (or taking them out again)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import git

from generator import safefs
from generator.fsutil import atomic_write_bytes


@dataclass(frozen=True)
class Change:
    folder: str  # vX.Y/<dir>, relative to the checkout root
    files: dict[str, bytes]  # path relative to the root -> new content
    removed: tuple[str, ...]  # tracked files of the folder at HEAD that build no longer makes

    @property
    def paths(self) -> list[str]:
        return sorted([*self.files, *self.removed])


def _tracked(repo: git.Repo, folder: str) -> dict[str, bytes]:
    try:
        tree = repo.head.commit.tree / folder
    except KeyError:
        return {}
    if not isinstance(tree, git.Tree):
        return {}
    return {str(blob.path): blob.data_stream.read() for blob in tree.traverse()
            if isinstance(blob, git.Blob)}


def plan_change(repo: git.Repo, source: Path, folder: str) -> Change:
    """Everything under ``source`` (build's submission folder) goes to ``folder``."""
    files = {f"{folder}/{p.relative_to(source).as_posix()}": safefs.read_bytes(p, source)
             for p in safefs.walk(source)}
    removed = tuple(sorted(set(_tracked(repo, folder)) - set(files)))
    return Change(folder, files, removed)


def diff(repo: git.Repo, change: Change) -> str:
    """A unified diff of the change against HEAD, as ``git diff`` would show it."""
    before = _tracked(repo, change.folder)
    out: list[str] = []
    for path in change.paths:
        old, new = before.get(path), change.files.get(path)
        if old == new:
            continue
        if b"\0" in (old or b"") + (new or b""):
            out.append(f"Binary file {path} {'added' if old is None else 'changed'}\n")
            continue
        out += difflib.unified_diff(
            (old or b"").decode("utf-8", "replace").splitlines(keepends=True),
            (new or b"").decode("utf-8", "replace").splitlines(keepends=True),
            "/dev/null" if old is None else f"a/{path}",
            "/dev/null" if new is None else f"b/{path}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def write(root: Path, change: Change) -> None:
    for path, data in change.files.items():
        atomic_write_bytes(root / path, data)
    for path in change.removed:
        (root / path).unlink(missing_ok=True)


def undo(repo: git.Repo, change: Change) -> None:
    """Put the folder back as HEAD has it (the tree was clean before we wrote)."""
    repo.git.clean("-fdq", "--", change.folder)
    if _tracked(repo, change.folder):
        repo.git.checkout("HEAD", "--", change.folder)
