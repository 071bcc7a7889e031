"""The offline rules of CNCF's validator (scripts/validate.go in cncf/k8s-ai-conformance).

Reproduced with their quirks, because a vendor needs to know what CI will say, not what it
should say: every MUST has to be ``Implemented`` (also the conditional ones), productLogoUrl
is required although the instructions call it optional, k8sConformanceUrl is required for
every version although the 1.36 template omits it, an evidence entry that is not an http(s)
URL is a path looked up literally (``#anchors``, ``%20`` and prose included), and for a
requirement listed twice only the last one counts. Each finding carries CI's own line in
``ci`` and, where CI's line would puzzle, the reason in ``message``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.checklist import Checklist
from generator.evidence.model import Conformance
from generator.review.findings import Finding
from generator.review.submission import Entry, Submission
from generator.yamlscalar import Timestamp

VALID_STATUSES = tuple(c.value for c in Conformance)  # in validate.go's order
METADATA_FIELDS = (
    ("kubernetesVersion", True), ("platformName", True), ("platformVersion", True),
    ("vendorName", True), ("websiteUrl", True), ("repoUrl", False), ("documentationUrl", True),
    ("productLogoUrl", True), ("description", True), ("contactEmailAddress", True),
    ("k8sConformanceUrl", True),
)
K8S_CONFORMANCE_URL = re.compile(
    r"https://github\.com/cncf/k8s-conformance/tree/(master|main)/v\d+\.\d+/[^/]+/?")
LOGO_SUFFIXES = (".svg", ".eps", ".ai")


def snake_case(name: str) -> str:
    """Go's toSnakeCase from the validator: ``k8sConformanceUrl`` -> ``k8s_conformance_url``."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def metadata_value(metadata: dict[str, Any], name: str) -> tuple[str, Any]:
    """CI looks up camelCase first and only if that key is absent its snake_case form."""
    key = name if name in metadata else snake_case(name)
    return key, metadata.get(key)


def yaml_type(value: Any) -> str:
    """The YAML word for a decoded value's type, as a vendor would understand it."""
    if isinstance(value, bool):
        return "boolean"
    return {int: "number", float: "number", list: "list", dict: "mapping"}.get(
        type(value), "timestamp" if isinstance(value, Timestamp) else "non-string value")


def _error(rule: str, ci: str, message: str | None = None, requirement: str | None = None,
           line: int | None = None) -> Finding:
    return Finding(rule=rule, severity="error", requirement=requirement,
                   message=message or ci, line=line, ci=ci)


def metadata_findings(sub: Submission) -> Iterator[Finding]:
    metadata = sub.metadata
    if metadata is None:
        yield _error("ci-metadata-missing", "Missing 'metadata' section", line=1)
        return
    for name, required in METADATA_FIELDS:
        key, value = metadata_value(metadata, name)
        line = sub.line("metadata", key)
        if value is None:
            if required:
                yield _error("ci-metadata-missing",
                             f"Missing metadata field: {name} (or {snake_case(name)})", line=line)
            continue
        if not isinstance(value, str):
            yield _error("ci-metadata-not-string", f"Metadata field {name} is not a string",
                         f"Metadata field {name} is not a string: YAML reads {value} as a "
                         f"{yaml_type(value)}; quote it", line=line)
        elif value == "":
            if required:
                yield _error("ci-metadata-empty", f"Metadata field {name} is empty", line=line)
        elif value.startswith("[") and value.endswith("]"):
            yield _error("ci-metadata-placeholder",
                         f"Metadata field {name} has placeholder value: {value}", line=line)
        elif name == "k8sConformanceUrl":
            if not K8S_CONFORMANCE_URL.fullmatch(value):
                yield _error(
                    "ci-k8s-conformance-url",
                    f"Invalid k8sConformanceUrl format: {value}. Expected format: "
                    "https://github.com/cncf/k8s-conformance/tree/master/v{version}/{product}",
                    line=line)
        elif name == "productLogoUrl" and value.startswith("http") and (
            not value.lower().endswith(LOGO_SUFFIXES)
        ):
            ci = f"productLogoUrl must link to an SVG, EPS, or AI file: {value}"
            vector = value.split("?", 1)[0].split("#", 1)[0].lower().endswith(LOGO_SUFFIXES)
            yield _error("ci-logo-format", ci, f"{ci}: the file is a vector, but CI checks the "
                         "very end of the URL; drop the query or fragment" if vector else ci,
                         line=line)


