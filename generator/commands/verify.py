"""``k8s-ai-evidence verify PATH --key PUB``: check an attested build offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from generator.attest.verify import DEFAULT_MAX_AGE_DAYS, verify_path
from generator.commands.options import InputFile, output_option
from generator.errors import EXIT_CODES_HELP, ExitCode
from generator.output import emit


@click.command("verify", help="Verify offline what 'attest' signed: PATH is a build output "
               "folder, a published site folder or a submission folder. Checks the signature "
               "against KEY (a PEM public key), every file's sha256, that no file was added, "
               f"and that the run is at most --max-age days old.\n\n{EXIT_CODES_HELP} Exit 1 "
               "names each tampered, missing or extra file, a wrong key, or stale evidence.")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@click.option("--key", "key_path", required=True,
              type=InputFile(), help="PEM public key.")
@click.option("--max-age", "max_age", type=click.FloatRange(min=0),
              default=DEFAULT_MAX_AGE_DAYS, show_default=True,
              help="Oldest acceptable run, in days (certification lasts a year).")
@output_option
@click.pass_context
def verify_command(ctx: click.Context, path: Path, key_path: Path, max_age: float,
                   output_format: str) -> None:
    result = verify_path(path, key_path, max_age)
    payload = result.to_json(max_age)
    emit(output_format, payload, lambda out: _render(payload, out))
    if not result.verified:
        ctx.exit(ExitCode.FAILED)


def _render(payload: dict[str, Any], out: Console) -> None:
    run = payload["run"] or {}
    out.print(f"{escape(payload['path'])} ({payload['scope']}): "
              f"{payload['subjectsChecked']} attested files, signed by key "
              f"{', '.join(k[:16] for k in payload['keyIds'])}, run finished "
              f"{run.get('finishedAt')} ({payload['ageDays']} days ago)")
    for problem in payload["problems"]:
        where = f" {escape(problem['file'])}:" if problem["file"] else ""
        out.print(f"[bold red]{problem['kind']}[/]{where} {escape(problem['message'])}")
    out.print("[green]verified[/]" if payload["verified"] else
              f"[bold red]not verified: {len(payload['problems'])} problem(s)[/]")
