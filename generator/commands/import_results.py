"""``k8s-ai-evidence import FILE...``: bring other runners' test logs into the evidence tree."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from generator.catalog import catalog
from generator.checklist import resolve_checklist
from generator.commands.options import (
    InputFile,
    checklist_options,
    output_option,
    workspace_option,
)
from generator.errors import EXIT_CODES_HELP, EnvironmentProblem, ExitCode, InputError
from generator.importers.formats import detect
from generator.importers.merge import ImportSummary, import_file
from generator.importers.sonobuoy import import_archive, is_tarball
from generator.output import emit
from generator.workspace import Workspace


@click.command("import", help="Import JUnit XML (Ginkgo/Sonobuoy, gotestsum), go test -json or "
               "go test -v logs, or a 'sonobuoy retrieve' tarball (each plugin's JUnit, with "
               "its log); tests map to requirements through the catalog, and the raw "
               f"files are kept in the evidence tree.\n\n{EXIT_CODES_HELP} Exit 1 means a "
               "mapped test failed.")
@click.argument("files", nargs=-1, required=True,
                type=InputFile())
@workspace_option
@click.option("--requirement", help="Map every test of these files to this requirement id.")
@checklist_options
@output_option
@click.pass_context
def import_results(ctx: click.Context, files: tuple[Path, ...], workspace_dir: Path,
                   requirement: str | None, checklist_file: Path | None,
                   conformance_repo: Path | None, output_format: str) -> None:
    workspace = Workspace.load(workspace_dir)
    if requirement and requirement not in catalog():
        raise InputError(f"--requirement {requirement}: not a known requirement id")
    try:
        checklist = resolve_checklist(workspace.version, checklist_file, conformance_repo)
        known: set[str] | None = {r.id for r in checklist.requirements}
    except EnvironmentProblem:
        known = None  # without the checklist, any requirement the catalog knows
    if requirement and known is not None and requirement not in known:
        raise InputError(f"--requirement {requirement}: not in the {workspace.tag} checklist")
    archives = {path for path in files if is_tarball(path)}
    for path in set(files) - archives:  # a wrong file among several: said before any import
        detect(path)
    summaries = [summary for path in files for summary in (
        import_archive(workspace, path, requirement, known) if path in archives
        else [import_file(workspace, path, requirement, known)])]
    emit(output_format, {"imported": [s.to_json() for s in summaries]},
         lambda out: _render(summaries, out))
    if any(counts["failed"] for s in summaries for counts in s.mapped.values()):
        ctx.exit(ExitCode.FAILED)


def _render(summaries: list[ImportSummary], out: Console) -> None:
    for summary in summaries:
        out.print(f"[bold]{escape(summary.file)}[/] ({summary.format}): {summary.tests} tests")
        table = Table("requirement", "passed", "failed", "skipped", box=None)
        for rid, counts in sorted(summary.mapped.items()):
            table.add_row(rid, str(counts["passed"]), f"[red]{counts['failed']}[/]"
                          if counts["failed"] else "0", str(counts["skipped"]))
        if summary.mapped:
            out.print(table)
        else:
            out.print("  no test mapped to a requirement (use --requirement ID to force one)")
        for log in summary.logs:
            out.print(f"  log kept as imported/{escape(log)}")
        for name in summary.unmapped:
            out.print(f"  unmapped: {escape(name)}")
        if summary.skipped_unmapped:
            out.print(f"  {summary.skipped_unmapped} skipped tests outside the mapping")
