"""Lint of evidence entries: executed or documentation only, pinned or moving, where it lives."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from generator.checklist import Checklist
from generator.evidence.verdicts import Conformance
from generator.review.ci_rules import resolve_evidence
from generator.review.findings import Finding
from generator.review.lint.link_kinds import Link, classify, is_moving_docs, is_private_host
from generator.review.submission import Entry, Submission

_K8S_MINOR = re.compile(r"(?:^|[/_.=-])(?:v|release-|k8s-|kubernetes-)?1\.(\d{2})(?=$|[/_.#?-])")
_PAGE_PEEK_BYTES = 256 * 1024


def findings(sub: Submission, checklist: Checklist, ci: list[Finding]) -> Iterator[Finding]:
    escapes = {f.line for f in ci if f.rule == "ci-evidence-path-escapes"}
    for item in sub.entries:
        links = [classify(e) for e in item.evidence if e]
        if item.status == Conformance.IMPLEMENTED and links and not any(
            _executed(sub, link) for link in links
        ):
            yield _warn("documentation-only", sub, item, None,
                        f"{item.id} cites documentation only: add an executed artifact (a log, "
                        "transcript, script or test result from this platform)")
        for index, link in enumerate(links):
            for finding in _link_findings(sub, item, index, link, checklist.version):
                if finding.rule != "evidence-path-escapes" or finding.line not in escapes:
                    yield finding  # CI since hybrid verification already rejects the escape


def _link_findings(sub: Submission, item: Entry, index: int, link: Link, version: str
                   ) -> Iterator[Finding]:
    if link.ref is not None and not link.pinned:
        yield _warn("unpinned-github-link", sub, item, index,
                    f"{link.text} points at {link.ref!r}, which moves; link a commit SHA")
    elif is_moving_docs(link):
        yield _warn("moving-docs-link", sub, item, index,
                    f"{link.text} is on a moving channel; link a versioned page")
    if link.host and is_private_host(link.host):
        yield _warn("private-host", sub, item, index,
                    f"{link.host} is private or needs a login: reviewers cannot open it")
    other = {m for m in _K8S_MINOR.findall(link.text) if m != version.split(".")[1]}
    if other:
        versions = ", ".join(f"v1.{m}" for m in sorted(other))
        yield _warn("other-version-evidence", sub, item, index,
                    f"{link.text} refers to {versions}, this submission is v{version}")
    if not link.is_url:
        yield from _local_findings(sub, item, index, link.text)


def _local_findings(sub: Submission, item: Entry, index: int, text: str) -> Iterator[Finding]:
    folder = sub.path.parent
    literal = Path(os.path.normpath(f"{folder}/{text.split('#', 1)[0]}"))
    target = _local_target(sub, text)
    if not literal.is_relative_to(folder):
        yield _warn("evidence-path-escapes", sub, item, index,
                    f"{text!r} leaves the product folder; evidence must sit beside PRODUCT.yaml")
    elif target is not None and target.is_symlink():
        yield _warn("evidence-symlink", sub, item, index,
                    f"{text!r} is a symbolic link; commit the file itself")


def _local_target(sub: Submission, text: str) -> Path | None:
    """The file a local link names as CI reads it since hybrid verification (``file://``, the
    own ``vX.Y/<dir>/`` prefix and the ``#fragment`` dropped); None if it leaves the folder."""
    resolved, detail = resolve_evidence(sub.ci_dir, text)
    if isinstance(detail, dict):
        return None
    return sub.path.parent / posixpath.relpath(resolved, posixpath.normpath(sub.ci_dir))


def _executed(sub: Submission, link: Link) -> bool:
    """Executed artifacts, including in-PR pages that carry commands with their output."""
    if link.executed:
        return True
    if link.is_url or link.kind != "local-file":
        return False
    target = _local_target(sub, link.text)
    if target is None or not target.is_file() or target.is_symlink():
        return False
    with target.open("rb") as handle:
        head = handle.read(_PAGE_PEEK_BYTES).decode("utf-8", "replace")
    return "```" in head and bool(re.search(r"^\s*(\$ )?kubectl ", head, re.M))


def _warn(rule: str, sub: Submission, item: Entry, index: int | None, message: str) -> Finding:
    at = ("spec", item.category, item.index, "evidence")
    line = sub.line(*at, index) if index is not None else sub.line(*at)
    return Finding(rule, "warning", item.id, message, line)
