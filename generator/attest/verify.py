"""Offline verification of an attested build, published site or submission folder.

Everything is checked and every problem named, not just the first: the signature against the
given public key, each subject's digest, files present but never attested (added after
signing), and the age of the run (certification lasts a year, so evidence older than
``max_age_days`` is stale).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator.attest import dsse
from generator.attest.statement import (
    PAYLOAD_TYPE,
    PREDICATE_TYPE,
    ROOTS,
    STATEMENT_TYPE,
    walk,
)
from generator.errors import InputError
from generator.fsutil import sha256_file
from generator.layout import ATTESTATION_FILE, PRODUCT_FILE, SiteOut

DEFAULT_MAX_AGE_DAYS = 365


@dataclass(frozen=True)
class Problem:
    kind: str  # signature, tampered, missing, extra, stale
    file: str | None
    message: str


@dataclass
class Verification:
    path: Path
    scope: str  # build, site or submission
    key_ids: list[str]
    statement: dict[str, Any]
    checked: int = 0
    age_days: float | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return not self.problems

    def to_json(self, max_age_days: float) -> dict[str, Any]:
        predicate = self.statement.get("predicate") or {}
        return {"path": str(self.path), "scope": self.scope, "verified": self.verified,
                "keyIds": self.key_ids, "subjectsChecked": self.checked,
                "run": predicate.get("run"), "ageDays": self.age_days,
                "maxAgeDays": max_age_days, "product": predicate.get("product"),
                "problems": [{"kind": p.kind, "file": p.file, "message": p.message}
                             for p in self.problems]}


def find_scope(path: Path) -> tuple[str, Path, dict[str, Path]]:
    """What PATH is: (scope, attestation file, subject prefix -> folder on disk)."""
    site = SiteOut(path).site  # found if it is there in any form: reading it says what is wrong
    if os.path.lexists(site / ATTESTATION_FILE):
        return "build", site / ATTESTATION_FILE, {f"{r}/": path / r for r in ROOTS}
    if os.path.lexists(path / ATTESTATION_FILE):
        return ("site" if (path / "index.html").is_file() else "submission",
                path / ATTESTATION_FILE, {})
    raise InputError(f"{path}: no {ATTESTATION_FILE} here (nor in {site}); point at "
                     "a build output, a published site folder or a submission folder that "
                     "'k8s-ai-evidence attest' signed")


def read_statement(envelope: dsse.Envelope, where: Path) -> dict[str, Any]:
    if envelope.payload_type != PAYLOAD_TYPE:
        raise InputError(f"{where}: payload type {envelope.payload_type!r}, expected "
                         f"{PAYLOAD_TYPE}")
    try:
        statement = json.loads(envelope.payload)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{where}: the payload is not JSON ({exc})") from None
    if not isinstance(statement, dict) or statement.get("_type") != STATEMENT_TYPE or \
            statement.get("predicateType") != PREDICATE_TYPE or \
            not isinstance(statement.get("subject"), list):
        raise InputError(f"{where}: not an in-toto Statement of k8s-ai-evidence "
                         f"({PREDICATE_TYPE})")
    return statement


def verify_path(path: Path, public_key: Path, max_age_days: float = DEFAULT_MAX_AGE_DAYS,
                now: datetime | None = None) -> Verification:
    scope, attestation, folders = find_scope(path)
    key = dsse.load_public_key(public_key)
    [envelope, *_] = dsse.read_envelopes(attestation)
    statement = read_statement(envelope, attestation)
    result = Verification(path, scope, [k for k, _ in envelope.signatures], statement)
    if not dsse.verify(envelope, key):
        result.problems.append(Problem(
            "signature", str(attestation.relative_to(path)),
            f"not signed by the key in {public_key} (key id {dsse.key_id(key)[:16]}; "
            f"signed by {', '.join(k[:16] for k in result.key_ids) or 'no key'})"))
    digests = _subject_digests(statement, attestation)
    if not folders:
        folders = {_prefix_of(scope, path, digests, attestation): path}
    for prefix, folder in folders.items():
        _check_folder(result, prefix, folder, digests)
    _check_age(result, statement, max_age_days, now or datetime.now(UTC))
    return result


def _subject_digests(statement: dict[str, Any], where: Path) -> dict[str, str]:
    digests = {}
    for subject in statement["subject"]:
        try:
            digests[str(subject["name"])] = str(subject["digest"]["sha256"])
        except (KeyError, TypeError):
            raise InputError(f"{where}: a subject without name or sha256 digest") from None
    return digests


def _prefix_of(scope: str, path: Path, digests: dict[str, str], where: Path) -> str:
    """The subjects' prefix for a lone site or submission folder."""
    if scope == "site":
        return f"{ROOTS[0]}/"
    folders = {name.rsplit("/", 1)[0] + "/" for name in digests
               if name.startswith(f"{ROOTS[1]}/") and name.endswith(f"/{PRODUCT_FILE}")}
    if len(folders) != 1:
        raise InputError(f"{where}: the attestation names no single submission folder")
    return folders.pop()


def _check_folder(result: Verification, prefix: str, folder: Path,
                  digests: dict[str, str]) -> None:
    present = dict(walk(folder)) if folder.is_dir() else {}
    for name, digest in digests.items():
        if not name.startswith(prefix):
            continue
        relative = name[len(prefix):]
        result.checked += 1
        local = present.pop(relative, None)
        shown = (prefix + relative) if result.scope == "build" else relative
        if local is None:
            result.problems.append(Problem("missing", shown, "attested, but not here"))
        elif local.is_symlink() or not local.is_file():
            result.problems.append(Problem("tampered", shown, "replaced by a link or folder"))
        elif sha256_file(local) != digest:
            result.problems.append(Problem("tampered", shown, "content changed since signing"))
    for relative in present:
        shown = (prefix + relative) if result.scope == "build" else relative
        result.problems.append(Problem("extra", shown, "not in the attestation (added after "
                                                       "signing)"))


def _check_age(result: Verification, statement: dict[str, Any], max_age_days: float,
               now: datetime) -> None:
    finished = ((statement.get("predicate") or {}).get("run") or {}).get("finishedAt")
    try:
        moment = datetime.fromisoformat(str(finished).replace("Z", "+00:00"))
    except ValueError:
        result.problems.append(Problem("stale", None, "the attestation records no run time, "
                                                      "so its age cannot be told"))
        return
    result.age_days = round((now - moment).total_seconds() / 86400, 1)
    if result.age_days > max_age_days:
        result.problems.append(Problem(
            "stale", None, f"the run finished {finished}, {result.age_days:g} days ago, over "
                           f"the {max_age_days:g}-day limit (certification lasts a year)"))
