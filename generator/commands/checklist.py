"""``k8s-ai-evidence checklist show|fetch``: see and cache the official checklists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from generator.checklist import Checklist, normalize_version, resolve_checklist
from generator.checklist.fetch import fetch_checklist
from generator.commands.options import checklist_options, output_option
from generator.output import emit


@click.group("checklist", help="Show or fetch the official checklist of a Kubernetes minor.")
def checklist_group() -> None:
    pass


def checklist_payload(checklist: Checklist) -> dict[str, Any]:
    return {
        "kubernetesVersion": checklist.tag,
        "source": checklist.source,
        "requirements": [
            {"id": r.id, "category": r.category, "level": r.level, "description": r.description}
            for r in checklist.requirements
        ],
    }


def _render(checklist: Checklist, out: Console) -> None:
    table = Table(title=f"AI Conformance checklist {checklist.tag}", title_justify="left")
    for column in ("id", "category", "level"):
        table.add_column(column)
    for r in checklist.requirements:
        table.add_row(r.id, r.category, f"[bold]{r.level}[/]" if r.is_must else r.level)
    out.print(table)
    out.print(f"loaded from {checklist.source}")


@checklist_group.command("show", help="Print the requirements (id, category, level) of VERSION.")
@click.argument("version")
@checklist_options
@output_option
def show(version: str, checklist_file: Path | None, conformance_repo: Path | None,
         output_format: str) -> None:
    checklist = resolve_checklist(version, checklist_file, conformance_repo)
    emit(output_format, checklist_payload(checklist), lambda out: _render(checklist, out))


@checklist_group.command(
    "fetch", help="Download the official checklist of VERSION into the user cache (network).")
@click.argument("version")
@click.option("--base-url", help="Where the docs/ folder is served (default: cncf on GitHub).")
@output_option
def fetch(version: str, base_url: str | None, output_format: str) -> None:
    checklist = fetch_checklist(normalize_version(version), base_url)
    emit(output_format, checklist_payload(checklist), lambda out: _render(checklist, out))
