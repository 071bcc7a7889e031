"""The shipped catalog is checked here rather than on every start of the tool."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.catalog import CATALOG_FILE, catalog
from generator.checklist import Checklist
from generator.schemas import validate_document
from generator.yamldoc import load_yaml


def test_the_shipped_catalog_follows_its_schema() -> None:
    validate_document(load_yaml(CATALOG_FILE), "catalog")


def test_every_test_pattern_compiles() -> None:
    for entry in catalog().values():
        for pattern in entry.tests:
            re.compile(pattern)


def test_an_upstream_test_maps_itself_and_its_subtests_only() -> None:
    covered = next(e for e in catalog().values() if e.upstream_test)
    name = covered.upstream_test
    assert name is not None
    assert covered.maps_test(name) and covered.maps_test(f"{name}/subtest")
    assert not covered.maps_test(f"{name}Other")


@pytest.mark.parametrize("version", ["1.33", "1.34", "1.35", "1.36", "1.37"])
def test_every_checklist_requirement_is_in_the_catalog(conformance_repo: Path,
                                                       version: str) -> None:
    path = conformance_repo / "docs" / f"AIConformance-{version}.yaml"
    checklist = Checklist.load(path, version, source=str(path))
    assert {r.id for r in checklist.requirements} <= set(catalog())
