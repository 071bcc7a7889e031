"""The offline rules of CNCF's validator (scripts/validate.go in cncf/k8s-ai-conformance).

Reproduced with their quirks, revision by revision (``revisions.RULE_SETS``), because a vendor
needs to know what CI will say, not what it should say: every MUST has to be ``Implemented``
(since hybrid verification cluster_autoscaling may be N/A, with a warning), productLogoUrl is
required although the instructions call it optional, k8sConformanceUrl is required for every
version although the 1.36 template omits it, and for a requirement listed twice only the last
one counts. Before hybrid verification an evidence entry that is not an http(s) URL is a path
looked up literally (``#anchors``, ``file://``, ``%20`` and prose included); since then it is
a path or ``file://`` link with an optional ``#TestName`` inside the product folder, and cited
junit.xml / results.json / e2e.log files are parsed (``artifacts``). Findings come in CI's
order (where Go iterates a map, in the checklist's order); each carries CI's own line in
``ci`` and, where CI's line would puzzle, the reason in ``message``.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.checklist import Checklist
from generator.evidence.verdicts import Conformance
from generator.review import golang
from generator.review.artifacts import ArtifactError, ArtifactReport, Outcome, artifact_kind
from generator.review.artifacts import parse_artifact as _parse_artifact
from generator.review.findings import Finding
from generator.review.revisions import RuleSet
from generator.review.rules import RULES
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
_PRODUCT_DIR_PREFIX = re.compile(r"v[0-9]+\.[0-9]+/[^/]+/")
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


def ci_finding(rule: str, message: str | None = None, requirement: str | None = None,
               line: int | None = None, **fields: str) -> Finding:
    """A finding of one of CI's rules, with CI's line from the registry."""
    ci = RULES[rule].line(**fields)
    return Finding(rule=rule, severity="warning" if RULES[rule].kind == "ci-warning" else "error",
                   requirement=requirement, message=message or ci, line=line, ci=ci)


def metadata_findings(sub: Submission) -> Iterator[Finding]:
    metadata = sub.metadata
    if metadata is None:
        yield ci_finding("ci-metadata-missing", line=1)
        return
    for name, required in METADATA_FIELDS:
        key, value = metadata_value(metadata, name)
        line = sub.line("metadata", key)
        if value is None:
            if required:
                yield ci_finding("ci-metadata-missing", field=name, snake=snake_case(name),
                                 line=line)
            continue
        if not isinstance(value, str):
            yield ci_finding("ci-metadata-not-string",
                             f"Metadata field {name} is not a string: YAML reads {value} as a "
                             f"{yaml_type(value)}; quote it", field=name, line=line)
        elif value == "":
            if required:
                yield ci_finding("ci-metadata-empty", field=name, line=line)
        elif value.startswith("[") and value.endswith("]"):
            yield ci_finding("ci-metadata-placeholder", field=name, value=value, line=line)
        elif name == "k8sConformanceUrl":
            if not K8S_CONFORMANCE_URL.fullmatch(value):
                yield ci_finding("ci-k8s-conformance-url", value=value, line=line)
        elif value.startswith("http") and (error := golang.http_error(value)):
            yield ci_finding("ci-url-malformed", field=name, url=value, error=error, line=line)


def spec_findings(sub: Submission, checklist: Checklist, rules: RuleSet) -> Iterator[Finding]:
    if sub.spec is None:
        yield ci_finding("ci-spec-missing", line=1)
        return
    by_category: dict[str, dict[str, Entry]] = {}
    for entry in sub.entries:
        by_category.setdefault(entry.category, {})[entry.id] = entry  # last one wins, as in Go
    artifacts: dict[str, ArtifactReport | None] = {}  # one parse per file per submission
    for category in checklist.categories:
        if category not in sub.spec:
            yield ci_finding("ci-category-missing", category=category, line=sub.line("spec"))
            continue
        entries = by_category.get(category, {})
        for requirement in (r for r in checklist.requirements if r.category == category):
            listed = entries.get(requirement.id)
            if listed is None:
                yield ci_finding("ci-requirement-missing", id=requirement.id, category=category,
                                 requirement=requirement.id, line=sub.line("spec", category))
                continue
            yield from _entry_findings(sub, listed, requirement.level, checklist.version, rules,
                                       artifacts)


def _entry_findings(sub: Submission, entry: Entry, level: str, version: str, rules: RuleSet,
                    artifacts: dict[str, ArtifactReport | None]) -> Iterator[Finding]:
    rid = entry.id
    if level == "SHOULD" and entry.status == "" and not entry.evidence:
        return  # CI skips an untouched SHOULD
    status_line = sub.line("spec", entry.category, entry.index, "status")

    def at_status(rule: str, **fields: str) -> Finding:
        return ci_finding(rule, None, rid, status_line, id=rid, **fields)

    if entry.status not in VALID_STATUSES:
        yield at_status("ci-status-invalid", status=entry.status,
                        statuses=" ".join(VALID_STATUSES))
    if level == "MUST" and entry.status != Conformance.IMPLEMENTED:
        if rid not in rules.conditional_musts:
            yield at_status("ci-must-not-implemented", status=entry.status)
        elif entry.status == Conformance.NOT_APPLICABLE:
            yield at_status("ci-conditional-must-na")
        else:
            yield at_status("ci-conditional-must-status", status=entry.status)
    notes = entry.notes.strip(golang.TRIM_SPACE) if rules.notes_trimmed else entry.notes
    if entry.status == Conformance.NOT_APPLICABLE and notes == "":
        yield at_status("ci-na-without-notes")
    cites_artifact = False
    for index, link in enumerate(entry.evidence):
        line = sub.line("spec", entry.category, entry.index, "evidence", index)
        if link == "":
            continue
        if link.startswith(("http://", "https://")):
            if error := golang.http_error(link):
                yield ci_finding("ci-url-malformed", id=rid, url=link, error=error,
                                 requirement=rid, line=line)
            continue
        if not rules.has("ci-evidence-path-escapes"):  # links before hybrid verification
            yield from _literal_path(sub, entry, link, line)
            continue
        for finding in _evidence_link(sub, entry, link, line, rules, artifacts):
            if finding is None:
                cites_artifact = True
            else:
                yield finding
    test = rules.test_for(rid)
    if test and rules.wants_artifacts(version) and entry.status == Conformance.IMPLEMENTED and (
            not cites_artifact):
        yield ci_finding("ci-artifact-recommended", id=rid, test=test, version=version,
                         requirement=rid, line=sub.line("spec", entry.category, entry.index))


def _literal_path(sub: Submission, entry: Entry, link: str, line: int | None
                  ) -> Iterator[Finding]:
    """Before hybrid verification: CI joins the link to the product folder and stats it."""
    target = os.path.normpath(f"{sub.path.parent}/{link}")
    shown = os.path.normpath(f"{sub.ci_dir}/{link}")
    if _missing(Path(target)):
        ci = RULES["ci-evidence-file-missing"].line(id=entry.id, link=link, path=shown)
        yield ci_finding("ci-evidence-file-missing", ci + _why_missing(sub.path.parent, link,
                                                                       literal=True),
                         id=entry.id, link=link, path=shown, requirement=entry.id, line=line)


def _missing(path: Path) -> bool:
    """Go's os.IsNotExist after os.Stat: only ENOENT (ENOTDIR and others let a link pass)."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return False
    return False


