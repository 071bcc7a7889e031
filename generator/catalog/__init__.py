"""The tool's own knowledge per requirement (data in ``requirements.yaml``), in our words.

The file ships with the tool: its schema (``catalog``) is checked by the tests, not on every
start, and its test-name patterns are compiled when an import first needs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.yamldoc import load_yaml

CATALOG_FILE = Path(__file__).with_name("requirements.yaml")


@dataclass(frozen=True)
class Conditional:
    applies_when: str
    ci_note: str


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    title: str
    proves: tuple[str, ...]
    solutions: tuple[str, ...]
    tests: tuple[str, ...]  # regular expressions over imported test names
    conditional: Conditional | None = None
    dra_related: bool = False
    upstream_test: str | None = None  # the upstream suite's Go test proving it (v1.37+)

    def maps_test(self, name: str) -> bool:
        """Whether an imported test of this name is evidence for this requirement."""
        return any(re.search(pattern, name) for pattern in self.tests)


@cache
def catalog() -> dict[str, CatalogEntry]:
    """Every requirement the tool knows, keyed by checklist id."""
    doc = load_yaml(CATALOG_FILE)
    entries = {}
    for rid, item in doc.data["requirements"].items():
        conditional = item.get("conditional")
        upstream = item.get("upstream_test")
        # the upstream test (and its subtests) maps to the requirement without a second pattern
        own = (rf"^{re.escape(upstream)}(/|$)",) if upstream else ()
        entries[rid] = CatalogEntry(
            id=rid,
            title=item["title"],
            proves=tuple(item["proves"]),
            solutions=tuple(item.get("solutions", ())),
            tests=(*own, *item.get("tests", ())),
            conditional=Conditional(**conditional) if conditional else None,
            dra_related=bool(item.get("dra_related", False)),
            upstream_test=upstream,
        )
    return entries


def entry(requirement_id: str) -> CatalogEntry | None:
    return catalog().get(requirement_id)


def upstream_tests() -> dict[str, str]:
    """Requirement id -> the upstream suite's test that covers it."""
    return {rid: e.upstream_test for rid, e in catalog().items() if e.upstream_test}
