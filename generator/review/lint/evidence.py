"""Lint of evidence entries: executed or documentation only, pinned or moving, where it lives."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from generator.checklist import Checklist
from generator.evidence.model import Conformance
from generator.review.findings import Finding
from generator.review.lint.link_kinds import Link, classify, is_moving_docs, is_private_host
from generator.review.submission import Entry, Submission

_K8S_MINOR = re.compile(r"(?:^|[/_.=-])(?:v|release-|k8s-|kubernetes-)?1\.(\d{2})(?=$|[/_.#?-])")
_PAGE_PEEK_BYTES = 256 * 1024


def findings(sub: Submission, checklist: Checklist) -> Iterator[Finding]:
    for item in sub.entries:
        links = [classify(e) for e in item.evidence if e]
        if item.status == Conformance.IMPLEMENTED and links and not any(
            _executed(sub.path.parent, link) for link in links
        ):
            yield _warn("documentation-only", sub, item, None,
                        f"{item.id} cites documentation only: add an executed artifact (a log, "
                        "transcript, script or test result from this platform)")
        for index, link in enumerate(links):
            yield from _link_findings(sub, item, index, link, checklist.version)


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
    target = Path(os.path.normpath(f"{folder}/{text.split('#', 1)[0]}"))
    if not target.is_relative_to(folder):
        yield _warn("evidence-path-escapes", sub, item, index,
                    f"{text!r} leaves the product folder; evidence must sit beside PRODUCT.yaml")
    elif target.is_symlink():
        yield _warn("evidence-symlink", sub, item, index,
                    f"{text!r} is a symbolic link; commit the file itself")


def _executed(folder: Path, link: Link) -> bool:
    """Executed artifacts, including in-PR pages that carry commands with their output."""
    if link.executed:
        return True
    if link.is_url or link.kind != "local-file":
        return False
    target = Path(os.path.normpath(f"{folder}/{link.text.split('#', 1)[0]}"))
    if not target.is_relative_to(folder) or not target.is_file() or target.is_symlink():
        return False
    with target.open("rb") as handle:
        head = handle.read(_PAGE_PEEK_BYTES).decode("utf-8", "replace")
    return "```" in head and bool(re.search(r"^\s*(\$ )?kubectl ", head, re.M))


def _warn(rule: str, sub: Submission, item: Entry, index: int | None, message: str) -> Finding:
    at = ("spec", item.category, item.index, "evidence")
    line = sub.line(*at, index) if index is not None else sub.line(*at)
    return Finding(rule, "warning", item.id, message, line)
