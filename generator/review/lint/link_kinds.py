"""Classify evidence links: what kind of artifact, pinned or moving, on which host.

The kinds matter to reviewers: documentation says a feature exists, an executed artifact
(log, transcript, script, test result) shows it worked on this platform.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

EXECUTED_KINDS = frozenset({"log", "test-result", "script", "transcript", "ci-run"})

_COMMIT = re.compile(r"[0-9a-f]{40}")
_GITHUB_REF = re.compile(r"^/[^/]+/[^/]+/(?:blob|tree|raw)/([^/]+)")
_RAW_REF = re.compile(r"^/[^/]+/[^/]+/(?:refs/(?:heads|tags)/)?([^/]+)")
_MOVING = re.compile(r"/(latest|next|head|nightly|dev)(/|$)", re.I)
_PRIVATE_HOSTS = re.compile(
    r"(^|\.)(docs\.google\.com|drive\.google\.com|sharepoint\.com|onedrive\.live\.com"
    r"|atlassian\.net|notion\.so|dropbox\.com|box\.com|slack\.com|feishu\.cn|larksuite\.com"
    r"|yuque\.com)$|^(localhost|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+)$")
_BY_SUFFIX = {
    ".log": "log", ".out": "log", ".txt": "log",
    ".xml": "test-result", ".json": "test-result", ".tap": "test-result",
    ".sh": "script", ".py": "script", ".go": "script", ".bash": "script",
}
_TRANSCRIPT_WORDS = re.compile(r"test|result|transcript|output|evidence|e2e|junit|run", re.I)


@dataclass(frozen=True)
class Link:
    text: str
    kind: str  # documentation, repository, log, test-result, script, transcript, ci-run, local-file
    host: str | None
    pinned: bool | None  # None where the idea does not apply (local files, plain docs)
    ref: str | None = None  # a GitHub branch, tag or commit

    @property
    def executed(self) -> bool:
        return self.kind in EXECUTED_KINDS

    @property
    def is_url(self) -> bool:
        return self.host is not None


def classify(link: str) -> Link:
    """What a reviewer would call this evidence entry."""
    if not link.startswith(("http://", "https://")):
        return Link(link, _kind_of_path(link, local=True), None, None)
    parts = urlsplit(link)
    host = (parts.hostname or "").lower()
    path = unquote(parts.path)
    ref = _github_ref(host, path)
    if host == "github.com" and "/actions/runs/" in path:
        return Link(link, "ci-run", host, True, ref)
    kind = _kind_of_path(path, local=False)
    if ref is not None:
        if kind == "documentation":
            kind = "transcript" if _TRANSCRIPT_WORDS.search(path) else "repository"
        return Link(link, kind, host, bool(_COMMIT.fullmatch(ref)), ref)
    if host in ("gist.github.com", "gist.githubusercontent.com"):
        return Link(link, "transcript" if kind == "documentation" else kind, host, None)
    return Link(link, kind, host, False if _MOVING.search(path) else None)


def _kind_of_path(path: str, local: bool) -> str:
    name = path.rsplit("/", 1)[-1].split("#", 1)[0].lower()
    suffix = name[name.rfind("."):] if "." in name else ""
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if local:
        return "transcript" if _TRANSCRIPT_WORDS.search(name) else "local-file"
    return "documentation"


def _github_ref(host: str, path: str) -> str | None:
    if host == "github.com":
        match = _GITHUB_REF.match(path)
    elif host == "raw.githubusercontent.com":
        match = _RAW_REF.match(path)
    else:
        return None
    return match.group(1) if match else None


def is_private_host(host: str) -> bool:
    return bool(_PRIVATE_HOSTS.search(host))


def is_moving_docs(link: Link) -> bool:
    return link.is_url and link.ref is None and link.pinned is False
