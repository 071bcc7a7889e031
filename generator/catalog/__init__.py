"""The tool's own knowledge per requirement (data in ``requirements.yaml``), in our words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.schemas import validate_document
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
    tests: tuple[re.Pattern[str], ...]
    conditional: Conditional | None = None
    dra_related: bool = False


@cache
def catalog() -> dict[str, CatalogEntry]:
    """Every requirement the tool knows, keyed by checklist id."""
    doc = load_yaml(CATALOG_FILE)
    validate_document(doc, "catalog")
    entries = {}
    for rid, item in doc.data["requirements"].items():
        conditional = item.get("conditional")
        entries[rid] = CatalogEntry(
            id=rid,
            title=item["title"],
            proves=tuple(item["proves"]),
            solutions=tuple(item.get("solutions", ())),
            tests=tuple(re.compile(p) for p in item.get("tests", ())),
            conditional=Conditional(**conditional) if conditional else None,
            dra_related=bool(item.get("dra_related", False)),
        )
    return entries


def entry(requirement_id: str) -> CatalogEntry | None:
    return catalog().get(requirement_id)
