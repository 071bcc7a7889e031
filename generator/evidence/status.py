"""How check verdicts add up to a requirement status (written down here, tested, documented).

1. Only ``setup``, ``positive`` and ``negative`` checks decide; ``diagnostic`` and ``cleanup``
   checks are recorded and shown but never change the verdict.
2. Any deciding check ``failed``  -> requirement ``failed``  (Not Implemented).
3. No positive or negative check ``passed`` (none ran, all skipped or unknown, or only setup
   passed) -> ``unknown``: an empty set of checks is never a pass, a namespace that could be
   created proves nothing, and nothing is claimed in PRODUCT.yaml.
4. Otherwise, a skipped or unknown negative case, a positive case that did not pass, or a
   passed check carrying ``limit: Partially Implemented`` -> ``partial``.
5. Otherwise ``passed`` (Implemented).
A human declaration (platform.yaml ``status`` with a ``reason``) replaces all of this with
``declared`` and the declared status.

A check whose probe could not run (exit 126/127, "command not found", "executable file not
found": ``generator/procedures/expect.py``) is ``failed``, whatever it expected: as ``unknown``
a missing probe in a negative case would still let the positives claim Partially Implemented
(rule 4) on no evidence; ``failed`` claims nothing and its reason names the broken probe.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.evidence.model import CheckResult, Role
from generator.evidence.verdicts import Status

DECIDING_ROLES = frozenset({Role.SETUP, Role.POSITIVE, Role.NEGATIVE})


def aggregate(checks: Iterable[CheckResult]) -> tuple[Status, str]:
    """Return ``(status, reason)`` for a requirement from its checks' verdicts."""
    deciding = [c for c in checks if c.role in DECIDING_ROLES]
    failed = [c for c in deciding if c.status is Status.FAILED]
    if failed:
        return Status.FAILED, "failed: " + ", ".join(c.id for c in failed)
    passed = [c for c in deciding if c.status is Status.PASSED]
    if not any(c.role is not Role.SETUP for c in passed):
        return Status.UNKNOWN, "no check that decides this requirement has passed or failed"
    shortfalls = [c.id for c in deciding
                  if c.status is not Status.PASSED and c.role in (Role.NEGATIVE, Role.POSITIVE)]
    limited = [c.id for c in passed if c.limit]
    if shortfalls or limited:
        parts = []
        if shortfalls:
            parts.append("not run: " + ", ".join(shortfalls))
        if limited:
            parts.append("limited: " + ", ".join(limited))
        return Status.PARTIAL, "; ".join(parts)
    # setup checks only prepare: the count says what proved the requirement, and a reader
    # sees at once when no negative case was run
    positive, negative = (sum(c.role is role for c in passed)
                          for role in (Role.POSITIVE, Role.NEGATIVE))
    return Status.PASSED, f"all {positive} positive and {negative} negative checks passed"
