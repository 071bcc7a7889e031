"""A parsed ``AIConformance-1.NN.yaml``: requirements in checklist order, with their source."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from generator.errors import InputError
from generator.schemas import validate_document
from generator.yamldoc import YamlDocument, load_yaml

_VERSION = re.compile(r"v?(1\.\d+)")


def normalize_version(text: str) -> str:
    """``v1.35``, ``1.35`` or ``v1.35.2`` -> ``1.35``; anything else is a usage error."""
    match = _VERSION.fullmatch(text.strip()) or re.fullmatch(r"v?(1\.\d+)\.\d+", text.strip())
    if not match:
        raise InputError(f"not a Kubernetes minor version: {text!r} (expected e.g. v1.35)")
    return match.group(1)


def category_title(key: str) -> str:
    """A checklist section key in words: ``schedulingOrchestration`` -> ``Scheduling
    orchestration`` (the checklist names its sections only by these keys)."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key).split()
    text = " ".join(w if w.isupper() else w.lower() for w in words)
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Requirement:
    id: str
    category: str
    level: str
    description: str

    @property
    def is_must(self) -> bool:
        return self.level == "MUST"


@dataclass(frozen=True)
class Checklist:
    version: str  # "1.35"
    requirements: tuple[Requirement, ...]
    source: str  # where it was loaded from, shown to the user
    path: Path

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    @property
    def categories(self) -> list[str]:
        return list(dict.fromkeys(r.category for r in self.requirements))

    def get(self, requirement_id: str) -> Requirement | None:
        return next((r for r in self.requirements if r.id == requirement_id), None)

    @classmethod
    def load(cls, path: Path, version: str, source: str | None = None,
             text: str | None = None) -> Checklist:
        """Parse and schema-check a checklist file (or ``text`` given for ``path``)."""
        doc = load_yaml(path, text=text)
        validate_document(doc, "checklist")
        return cls.from_document(doc, version, source or str(path))

    @classmethod
    def from_document(cls, doc: YamlDocument, version: str, source: str) -> Checklist:
        declared = str((doc.data.get("metadata") or {}).get("kubernetesVersion", ""))
        if declared and declared.lstrip("v") != version:
            raise InputError(
                f"{doc.path}:{doc.line('metadata', 'kubernetesVersion')}: checklist is for "
                f"{declared}, expected v{version}")
        requirements = tuple(
            Requirement(id=str(item["id"]), category=category, level=str(item["level"]),
                        description=str(item["description"]))
            for category, items in doc.data["spec"].items()
            for item in items
        )
        return cls(version=version, requirements=requirements, source=source, path=doc.path)
