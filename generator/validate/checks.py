"""Everything ``build`` relies on, checked without writing: what a vendor's CI runs on each PR.

Problems are collected, not raised, so that one run lists every broken file at once.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from generator import safefs
from generator.bundle.model import Bundle, RequirementView
from generator.errors import InputError
from generator.evidence.model import Source
from generator.evidence.status import aggregate
from generator.evidence.tree import RESULT_FILE, RUN_FILE, TRANSCRIPT_FILE, read_json
from generator.evidence.verdicts import Status
from generator.fsutil import sha256_file
from generator.procedures import load_procedure, procedure_requirements
from generator.productyaml import write_submission
from generator.review import Finding, review_product
from generator.review.findings import Severity
from generator.schemas import schema_issues

DEFAULT_MAX_AGE_DAYS = 90


def _problem(severity: Severity, rule: str, message: str, file: str | None = None,
             requirement: str | None = None) -> Finding:
    """A validate finding: the review's Finding, naming the evidence file at fault."""
    return Finding(rule, severity, requirement, message, file=file)


def unsafe_file_problems(root: Path) -> list[Finding]:
    """Links and special files under the evidence tree: build refuses them, validate lists all."""
    return [_problem("error", "unsafe-file", f"{path}: {reason}", str(path))
            for path, reason in safefs.unsafe(root)] if root.exists() or root.is_symlink() else []


def schema_problems(evidence_dir: Path) -> list[Finding]:
    """Every evidence file against its schema; the tree is unreadable while any fails."""
    problems = []
    files = [evidence_dir / RUN_FILE, *sorted(evidence_dir.glob(f"*/{RESULT_FILE}"))]
    for path in (p for p in files if p.is_file()):
        try:
            read_json(path, "run" if path.name == RUN_FILE else "result")
        except InputError as exc:
            problems.append(_problem("error", "schema", str(exc), str(path)))
    for path in sorted(evidence_dir.glob(f"*/{TRANSCRIPT_FILE}")):
        for number, line in enumerate(path.read_bytes().splitlines(), 1):
            if line.strip() and (issue := _transcript_issue(line)):
                problems.append(_problem("error", "schema", f"{path}:{number}: {issue}",
                                        str(path)))
    return problems


def _transcript_issue(line: bytes) -> str | None:
    try:
        issues = schema_issues(json.loads(line.decode("utf-8")), "transcript")
    except UnicodeDecodeError as exc:
        return f"not valid UTF-8 (byte 0x{line[exc.start]:02x})"
    except json.JSONDecodeError as exc:
        return f"invalid JSON: {exc.msg}"
    return f"{issues[0].field}: {issues[0].message}" if issues else None


def bundle_problems(bundle: Bundle, now: datetime | None = None) -> list[Finding]:
    problems: list[Finding] = []
    max_age = timedelta(days=bundle.workspace.platform.get("evidenceMaxAgeDays",
                                                           DEFAULT_MAX_AGE_DAYS))
    now = now or datetime.now(UTC)
    run = bundle.tree.run
    server = ((run.server_version if run else None) or "").lstrip("v")
    if server and not (server + ".").startswith(bundle.workspace.version + "."):
        problems.append(_problem("error", "version", f"evidence was collected against Kubernetes "
                                f"v{server}, the workspace is {bundle.workspace.tag}",
                                str(bundle.tree.root / RUN_FILE)))
    problems += _unknown_requirement_problems(bundle)
    for view in bundle.requirements:
        problems += _requirement_problems(bundle, view, now, max_age)
    return problems


def _unknown_requirement_problems(bundle: Bundle) -> list[Finding]:
    """An id in platform.yaml the checklist lacks (a typo, or one it dropped) is never
    collected: its variant, parameters or declaration would silently do nothing."""
    known = {view.id for view in bundle.requirements}
    version = bundle.workspace.tag
    return [_problem("error", "unknown-requirement", f"platform.yaml requirements.{rid}: not a "
                     f"requirement of the {version} checklist ({', '.join(sorted(known))}); "
                     "it is never collected: fix the id or remove it", requirement=rid)
            for rid in bundle.workspace.platform.get("requirements") or {} if rid not in known]


def _requirement_problems(bundle: Bundle, view: RequirementView, now: datetime,
                          max_age: timedelta) -> list[Finding]:
    def problem(severity: Severity, rule: str, message: str, file: Path | None = None) -> None:
        found.append(_problem(severity, rule, message, str(file) if file else None, view.id))

    found: list[Finding] = []
    if view.status is Status.MISSING:
        problem("error" if view.is_must else "warning", "not-covered",
                f"{view.level} {view.id} is neither collected nor declared (platform.yaml "
                f"requirements.{view.id}.status with a reason)")
    if not view.declaration and view.id in _procedure_ids(bundle):
        config = bundle.workspace.requirement_config(view.id)
        try:
            load_procedure(bundle.workspace.version, view.id, config.get("variant"),
                           config.get("parameters"))
        except InputError as exc:
            problem("error", "procedure", str(exc))
    if not view.evidence:
        return found
    result, folder = view.evidence.result, view.evidence.folder
    if result.kubernetes_version != bundle.workspace.tag:
        problem("error", "version", f"collected for {result.kubernetes_version}, the "
                f"workspace is {bundle.workspace.tag}", folder / RESULT_FILE)
    finished = result.finished_at
    if finished and now - datetime.fromisoformat(finished.replace("Z", "+00:00")) > max_age:
        problem("warning", "stale", f"collected {finished[:10]}, older than "
                f"{max_age.days} days (evidenceMaxAgeDays): collect again", folder / RESULT_FILE)
    if result.source is Source.COLLECTED and result.status is not Status.DECLARED:
        expected = aggregate(result.checks)[0]
        if expected is not result.status:
            problem("error", "status", f"status {result.status} but its checks add up to "
                    f"{expected}", folder / RESULT_FILE)
    seqs = {e.seq: e for c in view.checks for e in c.entries}
    for entry in seqs.values():
        for name, stream in (("stdout", entry.stdout), ("stderr", entry.stderr)):
            path = folder / stream.path
            if not path.is_file() or sha256_file(path) != stream.sha256:
                problem("error", "integrity", f"transcript #{entry.seq} {name}: "
                        f"{stream.path} is missing or changed (sha256 differs)", path)
    for check in view.checks:
        decisive = check.check.decisive_step
        if decisive and decisive not in {e.seq for e in check.entries}:
            problem("error", "transcript", f"check {check.id}: decisiveStep {decisive} is not "
                    "one of its transcript steps", folder / RESULT_FILE)
    return found


def review_problems(bundle: Bundle) -> list[Finding]:
    """The would-be PRODUCT.yaml, written to a scratch folder and reviewed as CI would."""
    assert bundle.checklist
    with tempfile.TemporaryDirectory(prefix="k8s-ai-evidence-validate-") as scratch:
        submission = write_submission(bundle, Path(scratch))
        report = review_product(submission.path, bundle.checklist, submission.repo_path)
    return [Finding(f"review:{f.rule}", f.severity, f.requirement,
                    f.message + (f" (PRODUCT.yaml line {f.line})" if f.line else ""))
            for f in report.sorted_findings() if f.severity in ("error", "warning")]


def _procedure_ids(bundle: Bundle) -> set[str]:
    try:
        return set(procedure_requirements(bundle.workspace.version))
    except InputError:
        return set()

