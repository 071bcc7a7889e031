"""The verdict of one attempt of a step, as expectations and builtins return it."""

from __future__ import annotations

from dataclasses import dataclass

from generator.evidence.verdicts import Conformance


@dataclass(frozen=True)
class Verdict:
    ok: bool
    message: str
    limit: Conformance | None = None  # caps the requirement (Partially Implemented) though ok
