"""``k8s-ai-evidence validate``: everything ``build`` checks, without writing anything."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from generator.bundle import load_bundle
from generator.commands.options import checklist_options, output_option, workspace_option
from generator.errors import EXIT_CODES_HELP, EnvironmentProblem, ExitCode
from generator.output import emit
from generator.review import Finding
from generator.validate.checks import (
    bundle_problems,
    review_problems,
    schema_problems,
    unsafe_file_problems,
)
from generator.workspace import Workspace


@click.command("validate", help="Check platform.yaml, every evidence file, coverage of the "
               "checklist, versions, freshness and the would-be PRODUCT.yaml (as CNCF CI reviews "
               f"it), writing nothing. Run it in CI on every pull request.\n\n{EXIT_CODES_HELP} "
               "Exit 1 when any error is found.")
@workspace_option
@checklist_options
@output_option
@click.pass_context
def validate(ctx: click.Context, workspace_dir: Path, checklist_file: Path | None,
             conformance_repo: Path | None, output_format: str) -> None:
    workspace = Workspace.load(workspace_dir)
    problems = (unsafe_file_problems(workspace.evidence_dir)
                or schema_problems(workspace.evidence_dir))
    if not problems:
        bundle = load_bundle(workspace, checklist_file, conformance_repo)
        if bundle.checklist_problem:
            raise EnvironmentProblem(bundle.checklist_problem)
        problems = bundle_problems(bundle) + review_problems(bundle)
    errors = sum(p.severity == "error" for p in problems)
    payload = {"workspace": str(workspace_dir), "kubernetesVersion": workspace.tag,
               "ok": errors == 0, "errors": errors, "warnings": len(problems) - errors,
               "problems": [p.to_json() for p in problems]}
    emit(output_format, payload, lambda out: _render(problems, errors, out))
    if errors:
        ctx.exit(ExitCode.FAILED)


def _render(problems: list[Finding], errors: int, out: Console) -> None:
    for p in problems:
        colour = "bold red" if p.severity == "error" else "yellow"
        where = f" {p.file}:" if p.file else ""
        req = f" [{p.requirement}]" if p.requirement else ""
        out.print(f"[{colour}]{p.severity}[/] {p.rule}{escape(req)}{escape(where)} "
                  f"{escape(p.message)}")
    verdict = "[green]valid[/]" if not errors else f"[bold red]{errors} error(s)[/]"
    out.print(f"{verdict}, {len(problems) - errors} warning(s)")
