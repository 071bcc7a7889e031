"""CNCF CI's validator (scripts/validate.go of cncf/k8s-ai-conformance), revision by revision.

Each revision is a rule set: the CI rules it has and the few facts its code hard-wires. A
revision is identified by the sha256 of validate.go's bytes, so a checkout's own copy says
which rules CI applies to it; the default is the revision CI runs today.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from generator.errors import InputError
from generator.review.rules import CI_RULES, CI_WARNING_RULES

VALIDATOR_FILE = "scripts/validate.go"


@dataclass(frozen=True)
class RuleSet:
    id: str
    sha256: str  # of validate.go's content
    title: str
    rules: frozenset[str]  # CI rule ids this revision can report
    conditional_musts: frozenset[str] = frozenset()  # MUSTs that may be N/A (with a warning)
    auto_tested: tuple[tuple[str, str], ...] = ()  # requirement -> upstream suite test
    hybrid_from_minor: int | None = None  # 1.NN from which covered requirements want artifacts
    notes_trimmed: bool = False  # blank N/A notes count as empty
    concurrent_file_checks: bool = False  # local evidence errors come in random order

    def has(self, rule: str) -> bool:
        return rule in self.rules

    def test_for(self, requirement: str) -> str | None:
        return dict(self.auto_tested).get(requirement)

    def wants_artifacts(self, version: str) -> bool:
        """validate.go's supportsHybridVerification for a checklist version such as 1.37."""
        major, _, minor = version.partition(".")
        if self.hybrid_from_minor is None or not (major.isdigit() and minor.isdigit()):
            return False
        return int(major) > 1 or (int(major) == 1 and int(minor) >= self.hybrid_from_minor)

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "sha256": self.sha256, "title": self.title,
                "rules": sorted(self.rules)}


_BEFORE_HYBRID = frozenset(CI_RULES) - {
    "ci-conditional-must-status", "ci-evidence-path-empty", "ci-evidence-other-product",
    "ci-evidence-path-escapes", "ci-artifact-invalid", "ci-artifact-failing", "ci-test-missing",
    "ci-test-failed", "ci-test-skipped"}

RULE_SETS = {rule_set.id: rule_set for rule_set in (
    RuleSet(
        id="2026-09",
        sha256="3d9195f2d43d8485a7fb576286c5cdf23d19ac3e95109af82ba835e1f73a8616",
        title="hybrid verification (CI since September 2026): file:// links with #TestName, "
              "junit.xml / results.json / e2e.log parsed, cluster_autoscaling may be N/A",
        rules=frozenset(CI_RULES) | frozenset(CI_WARNING_RULES),
        conditional_musts=frozenset({"cluster_autoscaling"}),
        auto_tested=(("secure_accelerator_access", "TestSecureAcceleratorAccess"),
                     ("gang_scheduling", "TestGangScheduling"),
                     ("cluster_autoscaling", "TestAcceleratorClusterAutoscaling")),
        hybrid_from_minor=37,
        notes_trimmed=True,
    ),
    RuleSet(
        id="b2c8969",
        sha256="d7b79cbfbf53d7db7eefbbab83f4eb09295f5c8c9c13a2eeb0641205f7fbce45",
        title="cncf/k8s-ai-conformance@b2c8969, before hybrid verification: every MUST "
              "Implemented, local evidence is a literal path",
        rules=_BEFORE_HYBRID,
        concurrent_file_checks=True,
    ),
)}
DEFAULT_RULE_SET = "2026-09"


def rule_set(revision: str | None) -> RuleSet:
    """The rule set named ``revision`` (an id or a sha256 prefix); the default for None."""
    if revision is None:
        return RULE_SETS[DEFAULT_RULE_SET]
    found = [r for r in RULE_SETS.values()
             if revision == r.id or (len(revision) >= 7 and r.sha256.startswith(revision))]
    if len(found) != 1:
        raise InputError(f"--ci-rules {revision}: unknown validator revision; known: "
                         f"{', '.join(RULE_SETS)}")
    return found[0]


def hybrid(tag: str) -> bool:
    """Whether CI as it runs today (the default rule set) wants the suite's artifacts in a
    ``vX.Y`` folder: build, init and submit ask here, so they follow the CI review mirrors."""
    return rule_set(None).wants_artifacts(tag.removeprefix("v"))


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def checkout_revision(root: Path) -> tuple[str, RuleSet | None] | None:
    """(digest, known rule set or None) of a checkout's validate.go; None if it has none."""
    path = root / VALIDATOR_FILE
    if not path.is_file():
        return None
    digest = file_digest(path)
    return digest, next((r for r in RULE_SETS.values() if r.sha256 == digest), None)
