"""Where the tool writes: only over what it made itself, never over an input.

``build --out`` and ``review --site`` replace folders inside OUT; OUT must be new, empty, or
carry the marker file written when the tool first used it (a folder of an earlier version
holding only what the tool writes is claimed too).  A single output file (``--junit``,
``--record``) may not be an input of the workspace, a link, or an existing file the tool did
not write.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from generator.errors import InputError

MARKER = ".k8s-ai-evidence-output"
_MARKER_TEXT = "Written by k8s-ai-evidence: its build and review commands replace this folder.\n"
# a workspace's inputs, relative to its root
WORKSPACE_INPUTS = ("platform.yaml", "mkdocs.yml", "evidence", "site-templates")


def claim_dir(out_dir: Path, ours: Iterable[str], option: str) -> None:
    """Make sure ``out_dir`` is the tool's to replace; mark it as such."""
    marker = out_dir / MARKER
    if out_dir.is_symlink():
        raise InputError(f"{option} {out_dir}: is a symbolic link; give a real folder")
    if out_dir.is_dir() and not marker.is_file():
        foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in {*ours, MARKER})
        if foreign:
            raise InputError(f"{option} {out_dir}: not a folder k8s-ai-evidence made (it holds "
                             f"{', '.join(foreign[:3])}{', ...' if len(foreign) > 3 else ''}); "
                             "give a new or empty folder")
    for name in ours:  # a link among them would have the build write (and delete) elsewhere
        if (out_dir / name).is_symlink():
            raise InputError(f"{option} {out_dir / name}: is a symbolic link; remove it")
    out_dir.mkdir(parents=True, exist_ok=True)
    if not marker.is_file():
        marker.write_text(_MARKER_TEXT, encoding="utf-8")


def check_not_input(path: Path, option: str, workspace_root: Path) -> None:
    """Refuse ``path`` if it is, or lies inside, one of the workspace's inputs."""
    target = Path(os.path.abspath(path))
    root = Path(os.path.abspath(workspace_root))
    for name in WORKSPACE_INPUTS:
        if target == root / name or (root / name) in target.parents:
            raise InputError(f"{option} {path}: is the workspace's input {name}; "
                             "write elsewhere")


def check_output_file(path: Path, option: str, workspace_root: Path,
                      ours: bytes) -> None:
    """Refuse to write ``path`` over a workspace input, through a link, or over a file that
    does not start like the tool's own (``ours`` is found in its first 4 KiB)."""
    check_not_input(path, option, workspace_root)
    if path.is_symlink():
        raise InputError(f"{option} {path}: is a symbolic link; give a plain file name")
    if path.exists():
        if not path.is_file():
            raise InputError(f"{option} {path}: exists and is not a regular file")
        with path.open("rb") as handle:
            if ours not in handle.read(4096):
                raise InputError(f"{option} {path}: exists and was not written by "
                                 "k8s-ai-evidence; remove it or choose another name")
