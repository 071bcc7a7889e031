"""The verdict of one attempt of a step, as expectations and builtins return it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    ok: bool
    message: str
    limit: str | None = None  # "Partially Implemented" caps the requirement though ok is True
