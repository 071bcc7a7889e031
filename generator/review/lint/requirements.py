"""Lint of the spec: checklist fidelity, claims without support, DRA and conditional MUSTs."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from generator.catalog import entry as catalog_entry
from generator.checklist import Checklist
from generator.evidence.verdicts import Conformance
from generator.review.findings import Finding
from generator.review.submission import Entry, Submission

_NO_REASON = {"", "n/a", "na", "none", "-", "not applicable", "tbd"}
_DRA_OBJECTS = re.compile(
    r"resource ?claim|device ?class|resource ?slice|resource\.k8s\.io|dra[- ]driver", re.I)
_DEVICE_PLUGIN = re.compile(r"device[- ]plugin", re.I)
_NOT_PROVIDED = re.compile(
    r"\b(does not|doesn't|do not|don't|is not|isn't|not)\s+(provide|offer|support|include|ship"
    r"|available|supported|provided|offered)|\bno (cluster autoscaler|autoscal\w+|hpa)\b"
    r"|\bunsupported\b", re.I)


def findings(sub: Submission, checklist: Checklist) -> Iterator[Finding]:
    entries = sub.entries
    counts = Counter(e.id for e in entries)
    reported_duplicates: set[str] = set()
    for item in entries:
        requirement = checklist.get(item.id)
        if requirement is None:
            yield _warn("unknown-requirement", item,
                        f"{item.id!r} is not a requirement of the {checklist.tag} checklist")
            continue
        if counts[item.id] > 1 and item.id not in reported_duplicates:
            reported_duplicates.add(item.id)
            yield _warn("duplicate-requirement", item,
                        f"{item.id} is listed {counts[item.id]} times; CI reads only the last")
        if item.category != requirement.category:
            yield _warn("misplaced-requirement", item,
                        f"{item.id} belongs under {requirement.category}, not {item.category}")
        if " ".join(item.description.split()) != " ".join(requirement.description.split()):
            yield _warn("description-changed", item, _changed_text(item.description,
                                                                  requirement.description))
        if item.level != requirement.level:
            yield _warn("level-changed", item,
                        f"level is {item.level!r}, the checklist says {requirement.level}")
        yield from _claim_findings(item, requirement.level, checklist.version)


def _claim_findings(item: Entry, level: str, version: str) -> Iterator[Finding]:
    notes = item.notes.strip()
    if level == "MUST" and item.status == Conformance.IMPLEMENTED:
        if not [e for e in item.evidence if e]:
            yield _warn("must-without-evidence", item, f"MUST {item.id} is Implemented with no "
                        "evidence: link what shows it working")
        if not notes:
            yield _warn("must-without-notes", item, f"MUST {item.id} is Implemented with empty "
                        "notes: say which component provides it and what was verified")
    na = item.status == Conformance.NOT_APPLICABLE
    if na and item.notes and notes.lower().rstrip(".") in _NO_REASON:
        yield _warn("na-without-reason", item, f"{item.id} is N/A but the notes ({notes!r}) give "
                    "no reason why the requirement does not apply")
    known = catalog_entry(item.id)
    if known and known.dra_related and item.status == Conformance.IMPLEMENTED:
        if version == "1.33":
            yield _warn("dra-beta", item, "dra_support is Implemented on v1.33, where the DRA "
                        "APIs (resource.k8s.io) are beta; Partially Implemented is usual there")
        if _DEVICE_PLUGIN.search(notes) and not _DRA_OBJECTS.search(notes):
            yield _warn("dra-device-plugin-notes", item, "the notes describe a device plugin and "
                        "no DRA object (DeviceClass, ResourceSlice, ResourceClaim)")
    if known and known.conditional:
        if item.status == Conformance.IMPLEMENTED and _NOT_PROVIDED.search(notes):
            yield _warn("conditional-must-contradicted", item,
                        f"{item.id} is Implemented but the notes say the capability is not "
                        f"provided; it applies when {known.conditional.applies_when}")
        if na:
            yield _warn("conditional-must-na", item,
                        f"{item.id} is N/A: {' '.join(known.conditional.ci_note.split())}")


def _changed_text(actual: str, expected: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(actual, expected, strict=False)) if a != b),
              min(len(actual), len(expected)))
    return (f"description differs from the checklist at character {at + 1}: "
            f"...{actual[max(0, at - 15):at + 25]!r} instead of "
            f"...{expected[max(0, at - 15):at + 25]!r}")


def _warn(rule: str, item: Entry, message: str) -> Finding:
    return Finding(rule, "warning", item.id, message, item.line)
