"""Build's submission into a branch of the fork: checked, validated in place, one commit.

Order matters so that a refusal leaves the fork exactly as it was: every check runs before
anything is written; the files are then written on the current (clean) HEAD and validated
with the fork's own checklist; only a valid result gets a branch and a commit, and any
failure on the way puts the folder back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import git

from generator.errors import ExitCode, InputError, ToolError
from generator.layout import PRODUCT_FILE, checkout_checklist
from generator.productyaml.write import EXAMPLE_MARK
from generator.review import SubmissionReport, review_paths
from generator.submit import pr
from generator.submit.files import Change, diff, plan_change, undo, write
from generator.submit.fork import (
    check_branch_free,
    check_folder,
    check_ignored,
    check_owner,
    open_fork,
)
from generator.yamldoc import load_yaml, read_text


@dataclass
class Outcome:
    change: Change
    diff: str
    report: SubmissionReport
    title: str
    body: str
    branch: str
    commit: str | None = None
    pushed: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"folder": self.change.folder, "files": self.change.paths, "branch": self.branch,
                "commit": self.commit, "pushed": self.pushed, "review": self.report.to_json(),
                "title": self.title, "body": self.body, "diff": self.diff}


@dataclass(frozen=True)
class Request:
    fork: Path
    source: Path  # build's OUT/submission/vX.Y/<dir>
    folder: str  # vX.Y/<product-dir> in the fork
    branch: str
    sign_off: bool = False
    dry_run: bool = False
    allow_invalid: bool = False
    push: str | None = None  # a remote name, only when asked for


def submit(request: Request) -> Outcome:
    check_folder(request.folder)
    repo = open_fork(request.fork)
    built = request.source / PRODUCT_FILE
    text = read_text(built)
    if EXAMPLE_MARK in text.splitlines():
        raise InputError(f"{built}: built from the example bundle (EXAMPLE DATA); rebuild "
                         "from your own workspace")
    document = load_yaml(built, text=text).data
    if not isinstance(document, dict):
        raise InputError(f"{built}: not a PRODUCT.yaml mapping")
    check_owner(repo, request.folder, document.get("metadata") or {})
    check_ignored(repo, request.folder)
    check_branch_free(repo, request.branch)
    if request.push and request.push not in [r.name for r in repo.remotes]:
        raise ToolError(f"--push {request.push}: no such remote in {request.fork}")
    change = plan_change(repo, request.source, request.folder)
    product_path = f"{request.folder}/{PRODUCT_FILE}"
    outcome = Outcome(change, diff(repo, change), _validate(request, repo, change),
                      pr.title(document.get("metadata") or {}), "", request.branch)
    outcome.body = pr.body(document, outcome.report, product_path)
    if request.dry_run:
        return outcome
    if not outcome.report.ci_valid and not request.allow_invalid:
        raise ToolError(f"{product_path}: CNCF CI would reject it "
                        f"({_first_error(outcome.report)}); nothing was committed. Fix it, or "
                        "pass --allow-invalid to commit anyway", ExitCode.FAILED)
    outcome.commit = _commit(repo, request, change, f"{outcome.title}\n\n{outcome.body}")
    if request.push:
        repo.remote(request.push).push(f"refs/heads/{request.branch}", set_upstream=True)
        outcome.pushed = request.push
    return outcome


def _validate(request: Request, repo: git.Repo, change: Change) -> SubmissionReport:
    """In place for a real run; a dry run checks build's copy with the fork's checklist."""
    if request.dry_run:
        version = request.folder.split("/", 1)[0].lstrip("v")
        checklist = checkout_checklist(request.fork, version)
        [report] = review_paths([request.source / PRODUCT_FILE],
                                checklist if checklist.is_file() else None)
        return report
    write(request.fork, change)
    try:
        [report] = review_paths([request.fork / change.folder / PRODUCT_FILE])
    except BaseException:
        undo(repo, change)
        raise
    if not report.ci_valid and not request.allow_invalid:
        undo(repo, change)
    return report


def _commit(repo: git.Repo, request: Request, change: Change, message: str) -> str:
    """Exactly one commit, touching only the folder, on a new branch from HEAD."""
    start = repo.head.ref.name if not repo.head.is_detached else repo.head.commit.hexsha
    try:
        repo.git.checkout("-b", request.branch)  # the written files come along
        repo.git.add("-A", "--", change.folder)
        repo.git.commit("-m", message, *(["--signoff"] if request.sign_off else []),
                        "--", change.folder)
    except git.GitCommandError as exc:
        repo.git.reset("-q", "--", change.folder)
        undo(repo, change)
        repo.git.checkout(start)
        if request.branch in repo.heads and repo.heads[request.branch].commit == repo.head.commit:
            repo.delete_head(request.branch)
        raise ToolError(f"git commit failed, nothing changed: {exc.stderr.strip()}") from None
    return repo.head.commit.hexsha


def _first_error(report: SubmissionReport) -> str:
    errors = [f for f in report.sorted_findings() if f.severity == "error"]
    return f"{len(errors)} error(s), first: {errors[0].ci or errors[0].message}" if errors else ""
