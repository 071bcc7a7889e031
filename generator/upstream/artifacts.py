"""The suite's artifacts in a v1.37+ submission: copied beside PRODUCT.yaml under exactly the
names CNCF CI parses (``results.json``, ``junit.xml``, ``e2e.log``) and cited per requirement as
``file://<name>#<Test>``, the way ``scripts/validate.go`` resolves and judges them.

CI rejects every citation of an artifact holding any failing test, and a cited test that was
skipped on an Implemented requirement; so a test is cited only when it passed, and the artifacts
are shipped only when no test in them failed (the build says why otherwise).  No other file
leaves the evidence tree under one of these names: CI would parse it as the suite's (a Sonobuoy
or Ginkgo ``e2e.log`` has no ``--- PASS:`` lines and is rejected).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator import safefs
from generator.catalog import upstream_tests
from generator.fsutil import atomic_write_bytes
from generator.layout import SUITE_DIR  # not from suite.py: building a site runs no suite
from generator.upstream.gotest import ARTIFACTS, RESULTS_JSON, events

FIRST_MINOR = 37  # hybrid verification (artifacts as evidence) starts with v1.37
_OUTCOMES = {"pass": "passed", "fail": "failed", "skip": "skipped"}
RENAMED_PREFIX = "imported-"


def hybrid(tag: str) -> bool:
    match = re.match(r"v?(\d+)\.(\d+)", tag)
    if not match:
        return False
    return (int(match.group(1)), int(match.group(2))) >= (1, FIRST_MINOR)


@dataclass(frozen=True)
class SuiteArtifacts:
    folder: Path
    outcomes: dict[str, str]  # test -> passed/failed/skipped, from results.json
    failures: tuple[str, ...]  # failing tests, or "package X" for a package-level failure

    def outcome(self, test: str) -> str | None:
        """As validate.go: the test itself, else its subtests (any failed, all skipped)."""
        if test in self.outcomes:
            return self.outcomes[test]
        subs = [s for name, s in self.outcomes.items() if name.startswith(f"{test}/")]
        if not subs:
            return None
        if "failed" in subs:
            return "failed"
        return "skipped" if all(s == "skipped" for s in subs) else "passed"

    def citations(self, requirement: str) -> list[str]:
        test = upstream_tests().get(requirement)
        if not test or self.failures or self.outcome(test) != "passed":
            return []
        return [f"file://{name}#{test}" for name in ARTIFACTS]

    @property
    def problem(self) -> str | None:
        if not self.failures:
            return None
        return (f"the upstream suite's artifacts are not shipped: they hold failing tests "
                f"({', '.join(self.failures[:5])}), and CNCF CI rejects every requirement "
                f"citing them; fix them, or opt out of tests that do not apply "
                f"(platform.yaml upstreamSuite.run), and collect again")


def load_artifacts(evidence_dir: Path, tag: str) -> SuiteArtifacts | None:
    folder = evidence_dir / SUITE_DIR
    if not hybrid(tag) or not all((folder / name).is_file() for name in ARTIFACTS):
        return None
    outcomes: dict[str, str] = {}
    failed_packages: list[str] = []
    for event in events(folder / RESULTS_JSON):
        outcome = _OUTCOMES.get(str(event.get("Action")))
        if outcome is None:
            continue
        if event.get("Test"):
            name = str(event["Test"])
            if outcomes.get(name) != "failed":
                outcomes[name] = outcome
        elif outcome == "failed":
            failed_packages.append(f"package {event.get('Package')}")
    failures = sorted(n for n, s in outcomes.items() if s == "failed") or failed_packages
    return SuiteArtifacts(folder, outcomes, tuple(failures))


def ship(artifacts: SuiteArtifacts | None, folder: Path) -> list[str]:
    """Copy the artifacts beside PRODUCT.yaml, or remove stale copies of an earlier build."""
    shipped = []
    for name in ARTIFACTS:
        target = folder / name
        target.unlink(missing_ok=True)
        if artifacts and not artifacts.failures:  # a link among them is refused, not followed
            atomic_write_bytes(target, safefs.read_bytes(artifacts.folder / name,
                                                         artifacts.folder.parent))
            shipped.append(name)
    return shipped


def rename_lookalikes(folder: Path) -> list[str]:
    """Inside copied evidence folders, no file keeps a name CI parses as a suite artifact."""
    renamed = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.name.lower() in ARTIFACTS:
            path.rename(path.with_name(RENAMED_PREFIX + path.name))
            renamed.append(path.relative_to(folder).as_posix())
    return renamed
