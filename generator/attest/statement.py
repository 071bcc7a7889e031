"""The in-toto Statement of a built output: every published file by digest, and what run,
checklist, cluster and verdicts they came from.

Subjects are named by their path in the build output (``site/...``, ``submission/...``), so
the same attestation verifies a whole build, a published site folder or the submission
folder in a pull request. The attestation file itself is never one of its subjects.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator.bundle import Bundle
from generator.errors import InputError
from generator.evidence.model import THIS_TOOL, ClusterProbe, RunRecord
from generator.fsutil import sha256_file
from generator.layout import ATTESTATION_FILE, SiteOut, submission_root

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"
PREDICATE_TYPE = "https://k8s-ai-evidence.dev/attestation/evidence-run/v1"
# the build output's published parts, named as in OUT: the subjects' prefixes
ROOTS = (SiteOut(Path()).site.name, submission_root(Path()).name)


def walk(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every entry under ``folder`` as (posix path relative to it, path), links included and
    never followed, attestation files left out."""
    for top, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files + [d for d in dirs if Path(top, d).is_symlink()]):
            path = Path(top, name)
            if name != ATTESTATION_FILE:
                yield path.relative_to(folder).as_posix(), path


def subjects(out_dir: Path) -> list[dict[str, Any]]:
    found = []
    for root in ROOTS:
        for relative, path in walk(out_dir / root):
            if path.is_symlink():
                raise InputError(f"{path}: a link; an attested build holds files only")
            found.append({"name": f"{root}/{relative}", "digest": {"sha256": sha256_file(path)}})
    return found


def cluster_fingerprint(run: RunRecord | None) -> dict[str, Any]:
    """What identifies the cluster the run met, without names, addresses or secrets."""
    probe = run.probe if run else ClusterProbe()
    nodes = probe.nodes or ()
    models = sorted({model for node in nodes if (model := node.accelerator_model)})
    return {"serverVersion": run.server_version if run else None,
            "kubeSystemUid": probe.cluster.kube_system_uid if probe.cluster else None,
            "nodeCount": len(nodes), "acceleratorModels": models}


def predicate(bundle: Bundle) -> dict[str, Any]:
    run = bundle.tree.run
    checklist = bundle.checklist
    metadata = bundle.workspace.platform.get("metadata") or {}
    return {
        "tool": THIS_TOOL.to_json(),
        "product": {"platformName": metadata.get("platformName"),
                    "platformVersion": metadata.get("platformVersion"),
                    "vendorName": metadata.get("vendorName"),
                    "example": bundle.workspace.is_example},
        "checklist": {"version": bundle.workspace.tag,
                      "sha256": sha256_file(checklist.path) if checklist else None},
        "run": {"mode": run and run.mode.value, "startedAt": run and run.started_at,
                "finishedAt": run and run.finished_at},
        "requirements": [{"id": view.id, "level": view.level, "status": view.status,
                          "conformance": view.conformance} for view in bundle.requirements],
        "cluster": cluster_fingerprint(run),
        "attestedAt": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    }


def statement(out_dir: Path, bundle: Bundle) -> dict[str, Any]:
    return {"_type": STATEMENT_TYPE, "subject": subjects(out_dir),
            "predicateType": PREDICATE_TYPE, "predicate": predicate(bundle)}
