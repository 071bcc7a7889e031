"""The rule registry and the validator revisions: data that must stay consistent."""

from __future__ import annotations

import pytest

from generator.errors import InputError
from generator.review.revisions import DEFAULT_RULE_SET, RULE_SETS, hybrid, rule_set
from generator.review.rules import RULES


def test_every_ci_rule_has_its_line_and_every_rule_set_names_known_rules() -> None:
    for rule in RULES.values():
        assert bool(rule.ci) == rule.kind.startswith("ci"), rule.id
    for rules in RULE_SETS.values():
        assert rules.rules <= {r.id for r in RULES.values() if r.ci}, rules.id
        assert len(rules.sha256) == 64


def test_a_line_needs_exactly_its_template_fields() -> None:
    missing = RULES["ci-metadata-missing"]
    assert missing.line() == "Missing 'metadata' section"
    assert missing.line(field="websiteUrl", snake="website_url") == (
        "Missing metadata field: websiteUrl (or website_url)")
    with pytest.raises(KeyError):
        missing.line(field="websiteUrl")


def test_rule_sets_are_found_by_id_or_digest_prefix() -> None:
    assert rule_set(None).id == DEFAULT_RULE_SET
    assert rule_set("b2c8969").id == "b2c8969"
    assert rule_set(RULE_SETS[DEFAULT_RULE_SET].sha256[:10]).id == DEFAULT_RULE_SET
    for unknown in ("nope", "3d9", ""):
        with pytest.raises(InputError, match="unknown validator revision"):
            rule_set(unknown)


@pytest.mark.parametrize(("version", "wanted"), [  # validate_test.go's cases
    ("1.33", False), ("1.36", False), ("1.37", True), ("1.38", True), ("2.0", True),
    ("bad", False), ("", False)])
def test_artifacts_are_wanted_from_v1_37(version: str, wanted: bool) -> None:
    assert rule_set(None).wants_artifacts(version) is wanted
    assert rule_set("b2c8969").wants_artifacts(version) is False


@pytest.mark.parametrize(("tag", "expected"), [("v1.36", False), ("v1.37", True),
                                                ("v1.40", True), ("v2.0", True), ("", False)])
def test_hybrid_verification_starts_with_1_37(tag: str, expected: bool) -> None:
    assert hybrid(tag) is expected
