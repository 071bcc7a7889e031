"""Find the official checklist for a Kubernetes minor, in a documented order.

1. ``--checklist FILE``; 2. ``--conformance-repo DIR`` (``DIR/docs/AIConformance-1.NN.yaml``);
3. ``$K8S_AI_CONFORMANCE_REPO``; 4. the user cache, filled by ``checklist fetch``.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.checklist.model import Checklist, normalize_version
from generator.errors import EnvironmentProblem, InputError
from generator.layout import checklist_filename, checkout_checklist

REPO_ENV = "K8S_AI_CONFORMANCE_REPO"
CACHE_ENV = "K8S_AI_EVIDENCE_CACHE"


def cache_dir() -> Path:
    """The user cache (``$K8S_AI_EVIDENCE_CACHE`` overrides, e.g. in tests)."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    import platformdirs  # only when the cache is really looked at

    return Path(platformdirs.user_cache_dir("k8s-ai-evidence"))


def cached_checklist_path(version: str) -> Path:
    return cache_dir() / "checklists" / checklist_filename(version)


def candidate_paths(version: str, checklist_file: Path | None = None,
                    conformance_repo: Path | None = None) -> list[tuple[str, Path]]:
    """Every place looked at, in order, each with a label saying why it was looked at."""
    candidates: list[tuple[str, Path]] = []
    if checklist_file:
        candidates.append(("--checklist", checklist_file))
    if conformance_repo:
        candidates.append(("--conformance-repo", checkout_checklist(conformance_repo, version)))
    if os.environ.get(REPO_ENV):
        candidates.append(
            (f"${REPO_ENV}", checkout_checklist(Path(os.environ[REPO_ENV]), version)))
    candidates.append(("cache", cached_checklist_path(version)))
    return candidates


def resolve_checklist(version: str, checklist_file: Path | None = None,
                      conformance_repo: Path | None = None) -> Checklist:
    """Load the checklist for ``version`` or raise exit 3 saying exactly how to provide one."""
    version = normalize_version(version)
    candidates = candidate_paths(version, checklist_file, conformance_repo)
    if checklist_file and not checklist_file.is_file():
        raise InputError(f"--checklist {checklist_file}: no such file")
    if conformance_repo and not conformance_repo.is_dir():
        raise InputError(f"--conformance-repo {conformance_repo}: no such folder")
    if checklist_file or conformance_repo:  # the source asked for, never another one instead
        candidates = candidates[:1]
    for label, path in candidates:
        if path.is_file():
            return Checklist.load(path, version, source=f"{path} ({label})")
    looked = "; ".join(f"{label}: {path}" for label, path in candidates)
    raise EnvironmentProblem(
        f"no official checklist for v{version} found (looked at {looked}). Provide one with "
        f"--checklist FILE, --conformance-repo DIR (a checkout of cncf/k8s-ai-conformance: "
        f"git clone https://github.com/cncf/k8s-ai-conformance), ${REPO_ENV}=DIR, or run "
        f"'k8s-ai-evidence checklist fetch v{version}' once to cache it")

