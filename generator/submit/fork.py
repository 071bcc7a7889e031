"""Refuse, before anything is touched, a folder that is not a clean checkout of (a fork of)
cncf/k8s-ai-conformance, or whose target folder holds another product."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import git

from generator.errors import EnvironmentProblem, InputError
from generator.fsutil import plain_segments
from generator.layout import CHECKLIST_DOCS, CHECKLIST_GLOB, PRODUCT_FILE, is_conformance_checkout
from generator.yamldoc import YamlError, load_yaml

_IN_PROGRESS = {"MERGE_HEAD": "a merge", "rebase-merge": "a rebase", "rebase-apply": "a rebase",
                "CHERRY_PICK_HEAD": "a cherry-pick", "REVERT_HEAD": "a revert",
                "BISECT_LOG": "a bisect"}
IDENTITY = ("platformName", "vendorName")  # what makes a folder someone's product


def open_checkout(path: Path, purpose: str = "--fork") -> git.Repo:
    """The repository at ``path``, clean, on a commit, with nothing in progress."""
    try:
        repo = git.Repo(path)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise InputError(f"{purpose} {path}: not a git repository") from None
    if repo.bare:
        raise InputError(f"{purpose} {path}: a bare repository has no working tree")
    if Path(repo.working_tree_dir or "").resolve() != path.resolve():
        raise InputError(f"{purpose} {path}: not the top of the checkout "
                         f"({repo.working_tree_dir})")
    git_dir = Path(repo.git_dir)
    for marker, what in _IN_PROGRESS.items():
        if (git_dir / marker).exists():
            raise InputError(f"{purpose} {path}: {what} is in progress; finish or abort it first")
    if not repo.head.is_valid():
        raise InputError(f"{purpose} {path}: the repository has no commit yet")
    dirty = [line[3:] for line in repo.git.status("--porcelain").splitlines()]
    if dirty:
        more = f" and {len(dirty) - 3} more" if len(dirty) > 3 else ""
        raise InputError(f"{purpose} {path}: uncommitted changes ({', '.join(dirty[:3])}{more});"
                         " commit or stash them first")
    return repo


def open_fork(path: Path) -> git.Repo:
    """A clean checkout of cncf/k8s-ai-conformance: it holds the official checklists."""
    if not path.is_dir():
        raise InputError(f"--fork {path}: no such folder")
    if not is_conformance_checkout(path):
        raise InputError(f"--fork {path}: not a checkout of cncf/k8s-ai-conformance "
                         f"(no {CHECKLIST_DOCS}/{CHECKLIST_GLOB})")
    repo = open_checkout(path)
    author = repo.config_reader()
    if not (author.get_value("user", "name", "") and author.get_value("user", "email", "")):
        raise EnvironmentProblem(f"--fork {path}: git has no author (set git config user.name "
                                 "and user.email)")
    return repo


def check_folder(folder: str) -> None:
    """``vX.Y/<product-dir>``: exactly one plain folder name under the version folder."""
    parts = plain_segments(folder)
    if parts is None or len(parts) != 2 or not re.fullmatch(r"v\d+\.\d+", parts[0]):
        raise InputError(f"--product-dir {folder.partition('/')[2]!r}: one plain folder name "
                         "under the version folder (letters, digits, '.', '_', '-'), such as "
                         "acme-kubernetes")


def check_owner(repo: git.Repo, folder: str, metadata: dict[str, Any]) -> None:
    """The folder at HEAD must be absent or hold the same product (an update)."""
    try:
        tree = repo.head.commit.tree / folder
    except KeyError:
        tree = None
    if tree is not None and tree.type != "tree":
        raise InputError(f"{folder} is a file in the fork, not a product folder")
    if (Path(repo.working_tree_dir or ".") / folder).exists() and tree is None:
        raise InputError(f"{folder} exists in the fork but git does not track it (ignored by "
                         ".gitignore?); a commit could not hold the submission")
    if tree is None:
        return
    try:
        blob = tree / PRODUCT_FILE
    except KeyError:
        raise InputError(f"{folder} already holds files but no {PRODUCT_FILE}; it is not a "
                         "product folder to update: choose another --product-dir") from None
    theirs = _their_metadata(blob)
    if theirs is None:
        raise InputError(f"{folder}/{PRODUCT_FILE} in the fork is not a readable PRODUCT.yaml "
                         "mapping, so whose product it is cannot be told; choose another "
                         "--product-dir")
    differs = [k for k in IDENTITY if str(theirs.get(k, "")).strip() != str(metadata.get(k,
               "")).strip()]
    if differs:
        shown = ", ".join(f"{k} {theirs.get(k)!r}" for k in differs)
        raise InputError(f"{folder}/{PRODUCT_FILE} belongs to another product ({shown}); choose "
                         "another folder with --product-dir")


def _their_metadata(blob: git.Blob) -> dict[str, Any] | None:
    """The metadata mapping of a PRODUCT.yaml at HEAD, or None when it cannot be read."""
    try:
        data = load_yaml(Path(blob.path), text=blob.data_stream.read().decode("utf-8")).data
    except (YamlError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    metadata = data.get("metadata") or {}
    return metadata if isinstance(metadata, dict) else None


def check_ignored(repo: git.Repo, folder: str) -> None:
    """Files git ignores would be written but never committed: refuse before writing."""
    try:
        ignored = repo.git.check_ignore("--no-index", "--", f"{folder}/{PRODUCT_FILE}")
    except git.GitCommandError:  # exit 1: not ignored
        return
    raise InputError(f"{ignored} is ignored by the fork's .gitignore; git would not commit it: "
                     "choose another --product-dir or fix .gitignore")


def check_branch_free(repo: git.Repo, branch: str) -> None:
    if branch in repo.heads:
        raise InputError(f"branch {branch!r} already exists in {repo.working_tree_dir}; delete "
                         "it or pass --branch NAME (nothing is ever overwritten)")
    try:
        repo.git.check_ref_format("--branch", branch)
    except git.GitCommandError:
        raise InputError(f"--branch {branch!r}: not a valid branch name") from None
