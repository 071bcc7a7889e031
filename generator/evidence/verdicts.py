"""The verdict words: what a check or requirement concluded (:class:`Status`) and what a
PRODUCT.yaml entry claims (:class:`Conformance`), with the one table of how each is displayed.

Kept apart from :mod:`generator.evidence.model` so that a review, which needs only the words,
does not pay for building the result types at start-up.
"""

from __future__ import annotations

from enum import StrEnum


class Conformance(StrEnum):
    """What a PRODUCT.yaml entry claims, in CNCF's words (in the order CNCF's validator lists
    them)."""

    IMPLEMENTED = "Implemented"
    NOT_IMPLEMENTED = "Not Implemented"
    PARTIALLY_IMPLEMENTED = "Partially Implemented"
    NOT_APPLICABLE = "N/A"

    @property
    def symbol(self) -> str:
        return _CONFORMANCE_DISPLAY[self][0]

    @property
    def slug(self) -> str:
        """A CSS class name for the word."""
        return _CONFORMANCE_DISPLAY[self][1]


class Status(StrEnum):
    """A verdict: of a requirement (passed ... declared) or of one check (passed, failed,
    skipped, unknown). ``missing`` is a view's word for a requirement nothing was collected
    or declared for; it is never written."""

    PASSED = "passed"
    PARTIAL = "partial"
    FAILED = "failed"
    UNKNOWN = "unknown"
    DECLARED = "declared"
    SKIPPED = "skipped"
    MISSING = "missing"

    @property
    def conformance(self) -> Conformance | None:
        """What PRODUCT.yaml claims for this verdict; a declaration supplies its own word."""
        return _CLAIMS.get(self)

    @property
    def symbol(self) -> str:
        return _DISPLAY[self][0]

    @property
    def label(self) -> str:
        return _DISPLAY[self][1]

    @property
    def colour(self) -> str:
        """Its colour on a terminal (rich style); never the only signal."""
        return _DISPLAY[self][2]

    def display(self, declared: str | None = None) -> tuple[str, str]:
        """Symbol and label; a declaration is shown with the word the human declared."""
        if self is Status.DECLARED and declared:
            return self.symbol, f"{declared} (declared)"
        return self.symbol, self.label


_CLAIMS = {
    Status.PASSED: Conformance.IMPLEMENTED,
    Status.PARTIAL: Conformance.PARTIALLY_IMPLEMENTED,
    Status.FAILED: Conformance.NOT_IMPLEMENTED,
}
_DISPLAY = {  # symbol, label, terminal colour
    Status.PASSED: ("✔", Conformance.IMPLEMENTED.value, "green"),
    Status.PARTIAL: ("◐", Conformance.PARTIALLY_IMPLEMENTED.value, "yellow"),
    Status.FAILED: ("✘", Conformance.NOT_IMPLEMENTED.value, "red"),
    Status.UNKNOWN: ("?", "Unknown: nothing claimed", "magenta"),
    Status.DECLARED: ("⊘", "Declared", "cyan"),
    Status.SKIPPED: ("\u2013", "Skipped", "dim"),
    Status.MISSING: ("\u2013", "Not collected yet", "dim"),
}
_CONFORMANCE_DISPLAY = {  # symbol (the status it stands for), CSS class
    Conformance.IMPLEMENTED: (_DISPLAY[Status.PASSED][0], "implemented"),
    Conformance.PARTIALLY_IMPLEMENTED: (_DISPLAY[Status.PARTIAL][0], "partial"),
    Conformance.NOT_IMPLEMENTED: (_DISPLAY[Status.FAILED][0], "not-implemented"),
    Conformance.NOT_APPLICABLE: (_DISPLAY[Status.DECLARED][0], "na"),
}