def resolve_evidence(ci_dir: str, link: str) -> tuple[str, str] | tuple[str, dict[str, str]]:
    """validate.go's resolveEvidencePath: (path as CI names it, fragment) or (rule, fields)."""
    raw = link.strip(golang.TRIM_SPACE).removeprefix("file://")
    raw, _, fragment = raw.partition("#")
    raw = raw.strip(golang.TRIM_SPACE).removeprefix("/")
    if raw == "":
        return "ci-evidence-path-empty", {}
    folder = posixpath.normpath(ci_dir)
    own = posixpath.normpath(posixpath.join(posixpath.basename(posixpath.dirname(folder)),
                                            posixpath.basename(folder))) + "/"
    if raw.startswith(own):
        raw = raw.removeprefix(own)
    elif _PRODUCT_DIR_PREFIX.match(raw):
        return "ci-evidence-other-product", {"quoted": golang.quote(link), "dir": ci_dir}
    full = posixpath.normpath(f"{folder}/{raw}")
    rel = posixpath.relpath(full, folder)
    if rel in (".", "..") or rel.startswith("../"):
        return "ci-evidence-path-escapes", {"quoted": golang.quote(link), "dir": ci_dir}
    return full, fragment


def _evidence_link(sub: Submission, entry: Entry, link: str, line: int | None, rules: RuleSet,
                   artifacts: dict[str, ArtifactReport | None]) -> Iterator[Finding | None]:
    """Errors for one local link; None when it cites a test artifact (CI's hasArtifact)."""
    rid = entry.id
    full, detail = resolve_evidence(sub.ci_dir, link)
    if isinstance(detail, dict):
        yield ci_finding(full, None, rid, line, id=rid, link=link, **detail)
        return
    folder = posixpath.normpath(sub.ci_dir)
    target = sub.path.parent / posixpath.relpath(full, folder)
    if _missing(target):
        ci = RULES["ci-evidence-file-missing"].line(id=rid, link=link, path=full)
        yield ci_finding("ci-evidence-file-missing",
                         ci + _why_missing(sub.path.parent, link, literal=False),
                         id=rid, link=link, path=full, requirement=rid, line=line)
        return
    kind = artifact_kind(full)
    if kind is None:
        return
    yield None
    name = link.split("#", 1)[0]

    def at_link(rule: str, message: str | None = None, **fields: str) -> Finding:
        return ci_finding(rule, message, rid, line, artifact=name, **fields)

    if full not in artifacts:
        try:
            parsed = artifacts[full] = _parse_artifact(target, full, kind)
        except ArtifactError as exc:
            artifacts[full] = None
            yield at_link("ci-artifact-invalid", _why_invalid(rid, name, str(exc)), id=rid,
                          error=str(exc))
            return
        if parsed.failures:
            yield at_link("ci-artifact-failing", tests=", ".join(sorted(parsed.failures)))
    report = artifacts[full]
    test = detail or rules.test_for(rid)
    if report is None or not test:
        return
    outcome = report.outcome_for(test)
    if outcome is Outcome.UNKNOWN:
        yield at_link("ci-test-missing", test=test, id=rid)
    elif outcome is Outcome.FAIL:
        yield at_link("ci-test-failed", test=test, id=rid)
    elif outcome is Outcome.SKIP and entry.status == Conformance.IMPLEMENTED:
        yield at_link("ci-test-skipped", test=test, id=rid)


