"""A workspace: ``platform.yaml`` plus the evidence tree ``evidence/vX.Y/<requirement_id>/``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.evidence.model import Declaration
from generator.layout import PLATFORM_FILE, evidence_dir
from generator.schemas import validate_document
from generator.yamldoc import load_yaml


@dataclass(frozen=True)
class Workspace:
    root: Path
    platform: dict[str, Any]

    @property
    def version(self) -> str:
        """The Kubernetes minor without the ``v``, e.g. ``1.35``."""
        return self.tag.lstrip("v")

    @property
    def tag(self) -> str:
        return str(self.platform["kubernetesVersion"])

    @property
    def evidence_dir(self) -> Path:
        return evidence_dir(self.root, self.tag)

    @property
    def is_example(self) -> bool:
        return bool(self.platform.get("example", False))

    def requirement_config(self, requirement_id: str) -> dict[str, Any]:
        return dict((self.platform.get("requirements") or {}).get(requirement_id) or {})

    def declaration(self, requirement_id: str) -> Declaration | None:
        """A human's ``status``/``reason`` for a requirement instead of collected evidence."""
        config = self.requirement_config(requirement_id)
        return Declaration.from_json(config) if "status" in config else None

    def with_versioned_path(self, path: str) -> Workspace:
        """The same workspace published under another immutable path (a scheduled run's)."""
        site = {**(self.platform.get("site") or {}), "versionedPath": path}
        return Workspace(self.root, {**self.platform, "site": site})

    @classmethod
    def load(cls, root: Path) -> Workspace:
        path = root / PLATFORM_FILE
        if not os.path.lexists(path):  # a folder, FIFO or broken link: load_yaml says which
            raise InputError(
                f"{path}: no platform.yaml here; create a workspace with "
                f"'k8s-ai-evidence init DIR --kubernetes-version v1.35' or pass --workspace DIR")
        doc = load_yaml(path)
        validate_document(doc, "platform")
        workspace = cls(root=root, platform=doc.data)
        for folder in (workspace.evidence_dir.parent, workspace.evidence_dir):
            if os.path.lexists(folder) and not folder.is_dir():  # every command would stumble
                raise InputError(f"{folder}: not a folder; the evidence tree is "
                                 f"evidence/{workspace.tag}/<requirement>/ (move the file away)")
        return workspace
