"""The upstream suite's run as its page shows it: the record's facts, every test in the order
it ran (subtests under their parent) with the requirement it covers, what build did with the
artifacts, and the output of each test that failed or did not finish, cut by the excerpt."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from markupsafe import Markup

from generator import safefs
from generator.catalog import upstream_tests
from generator.evidence.model import SuiteRecord
from generator.evidence.verdicts import Status
from generator.evidencesite.excerpt import excerpt
from generator.layout import (
    E2E_LOG,
    RESULTS_JSON,
    SUITE_ARTIFACTS,
    SUITE_RECORD,
    SUITE_STDERR,
)
from generator.review.revisions import hybrid
from generator.upstream.artifacts import SuiteArtifacts
from generator.upstream.gotest import TestRun, read_runs, whole_output

# what go test itself prints where a test fails or panics (a t.Errorf line looks like any
# t.Logf line): highlighted in the excerpt
FAILURE_LINES = [re.compile(r"^\s*--- FAIL: "), re.compile(r"^panic: ")]
UNFINISHED = (Status.FAILED, Status.UNKNOWN)


@dataclass(frozen=True)
class SuiteTest:
    run: TestRun
    requirements: tuple[str, ...]  # those the catalog maps this test to
    output: str | None  # the whole output, only for a failure no subtest explains

    @property
    def depth(self) -> int:
        return self.run.name.count("/")

    @property
    def short_name(self) -> str:
        """A subtest by its own name: its parent is the row above."""
        return self.run.name.rsplit("/", 1)[-1]

    @property
    def top(self) -> str:
        return self.run.name.split("/", 1)[0]

    def excerpt(self) -> Markup:
        return excerpt(self.output or "", FAILURE_LINES)


@dataclass(frozen=True)
class SuiteView:
    record: SuiteRecord
    tests: tuple[SuiteTest, ...]  # top-level tests in the order they ran, subtests after each
    artifacts: SuiteArtifacts | None  # as build judged them for PRODUCT.yaml
    hybrid: bool  # this version's submissions carry the artifacts
    raw_files: tuple[str, ...]  # the record and the artifacts present, published beside it
    not_run: tuple[tuple[str, str], ...]  # (test, requirement) never started: -run, or killed
    artifact_files = SUITE_ARTIFACTS
    results, log = RESULTS_JSON, E2E_LOG

    @property
    def covering(self) -> list[SuiteTest]:
        """The tests that cover a requirement, with their subtests."""
        return self._split(True)

    @property
    def others(self) -> list[SuiteTest]:
        """The rest: the suite's own unit tests."""
        return self._split(False)

    def _split(self, covering: bool) -> list[SuiteTest]:
        covers = {t.top for t in self.tests if t.depth == 0 and t.requirements}
        return [t for t in self.tests if (t.top in covers) is covering]

    @cached_property
    def failures(self) -> list[SuiteTest]:
        return [t for t in self.tests if t.output is not None]

    def cited(self, requirement: str) -> list[str]:
        return self.artifacts.citations(requirement) if self.artifacts else []


def suite_view(record: SuiteRecord, folder: Path, artifacts: SuiteArtifacts | None
               ) -> SuiteView:
    """Read the run's ``results.json`` (a link refused; missing: no test listed), keeping the
    whole output only of the failures the page shows."""
    stream = folder / RESULTS_JSON
    safefs.check(stream, folder)
    packages = read_runs(stream) if stream.is_file() else []
    runs = [t for package in packages for t in package.tests.values()]
    runs += [case for package in packages if (case := package.failure_case())]
    order = {name: i for i, name in enumerate(dict.fromkeys(t.name.split("/")[0] for t in runs))}
    runs.sort(key=lambda t: order[t.name.split("/")[0]])  # stable: subtests keep their order
    stopped = {t.name for t in runs if t.status in UNFINISHED}
    excerpted = {name for name in stopped  # a failing subtest says why its parent failed
                 if not any(other.startswith(name + "/") for other in stopped)}
    outputs = whole_output(stream, {(t.package, t.name) for t in runs if t.name in excerpted})
    covers: dict[str, list[str]] = {}
    for requirement, test in upstream_tests().items():
        covers.setdefault(test, []).append(requirement)
    tests = tuple(SuiteTest(t, tuple(covers.get(t.name, ())),
                            outputs.get((t.package, t.name))) for t in runs)
    present = tuple(n for n in (*SUITE_ARTIFACTS, SUITE_RECORD, SUITE_STDERR)
                    if (folder / n).is_file())
    not_run = tuple((test, rid) for test, rids in covers.items() if test not in order
                    for rid in rids) if runs else ()
    return SuiteView(record, tests, artifacts, hybrid(record.kubernetes_version), present,
                     not_run)