def _why_invalid(rid: str, artifact: str, error: str) -> str | None:
    if "no '--- PASS/FAIL/SKIP:' result lines" not in error:
        return None
    ci = RULES["ci-artifact-invalid"].line(id=rid, artifact=artifact, error=error)
    return (f"{ci}: CI reads an e2e.log as `go test -v` output; a Ginkgo or Sonobuoy log must "
            "not be cited under that name (rename it, e.g. sonobuoy-e2e.log, or cite the "
            "suite's junit.xml)")


def _why_missing(folder: Path, link: str, literal: bool) -> str:
    """Why a link that looks fine to a person is a missing file to CI."""
    if literal and link.startswith("file://"):
        return ": CI before hybrid verification does not understand file:// links"
    if literal and "#" in link and (folder / link.split("#", 1)[0]).exists():
        return ": CI does not understand #anchors, it looks for a file with '#' in its name"
    if "%" in link:
        return ": CI does not decode %-escapes, it looks for the literal name"
    if " " in link.strip() or not re.search(r"\.[A-Za-z0-9]{1,5}(#.*)?$", link):
        return (": CI reads any evidence entry that is not an http(s) URL as a file path, "
                "so prose or a bare word fails")
    if link.lower().startswith(("www.", "github.com/", "http")):
        return ": without http:// or https:// CI takes it for a file path"
    return ""


def ci_findings(sub: Submission, checklist: Checklist, rules: RuleSet) -> list[Finding]:
    """All CI findings (errors, and ::warning lines as warnings) for a loaded submission."""
    if sub.load_errors:
        return list(sub.load_errors)
    return [*metadata_findings(sub), *spec_findings(sub, checklist, rules)]
