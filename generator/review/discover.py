"""Find submissions (``vX.Y/<dir>/PRODUCT.yaml``) and the checkout of cncf/k8s-ai-conformance
they belong to, because CI reads the checklist from that checkout's own ``docs/``."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from generator.errors import InputError
from generator.layout import PRODUCT_FILE, is_conformance_checkout

_VERSION_DIR = re.compile(r"v\d+\.\d+")


@dataclass(frozen=True)
class Target:
    path: Path  # the PRODUCT.yaml
    root: Path | None  # the checkout holding it (has docs/AIConformance-*.yaml), if any

    @property
    def ci_path(self) -> str:
        """The path as CI is given it: relative to the checkout root."""
        if self.root is not None:
            return self.path.relative_to(self.root).as_posix()
        return self.path.as_posix()


def checkout_root(product: Path, known: dict[Path, bool] | None = None) -> Path | None:
    """``ROOT`` for ``ROOT/vX.Y/<dir>/PRODUCT.yaml`` when ROOT has the checklists; ``known``
    remembers the answer per ROOT over one discovery."""
    candidate = product.parent.parent.parent
    if not _VERSION_DIR.fullmatch(product.parent.parent.name):
        return None
    known = {} if known is None else known
    if candidate not in known:
        known[candidate] = is_conformance_checkout(candidate)
    return candidate if known[candidate] else None


def _walk(folder: Path) -> list[Path]:
    """Every PRODUCT.yaml below ``folder``, not descending into hidden folders such as .git."""
    found = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        if PRODUCT_FILE in files:
            found.append(Path(current) / PRODUCT_FILE)
    return found


def discover(paths: list[Path]) -> list[Target]:
    """Each PATH is a PRODUCT.yaml (any name) or a folder searched for vX.Y/*/PRODUCT.yaml."""
    targets: list[Target] = []
    roots: dict[Path, bool] = {}
    for given in paths:
        path = Path(os.path.abspath(given))  # normalised, symlinks kept as given
        if path.is_dir():
            found = sorted(p for p in _walk(path)
                           if _VERSION_DIR.fullmatch(p.parent.parent.name))
            if not found:
                raise InputError(f"{given}: no vX.Y/<dir>/{PRODUCT_FILE} found under this folder")
            targets.extend(Target(p, checkout_root(p, roots)) for p in found)
        elif path.exists() or path.is_symlink():
            targets.append(Target(path, checkout_root(path, roots)))
        else:
            raise InputError(f"{given}: no such file or folder")
    return list(dict.fromkeys(targets))
