"""``k8s-ai-evidence diff OLD NEW``: what changed between two runs, and whether it regressed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from generator.commands.options import output_option
from generator.errors import EXIT_CODES_HELP, ExitCode
from generator.evidence.diff import diff_results, load_results
from generator.output import emit


@click.command("diff", help="Compare two runs: OLD and NEW are workspaces, build output "
               "folders or published site folders. Shows, per requirement and per check, "
               "status changes, checks added or removed, and verdicts whose decisive output "
               f"changed.\n\n{EXIT_CODES_HELP} Exit 1 when anything regressed, naming it.")
@click.argument("old", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("new", type=click.Path(file_okay=False, exists=True, path_type=Path))
@output_option
@click.pass_context
def diff_command(ctx: click.Context, old: Path, new: Path, output_format: str) -> None:
    changes = diff_results(load_results(old), load_results(new))
    regressed = [c.id for c in changes if c.regressed]
    payload = {"old": str(old), "new": str(new), "regressed": regressed,
               "requirements": [c.to_json() for c in changes if c.changed]}
    emit(output_format, payload, lambda out: _render(payload, out))
    if regressed:
        ctx.exit(ExitCode.FAILED)


def _render(payload: dict[str, Any], out: Console) -> None:
    if not payload["requirements"]:
        out.print("no change")
    for requirement in payload["requirements"]:
        mark = "[bold red]regressed[/]" if requirement["regressed"] else "changed"
        out.print(f"{mark} {escape(requirement['id'])}: {_shown(requirement, 'old')} -> "
                  f"{_shown(requirement, 'new')}")
        for check in requirement.get("checks", []):
            prefix = "  [red]regressed[/]" if check["regressed"] else "  "
            out.print(f"{prefix} {escape(check['id'])}: {_shown(check, 'old')} -> "
                      f"{_shown(check, 'new')}")
            if "newReason" in check:
                out.print(f"      was: {_shown(check, 'oldReason')}")
                out.print(f"      now: {_shown(check, 'newReason')}")
    if payload["regressed"]:
        out.print(f"[bold red]regressed: {escape(', '.join(payload['regressed']))}[/]")


def _shown(item: dict[str, Any], key: str) -> str:
    """A status or reason for people: null in JSON is a requirement or check not in that run."""
    value = item.get(key)
    return "(absent)" if value is None else escape(str(value))
