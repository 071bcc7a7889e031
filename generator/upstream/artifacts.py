"""The suite's artifacts in a v1.37+ submission: copied beside PRODUCT.yaml under exactly the
names CNCF CI parses (``results.json``, ``junit.xml``, ``e2e.log``) and cited per requirement as
``file://<name>#<Test>``, the way ``scripts/validate.go`` resolves and judges them.

CI rejects every citation of an artifact it cannot parse or that holds a failing test, and a
cited test that was skipped on an Implemented requirement. So build judges the artifacts with
review's copy of CI's parser: a test is cited in an artifact only where it passed, and the
artifacts ship only when CI can parse them and no test in them failed (the build says why
otherwise). No other file leaves the evidence tree under one of these names: CI would parse it
as the suite's (a Sonobuoy or Ginkgo ``e2e.log`` has no ``--- PASS:`` lines and is rejected).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from generator import safefs
from generator.catalog import upstream_tests
from generator.fsutil import atomic_write_bytes
from generator.layout import SUITE_ARTIFACTS, SUITE_DIR  # not suite.py: a site build runs no suite
from generator.review.artifacts import (
    ARTIFACT_NAMES,
    ArtifactError,
    ArtifactReport,
    Outcome,
    artifact_kind,
    read_artifact,
)
from generator.review.revisions import hybrid

RENAMED_PREFIX = "imported-"
_NOT_SHIPPED = "the upstream suite's artifacts are not shipped: "


@dataclass(frozen=True)
class SuiteArtifacts:
    """The artifacts as read from the evidence tree and judged by review's copy of CI's
    parser, so what build ships and cites is by construction what CI accepts."""

    contents: dict[str, bytes]  # artifact name -> the bytes shipped
    reports: dict[str, ArtifactReport]  # artifact name -> what CI reads in it
    problem: str | None  # why they are not shipped: failing tests, or one CI cannot parse

    def citations(self, requirement: str) -> list[str]:
        test = upstream_tests().get(requirement)
        if not test or self.problem:
            return []
        return [f"file://{name}#{test}" for name, report in self.reports.items()
                if report.outcome_for(test) is Outcome.PASS]


def load_artifacts(evidence_dir: Path, tag: str) -> SuiteArtifacts | None:
    folder = evidence_dir / SUITE_DIR
    if not hybrid(tag) or not all((folder / name).is_file() for name in SUITE_ARTIFACTS):
        return None
    # a link among them is refused, not followed
    contents = {name: safefs.read_bytes(folder / name, evidence_dir) for name in SUITE_ARTIFACTS}
    try:
        reports = {name: read_artifact(io.BytesIO(data), ARTIFACT_NAMES[name])
                   for name, data in contents.items()}
    except ArtifactError as exc:
        return SuiteArtifacts(contents, {}, f"{_NOT_SHIPPED}CNCF CI cannot parse them ({exc}); "
                                            "collect again")
    failures = sorted({test for report in reports.values() for test in report.failures})
    if not failures:
        return SuiteArtifacts(contents, reports, None)
    return SuiteArtifacts(contents, reports, (
        f"{_NOT_SHIPPED}they hold failing tests ({', '.join(failures[:5])}), and CNCF CI rejects "
        f"every requirement citing them; fix them, or opt out of tests that do not apply "
        f"(platform.yaml upstreamSuite.run), and collect again"))


def ship(artifacts: SuiteArtifacts | None, folder: Path) -> list[str]:
    """Copy the artifacts beside PRODUCT.yaml, or remove stale copies of an earlier build."""
    shipped = []
    for name in SUITE_ARTIFACTS:
        target = folder / name
        target.unlink(missing_ok=True)
        if artifacts and not artifacts.problem:
            atomic_write_bytes(target, artifacts.contents[name])
            shipped.append(name)
    return shipped


def rename_lookalikes(folder: Path) -> list[str]:
    """Inside copied evidence folders, no file keeps a name CI parses as a suite artifact."""
    renamed = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if artifact_kind(path.name):
            path.rename(path.with_name(RENAMED_PREFIX + path.name))
            renamed.append(path.relative_to(folder).as_posix())
    return renamed
