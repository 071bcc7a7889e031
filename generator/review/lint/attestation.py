"""A submission folder signed by ``k8s-ai-evidence attest``: who signed it and how old the run
is, for the reviewer (the signature itself needs the vendor's public key: ``verify``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from generator.errors import InputError
from generator.layout import ATTESTATION_FILE
from generator.review.findings import Finding
from generator.review.submission import Submission


def findings(sub: Submission, now: datetime | None = None) -> Iterator[Finding]:
    path = sub.path.parent / ATTESTATION_FILE
    if not path.is_file() or path.is_symlink():
        return
    from generator.attest import dsse  # cryptography only for a submission that carries one
    from generator.attest.verify import DEFAULT_MAX_AGE_DAYS, read_statement

    try:
        envelope = dsse.read_envelopes(path)[0]
        statement = read_statement(envelope, path)
    except InputError as exc:
        yield Finding("attestation", "warning", None, f"{ATTESTATION_FILE} cannot be read: {exc}")
        return
    signers = ", ".join(k[:16] for k, _ in envelope.signatures) or "no key"
    finished = ((statement.get("predicate") or {}).get("run") or {}).get("finishedAt")
    try:
        moment = datetime.fromisoformat(str(finished).replace("Z", "+00:00"))
    except ValueError:
        yield Finding("attestation", "warning", None, f"signed by key {signers}, but the "
                      "attestation records no run time")
        return
    days = ((now or datetime.now(UTC)) - moment).days
    stale = days > DEFAULT_MAX_AGE_DAYS
    yield Finding("attestation", "warning" if stale else "info", None,
                  f"signed by key {signers}; the run finished {finished}, {days} days ago"
                  f"{' (over a year: stale)' if stale else ''}. Check the signature with "
                  f"'k8s-ai-evidence verify {sub.path.parent.name} --key <vendor key>'")
