"""One view per checklist requirement, shared by the site, PRODUCT.yaml and ``validate``.

Every output reads the same views so the site, the submission file and the validation can
never disagree on a status or on which MUST blocks certification.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.catalog import CatalogEntry, catalog
from generator.checklist import Checklist, resolve_checklist
from generator.errors import EnvironmentProblem
from generator.evidence.model import CheckResult, Declaration, Role, TranscriptEntry
from generator.evidence.tree import (
    IMPORTED_DIR,
    PROCEDURE_SCRIPT,
    EvidenceTree,
    RequirementEvidence,
)
from generator.evidence.verdicts import Conformance, Status
from generator.layout import SUITE_KEPT_RESULTS
from generator.workspace import Workspace


@dataclass(frozen=True)
class CheckView:
    check: CheckResult
    entries: tuple[TranscriptEntry, ...]  # this check's transcript entries, in order
    decisive: TranscriptEntry | None  # the entry whose output decided the verdict

    @property
    def id(self) -> str:
        return self.check.id


@dataclass(frozen=True)
class RequirementView:
    id: str
    category: str
    level: str  # MUST, SHOULD, or "?" when no checklist is available
    description: str | None  # exact official text; None without a checklist
    entry: CatalogEntry | None
    evidence: RequirementEvidence | None
    declaration: Declaration | None
    status: Status  # of the result, declared, or missing (nothing collected)
    conformance: Conformance | None  # what PRODUCT.yaml claims; None claims nothing
    reason: str
    checks: tuple[CheckView, ...]

    @property
    def title(self) -> str:
        return self.entry.title if self.entry else self.id

    @property
    def is_must(self) -> bool:
        return self.level == "MUST"

    @property
    def blocks(self) -> bool:
        """A MUST not ``Implemented``: CNCF CI rejects it, unless it is a conditional MUST that
        today's CI rules accept as N/A (with a warning)."""
        from generator.review.revisions import rule_set  # review imports bundle's users

        if (self.conformance is Conformance.NOT_APPLICABLE
                and self.id in rule_set(None).conditional_musts):
            return False
        return self.is_must and self.conformance is not Conformance.IMPLEMENTED

    @property
    def procedure_script(self) -> str | None:
        """The self-contained ``procedure.sh`` beside the result, for reviewers to re-run."""
        present = self.evidence and (self.evidence.folder / PROCEDURE_SCRIPT).is_file()
        return PROCEDURE_SCRIPT if present else None

    @property
    def from_suite(self) -> bool:
        """Some of its checks are the upstream suite's tests, as ``collect`` imported them."""
        kept = f"{IMPORTED_DIR}/{SUITE_KEPT_RESULTS}"
        return any(c.check.provenance and c.check.provenance.file == kept for c in self.checks)

    def checks_of(self, role: str) -> list[CheckView]:
        return [c for c in self.checks if c.check.role is Role(role)]


@dataclass(frozen=True)
class Bundle:
    workspace: Workspace
    tree: EvidenceTree
    checklist: Checklist | None
    checklist_problem: str | None  # why no official checklist was found, with the how-to
    requirements: tuple[RequirementView, ...]

    @property
    def blocking(self) -> list[RequirementView]:
        return [r for r in self.requirements if r.blocks]

    @property
    def categories(self) -> list[str]:
        return list(dict.fromkeys(r.category for r in self.requirements))


def load_bundle(workspace: Workspace, checklist_file: Path | None = None,
                conformance_repo: Path | None = None) -> Bundle:
    """Read everything; a missing checklist degrades to the tool's catalog with a reason."""
    tree = EvidenceTree.load(workspace.evidence_dir)
    try:
        checklist: Checklist | None = resolve_checklist(
            workspace.version, checklist_file, conformance_repo)
        problem = None
    except EnvironmentProblem as exc:
        checklist, problem = None, str(exc)
    rows: list[tuple[str, str, str, str | None]]
    if checklist:
        rows = [(r.id, r.category, r.level, r.description) for r in checklist.requirements]
    else:
        rows = [(rid, "unknown category", "?", None) for rid in catalog()]
    views = tuple(_view(workspace, tree, *row) for row in rows)
    return Bundle(workspace, tree, checklist, problem, views)


def _view(workspace: Workspace, tree: EvidenceTree, rid: str, category: str, level: str,
          description: str | None) -> RequirementView:
    evidence = tree.requirements.get(rid)
    result = evidence.result if evidence else None
    declaration = workspace.declaration(rid) or (result.declaration if result else None)
    checks = _checks(evidence) if evidence else ()
    conformance: Conformance | None
    if declaration:
        status, conformance = Status.DECLARED, declaration.status
        reason = f"declared {declaration.status}: {declaration.reason}"
    elif result:
        status = result.status
        conformance = result.conformance or status.conformance
        reason = result.reason
    else:
        status, conformance, reason = Status.MISSING, None, "no evidence collected yet"
    return RequirementView(rid, category, level, description, catalog().get(rid), evidence,
                           declaration, status, conformance, reason, checks)


def _checks(evidence: RequirementEvidence) -> tuple[CheckView, ...]:
    entries = list(evidence.transcript())
    by_seq = {e.seq: e for e in entries}
    views = []
    for check in evidence.result.checks:
        mine = ([by_seq[s] for s in check.steps if s in by_seq] if check.steps
                else [e for e in entries if e.check == check.id])
        views.append(CheckView(check, tuple(mine), by_seq.get(check.decisive_step or 0)))
    return tuple(views)
