"""A PRODUCT.yaml read exactly as CNCF CI reads it: Go strings, last duplicate id wins."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.review.findings import Finding
from generator.review.rules import RULES
from generator.schemas import SchemaIssue, format_path, schema_issues
from generator.yamldoc import (
    DEFAULT_MAX_BYTES,
    FileTooLarge,
    YamlDocument,
    YamlError,
    load_yaml,
)

_CI_VERSION = re.compile(r"(?:^|/)(v\d+\.\d+)/")


@dataclass(frozen=True)
class Entry:
    """One requirement of the submission as Go decodes it into ``Requirement``."""

    id: str
    category: str
    index: int
    description: str
    level: str
    status: str
    notes: str
    evidence: tuple[str, ...]
    line: int | None


@dataclass
class Submission:
    path: Path
    ci_path: str  # the path as CNCF CI is given it: relative to the checkout root
    doc: YamlDocument | None = None
    load_errors: list[Finding] = field(default_factory=list)
    format_issues: list[SchemaIssue] = field(default_factory=list)

    @property
    def version_tag(self) -> str | None:
        """``v1.34`` from the path, with CI's own pattern."""
        match = _CI_VERSION.search(self.ci_path)
        return match.group(1) if match else None

    @property
    def ci_dir(self) -> str:
        return self.ci_path.rpartition("/")[0] or "."

    @property
    def data(self) -> dict[str, Any]:
        return (self.doc.data if self.doc else None) or {}

    @property
    def metadata(self) -> dict[str, Any] | None:
        return self.data.get("metadata")

    @property
    def spec(self) -> dict[str, Any] | None:
        return self.data.get("spec")

    def line(self, *keys: str | int) -> int | None:
        return self.doc.line(*keys) if self.doc else None

    def go_string(self, *keys: str | int) -> str:
        """A scalar as Go reads it into a ``string`` field: null is "", others keep their text."""
        value = _dig(self.data, keys)
        if value is None:
            return ""
        return self.doc.raw.get(keys, str(value)) if self.doc else str(value)

    @cached_property
    def entries(self) -> tuple[Entry, ...]:
        """Every requirement in document order (duplicates included)."""
        raw = self.doc.raw if self.doc else {}

        def text(keys: tuple[str | int, ...], value: Any) -> str:  # as go_string, found once
            return "" if value is None else raw.get(keys, str(value))

        result = []
        for category, items in (self.spec or {}).items():
            for index in range(len(items or [])):
                at = ("spec", category, index)
                item = _dig(self.data, at)
                fields = item if isinstance(item, dict) else {}
                evidence = fields.get("evidence") or []
                links = evidence if isinstance(evidence, list) else [None] * len(evidence)
                result.append(Entry(
                    id=text((*at, "id"), fields.get("id")),
                    category=category,
                    index=index,
                    description=text((*at, "description"), fields.get("description")),
                    level=text((*at, "level"), fields.get("level")),
                    status=text((*at, "status"), fields.get("status")),
                    notes=text((*at, "notes"), fields.get("notes")),
                    evidence=tuple(text((*at, "evidence", i), link)
                                   for i, link in enumerate(links)),
                    line=self.line(*at),
                ))
        return tuple(result)


_REQUIREMENT_FIELDS = frozenset({"id", "description", "level", "status", "evidence", "notes"})


def _go_struct_fields(at: tuple[str | int, ...]) -> bool:
    """Only what CI's structs hold is decoded: unknown keys are skipped, as yaml.v3 does."""
    if len(at) == 1:
        return at[0] in ("metadata", "spec")
    if len(at) == 4 and at[0] == "spec":
        return at[3] in _REQUIREMENT_FIELDS
    return True


def _dig(data: Any, keys: tuple[str | int, ...]) -> Any:
    for key in keys:
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


def load_submission(path: Path, ci_path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Submission:
    """Load and type-check; anything CI could not load becomes a ``ci-unloadable`` error."""
    submission = Submission(path=path, ci_path=ci_path)
    try:
        submission.doc = load_yaml(path, max_bytes=max_bytes, wanted=_go_struct_fields)
    except FileTooLarge as exc:
        submission.load_errors.append(Finding(
            rule="unreadable", severity="error", requirement=None,
            message=f"not reviewed: {exc.reason}"))
        return submission
    except YamlError as exc:
        submission.load_errors.append(Finding(
            rule="ci-unloadable",
            severity="error",
            requirement=None,
            message=f"CNCF CI cannot load this file: {exc.reason}",
            line=exc.line,
            ci=RULES["ci-unloadable"].line(reason=exc.reason),
        ))
        return submission
    for issue in schema_issues(submission.doc.data, "product"):
        if issue.keyword in ("format", "pattern"):
            submission.format_issues.append(issue)
        else:
            submission.load_errors.append(_unloadable(submission.doc, issue))
    return submission


def _unloadable(doc: YamlDocument, issue: SchemaIssue) -> Finding:
    line = doc.line(*issue.path)
    value = _dig(doc.data, issue.path)
    expected = "a list" if issue.path and issue.path[-1] == "evidence" else "another type"
    requirement = None
    if len(issue.path) >= 3 and issue.path[0] == "spec":
        requirement = str(_dig(doc.data, (*issue.path[:3], "id")) or "") or None
    kind = type(value).__name__ if value is not None else "null"
    return Finding(
        rule="ci-unloadable",
        severity="error",
        requirement=requirement,
        message=(f"CNCF CI cannot load this file: {format_path(issue.path)} is a {kind}"
                 f" ({_short(value)}), it must be {expected}; CI rejects the whole file"),
        line=line,
        ci=RULES["ci-unloadable"].line(
            reason=f"unmarshal errors:\n  line {line}: cannot unmarshal {_short(value)}"),
    )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
