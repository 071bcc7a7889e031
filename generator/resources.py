"""Where the project's own data folders are, in a checkout or in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """``schemas``, ``site-templates`` or ``mkdocs.yml``: packed into the wheel, or beside the
    package."""
    packed = _PACKAGE / "_data" / name
    return packed if packed.exists() else _PACKAGE.parent / name