def spec_findings(sub: Submission, checklist: Checklist) -> Iterator[Finding]:
    if sub.spec is None:
        yield _error("ci-spec-missing", "Missing 'spec' section", line=1)
        return
    by_category: dict[str, dict[str, Entry]] = {}
    for listed in sub.entries:
        by_category.setdefault(listed.category, {})[listed.id] = listed  # last one wins, as in Go
    for category in checklist.categories:
        if category not in sub.spec:
            yield _error("ci-category-missing", f"Missing spec category: {category}",
                         line=sub.line("spec"))
            continue
        entries = by_category.get(category, {})
        for requirement in (r for r in checklist.requirements if r.category == category):
            entry = entries.get(requirement.id)
            if entry is None:
                yield _error("ci-requirement-missing",
                             f"Missing requirement '{requirement.id}' in category '{category}'",
                             requirement=requirement.id, line=sub.line("spec", category))
                continue
            yield from _entry_findings(sub, entry, requirement.level)


def _entry_findings(sub: Submission, entry: Entry, level: str) -> Iterator[Finding]:
    rid = entry.id
    if level == "SHOULD" and entry.status == "" and not entry.evidence:
        return  # CI skips an untouched SHOULD
    status_line = sub.line("spec", entry.category, entry.index, "status")
    if entry.status not in VALID_STATUSES:
        yield _error("ci-status-invalid",
                     f"Invalid status '{entry.status}' for '{rid}'. Must be one of "
                     f"[{' '.join(VALID_STATUSES)}]", requirement=rid, line=status_line)
    if level == "MUST" and entry.status != Conformance.IMPLEMENTED:
        yield _error("ci-must-not-implemented",
                     f"Requirement '{rid}' is MUST level but status is '{entry.status}'. "
                     "It must be 'Implemented'.", requirement=rid, line=status_line)
    if entry.status == Conformance.NOT_APPLICABLE and entry.notes == "":
        yield _error("ci-na-without-notes", f"Notes required for '{rid}' when status is N/A",
                     requirement=rid, line=status_line)
    for index, link in enumerate(entry.evidence):
        if link == "" or link.startswith(("http://", "https://")):
            continue
        finding = _local_evidence(sub, entry, link)
        if finding:
            yield Finding(**{**finding.__dict__,
                             "line": sub.line("spec", entry.category, entry.index, "evidence",
                                              index)})


def _local_evidence(sub: Submission, entry: Entry, link: str) -> Finding | None:
    """CI joins the link to the product folder (Go's filepath.Join) and stats it."""
    target = os.path.normpath(f"{sub.path.parent}/{link}")
    try:
        os.stat(target)
        return None
    except FileNotFoundError:
        pass
    except OSError:
        return None  # Go's os.IsNotExist is false for e.g. ENOTDIR: CI lets it pass
    shown = os.path.normpath(f"{sub.ci_dir}/{link}")
    ci = f"Invalid evidence file for '{entry.id}': {link} (not found at {shown})"
    return _error("ci-evidence-file-missing", ci, f"{ci}{_why_missing(sub.path.parent, link)}",
                  requirement=entry.id)


def _why_missing(folder: Path, link: str) -> str:
    """Why a link that looks fine to a person is a missing file to CI."""
    if "#" in link and (folder / link.split("#", 1)[0]).exists():
        return ": CI does not understand #anchors, it looks for a file with '#' in its name"
    if "%" in link:
        return ": CI does not decode %-escapes, it looks for the literal name"
    if " " in link.strip() or not re.search(r"\.[A-Za-z0-9]{1,5}$", link):
        return (": CI reads any evidence entry that is not an http(s) URL as a file path, "
                "so prose or a bare word fails")
    if link.lower().startswith(("www.", "github.com/", "http")):
        return ": without http:// or https:// CI takes it for a file path"
    return ""


def ci_findings(sub: Submission, checklist: Checklist) -> list[Finding]:
    """All CI-parity errors for a loaded submission."""
    if sub.load_errors:
        return list(sub.load_errors)
    return [*metadata_findings(sub), *spec_findings(sub, checklist)]
