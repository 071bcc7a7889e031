"""Signed, offline-verifiable evidence: an in-toto attestation in a DSSE envelope over every
file of a build's site and submission folder, and its verification."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from generator.attest import dsse
from generator.attest.statement import PAYLOAD_TYPE, statement
from generator.bundle import load_bundle
from generator.errors import InputError
from generator.fsutil import atomic_write_text
from generator.layout import ATTESTATION_FILE, SiteOut, product_paths, submission_root
from generator.workspace import Workspace


@dataclass(frozen=True)
class Attested:
    files: tuple[Path, ...]  # the attestation, written into every published part
    subjects: int
    key_id: str


def attest(workspace: Workspace, out_dir: Path, key_path: Path,
           checklist_file: Path | None = None, conformance_repo: Path | None = None
           ) -> Attested:
    """Sign what ``build`` wrote; the same attestation goes into the site and the submission
    folder, so each verifies on its own once published."""
    key = dsse.load_private_key(key_path)
    site = SiteOut(out_dir).site
    if not (site / "index.html").is_file():
        raise InputError(f"{out_dir}: no built site (site/index.html); run build first")
    bundle = load_bundle(workspace, checklist_file, conformance_repo)
    body = statement(out_dir, bundle)
    payload = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    line = json.dumps(dsse.sign(PAYLOAD_TYPE, payload, key).to_json()) + "\n"
    targets = [site, *(p.parent for p in product_paths(submission_root(out_dir)))]
    for folder in targets:
        atomic_write_text(folder / ATTESTATION_FILE, line)
    return Attested(tuple(f / ATTESTATION_FILE for f in targets), len(body["subject"]),
                    dsse.key_id(key.public_key()))
