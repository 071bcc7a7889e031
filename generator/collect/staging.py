"""Stage a requirement's new evidence beside the old and swap only when it is complete.

An interrupted or crashed run leaves ``<id>/`` as it was: the new tree is built in
``.staging-<id>-<run>/`` and replaces the old one with two renames; the old one is parked as
``.old-<id>-<run>/`` in between, and a later run puts it back if a crash fell between them.
The vendor's ``notes.md`` and ``imported/`` are carried over, never regenerated.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.evidence.tree import IMPORTED_DIR, NOTES_FILE

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
