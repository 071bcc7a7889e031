"""``k8s-ai-evidence attest``: sign what ``build`` wrote as an in-toto attestation."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from generator.attest import attest
from generator.commands.options import (
    InputFile,
    checklist_options,
    out_option,
    output_option,
    workspace_option,
)
from generator.errors import EXIT_CODES_HELP
from generator.output import emit
from generator.workspace import Workspace


@click.command("attest", help="Sign the build in OUT (site and submission folder) with KEY, "
               "an Ed25519 or ECDSA P-256/P-384 private key in PEM: an in-toto Statement "
               "(every file by sha256; tool, checklist digest, run times, each requirement's "
               "status, a fingerprint of the cluster) in a DSSE envelope, written as "
               "attestation.intoto.jsonl into the site and the submission folder. Reviewers "
               f"check it offline with 'k8s-ai-evidence verify'.\n\n{EXIT_CODES_HELP}")
@workspace_option
@out_option("build's output folder.")
@click.option("--key", "key_path", required=True,
              type=InputFile(),
              help="PEM private key (unencrypted; keep it out of the workspace).")
@checklist_options
@output_option
def attest_command(workspace_dir: Path, out_dir: Path, key_path: Path,
                   checklist_file: Path | None, conformance_repo: Path | None,
                   output_format: str) -> None:
    attested = attest(Workspace.load(workspace_dir), out_dir, key_path, checklist_file,
                      conformance_repo)
    payload = {"attestations": [str(f) for f in attested.files], "subjects": attested.subjects,
               "keyId": attested.key_id}
    emit(output_format, payload, lambda out: out.print(
        f"signed {attested.subjects} files with key {attested.key_id[:16]}; attestation "
        f"written to {', '.join(escape(str(f)) for f in attested.files)}"))
