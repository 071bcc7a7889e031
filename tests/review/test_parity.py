"""CI parity: our verdicts and CI lines equal those of CNCF's Go validator, revision by revision.

The committed expectations (tests/data/parity/expected-<rule set>.json) were produced by
tests/parity/harness.py from the real validator; the live test builds it again when Go is
installed (always in CI) and compares on the spot, line order within a checklist category
included.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.review import review_paths
from generator.review.revisions import RULE_SETS, RuleSet
from tests.conftest import in_ci
from tests.parity import harness

REVISIONS = [pytest.param(rules, id=rules.id) for rules in RULE_SETS.values()]


def _expected(rules: RuleSet) -> dict:
    return json.loads(harness.expected_file(rules).read_text())


@pytest.fixture(scope="module")
def cases_checkout(tmp_path_factory: pytest.TempPathFactory, conformance_repo: Path
                   ) -> tuple[Path, list[str]]:
    """The parity cases laid out as a checkout, as CI saw them."""
    root = tmp_path_factory.mktemp("checkout")
    return root, harness.lay_out_cases(root, conformance_repo)


def _mismatches(expected: dict, ours: dict[str, harness.Verdict]) -> dict:
    return {path: (verdict, ours[path].to_json() if path in ours else None)
            for path, verdict in expected.items()
            if path not in ours or ours[path].to_json() != verdict}


@pytest.mark.parametrize("rules", REVISIONS)
def test_real_submissions_get_the_exact_ci_verdicts(rules: RuleSet, conformance_repo: Path
                                                    ) -> None:
    expected = _expected(rules)["corpus"]
    ours = harness.review_verdicts(conformance_repo, rules)
    assert set(ours) >= set(expected)
    assert not _mismatches(expected, ours)


@pytest.mark.parametrize("rules", REVISIONS)
def test_parity_cases_get_the_exact_ci_verdicts(rules: RuleSet, cases_checkout) -> None:
    root, products = cases_checkout
    expected = _expected(rules)["cases"]
    assert set(expected) == set(products)
    assert not _mismatches(expected, harness.review_verdicts(root, rules))


@pytest.mark.parametrize("rules", REVISIONS)
def test_the_cases_exercise_every_ci_rule_of_each_revision(rules: RuleSet, cases_checkout,
                                                           conformance_repo: Path) -> None:
    """Every branch of validate.go that prints a line is covered by a compared case (the
    version-less path aside: the harness runs CI's vX.Y/<dir>/PRODUCT.yaml layout only)."""
    root, _ = cases_checkout
    fired = {f.rule for r in review_paths([root, conformance_repo], rules=rules)
             for f in r.findings}
    assert rules.rules - fired == {"ci-version-path"}


def test_expectations_name_the_revision_they_were_made_with() -> None:
    for rules in RULE_SETS.values():
        data = _expected(rules)
        assert (data["ruleSet"], data["sha256"]) == (rules.id, rules.sha256)


@pytest.mark.timeout(240)
def test_the_real_validator_agrees_live(tmp_path: Path, conformance_repo: Path) -> None:
    """Build validate.go of every revision from the corpus and run it beside our review."""
    if not harness.go_available():
        message = "needs go and golang-gopkg-yaml.v3-dev (.ci/run installs them)"
        if in_ci():
            pytest.fail(message)  # in CI a skip would hide that parity went untested
        pytest.skip(message)
    results = harness.run_all(tmp_path, RULE_SETS.values(), conformance_repo)
    for rules in RULE_SETS.values():
        for name, comparison in results[rules.id].items():
            assert comparison.validator, (rules.id, name)
            assert not comparison.differences(), (rules.id, name)
            committed = _expected(rules)[name]
            live = {path: v.to_json() for path, v in comparison.validator.items()}
            assert live == committed, f"{rules.id} {name}: regenerate the expectations"
