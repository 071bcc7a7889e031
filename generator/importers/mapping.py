"""Which requirement an imported test proves, and whether it is a positive or negative case.

Test names map through the ``tests`` patterns of the catalog (data, not code); a name that
says a thing must *not* happen is a negative case, as in the working group's test plans.
"""

from __future__ import annotations

import hashlib
import re

from generator.catalog import catalog
from generator.evidence.model import Role
from generator.importers.formats import TestCase

_NEGATIVE = re.compile(
    r"can ?not|cannot|must not|should not|shouldn'?t|don'?t request|without (a )?request"
    r"|not enough|insufficient|unsatisfiable|denied|reject|refuse|no partial"
    r"|negative", re.I)  # the upstream suite's subtests say so: NegativeIsolationTest


def requirement_for(name: str) -> str | None:
    for entry in catalog().values():
        if entry.maps_test(name):
            return entry.id
    return None


def role_of(name: str) -> Role:
    """go test subtests spell spaces as underscores: ``pod_without_request_sees_no_device``."""
    return Role.NEGATIVE if _NEGATIVE.search(name.replace("_", " ")) else Role.POSITIVE


def runner_of(fmt: str, case: TestCase) -> str:
    if fmt == "junit":
        return "ginkgo" if case.name.startswith("[") else "gotestsum"
    return "go test"


def check_id(name: str) -> str:
    """A stable, readable id: a slug of the test name plus a short digest against clashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"\[[^\]]*\]", "", name.lower())).strip("-")
    digest = hashlib.sha256(name.encode()).hexdigest()[:6]
    return f"import-{slug[:60].rstrip('-')}-{digest}"
