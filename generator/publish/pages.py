"""Commit a built site into a pages branch under a new, versioned path.

Evidence links must never move: a path already on the branch is never written again, and
nothing outside the new path changes (apart from ``.nojekyll`` at the root, added once).
The work happens in a temporary worktree, so the vendor's own checkout is never switched.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import git

from generator import safefs
from generator.errors import InputError, ToolError
from generator.layout import check_published_path, is_conformance_checkout
from generator.submit.fork import open_checkout

_GITHUB_PAGES = re.compile(r"^https?://([A-Za-z0-9-]+)\.github\.io/([A-Za-z0-9._-]+)", re.I)


@dataclass(frozen=True)
class Published:
    branch: str
    path: str
    commit: str
    files: int
    pushed: str | None


def check_repository(repo: git.Repo, site_url: str | None) -> None:
    """Refuse the program's own repository, and a repository that cannot serve site.url."""
    root = Path(repo.working_tree_dir or ".")
    if is_conformance_checkout(root):
        raise InputError(f"--repo {root}: this is a checkout of cncf/k8s-ai-conformance; "
                         "publish into your own repository (the one serving site.url)")
    match = _GITHUB_PAGES.match(site_url or "")
    urls = [u for remote in repo.remotes for u in remote.urls]
    if not match or not urls:
        return
    owner, name = match.group(1).lower(), match.group(2).lower().removesuffix(".git")
    wanted = re.compile(rf"github\.com[:/]{re.escape(owner)}/{re.escape(name)}(\.git)?/?$", re.I)
    if not any(wanted.search(u) for u in urls):
        raise InputError(f"--repo {root}: no remote is github.com/{owner}/{name}, which serves "
                         f"site.url {site_url}; remotes: {', '.join(urls)}")


def publish(repo_dir: Path, site_dir: Path, branch: str, path: str,
            site_url: str | None = None, push: str | None = None) -> Published:
    if not (site_dir / "index.html").is_file():
        raise InputError(f"{site_dir}: no built site (index.html) here; run build first")
    path = check_published_path(path)
    repo = open_checkout(repo_dir, "--repo")
    check_repository(repo, site_url)
    if not repo.head.is_detached and repo.active_branch.name == branch:
        raise InputError(f"--repo {repo_dir}: {branch} is checked out there; switch to another "
                         "branch first (publish never touches your working tree)")
    if push and push not in [r.name for r in repo.remotes]:
        raise InputError(f"--push {push}: no such remote in {repo_dir}")
    exists = branch in repo.heads
    if exists:
        _check_new_path(repo.heads[branch].commit, branch, path)
    scratch = Path(tempfile.mkdtemp(prefix="k8s-ai-evidence-pages-"))
    worktree = scratch / "pages"
    try:
        commit, files = _commit_in_worktree(repo, worktree, site_dir, branch, path, exists)
    except git.GitCommandError as exc:  # e.g. the branch checked out in another worktree
        said = exc.stderr.strip().removeprefix("stderr: ").strip("'").splitlines()
        raise ToolError(f"git failed, nothing published: {said[-1] if said else exc}") from None
    finally:
        if worktree.exists():
            repo.git.worktree("remove", "--force", str(worktree))
        repo.git.worktree("prune")
        shutil.rmtree(scratch, ignore_errors=True)
    if push:
        repo.remote(push).push(f"refs/heads/{branch}")
    return Published(branch, path, commit, files, push)


def _has_path(commit: git.Commit, path: str) -> bool:
    try:
        commit.tree / path
    except KeyError:
        return False
    return True


def _check_new_path(commit: git.Commit, branch: str, path: str) -> None:
    """The path is new and lies inside no published site: a published tree never changes."""
    if _has_path(commit, path):
        raise InputError(f"{branch}:{path} is already published and evidence links point at "
                         "it: it never changes; choose a new --path")
    parts = path.split("/")
    for depth in range(1, len(parts)):
        above = "/".join(parts[:depth])
        if _has_path(commit, f"{above}/index.html"):
            raise InputError(f"--path {path}: inside {branch}:{above}, a published site that "
                             "never changes; choose a path beside it")
        try:
            if (commit.tree / above).type != "tree":
                raise InputError(f"--path {path}: {branch}:{above} is a file")
        except KeyError:
            return


def _commit_in_worktree(repo: git.Repo, worktree: Path, site_dir: Path, branch: str,
                        path: str, exists: bool) -> tuple[str, int]:
    if exists:
        repo.git.worktree("add", str(worktree), branch)
        pages = git.Repo(worktree)
    else:  # a new orphan branch: no history of the vendor's code in the pages branch
        repo.git.worktree("add", "--detach", str(worktree), "HEAD")
        pages = git.Repo(worktree)
        pages.git.checkout("--orphan", branch)
        pages.git.rm("-rfq", "--cached", "--ignore-unmatch", ".")  # HEAD may hold no file
        for child in worktree.iterdir():
            if child.name != ".git":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    target = worktree / path
    safefs.walk(site_dir)  # a link in the site would publish its target: refuse it
    shutil.copytree(site_dir, target)
    (worktree / ".nojekyll").touch()  # serve folders starting with _ as they are
    pages.git.add("--", path, ".nojekyll")
    files = sum(1 for p in target.rglob("*") if p.is_file())
    pages.git.commit("-m", f"Publish the evidence site at {path}\n\n{files} files, "
                     "published by k8s-ai-evidence; earlier paths are never changed.")
    return pages.head.commit.hexsha, files
