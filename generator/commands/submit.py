"""``k8s-ai-evidence submit --fork DIR``: build's submission as one commit on a new branch of
the vendor's fork of cncf/k8s-ai-conformance, and the pull request's title and body."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from generator.build_pipeline import run_build
from generator.ci import QUARANTINE_FILE
from generator.commands.build import build_payload
from generator.commands.build import render as render_build
from generator.commands.options import (
    checklist_options,
    out_option,
    output_option,
    workspace_option,
)
from generator.errors import EXIT_CODES_HELP, EnvironmentProblem, InputError
from generator.layout import PLATFORM_FILE, built_product, product_folder
from generator.output import console, emit
from generator.submit import Request, submit
from generator.submit.fork import check_folder, open_fork
from generator.workspace import Workspace


@click.command("submit", help="Put what 'build' produced (OUT/submission/vX.Y/<dir>/) into a "
               "new branch of DIR, a clean checkout of your fork of cncf/k8s-ai-conformance, "
               "as exactly one commit touching only vX.Y/<dir>/, after checking it with CNCF "
               "CI's rules against DIR's own checklist. Runs 'build' first when OUT has no "
               "submission. Never forces, never pushes unless --push is given. Prints the "
               f"pull request's title and body.\n\n{EXIT_CODES_HELP} Exit 1 when CNCF CI would "
               "reject the submission (nothing is committed without --allow-invalid).")
@click.option("--fork", "fork", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Local clone of (your fork of) cncf/k8s-ai-conformance.")
@workspace_option
@out_option("build's output folder.")
@click.option("--product-dir", help="Folder name under vX.Y/ (default: platform.yaml productDir).")
@click.option("--branch", help="Branch to create (default: <product-dir>-vX.Y).")
@click.option("--sign-off", is_flag=True, help="Add a DCO Signed-off-by trailer.")
@click.option("--dry-run", is_flag=True, help="Show the files and the diff; change nothing.")
@click.option("--allow-invalid", is_flag=True,
              help="Commit even when CNCF CI would reject the submission.")
@click.option("--push", "push_remote", metavar="REMOTE",
              help="Push the new branch to REMOTE (e.g. origin) after committing; never forced.")
@checklist_options
@output_option
def submit_command(fork: Path, workspace_dir: Path, out_dir: Path,
                   product_dir: str | None, branch: str | None, sign_off: bool, dry_run: bool,
                   allow_invalid: bool, push_remote: str | None, checklist_file: Path | None,
                   conformance_repo: Path | None, output_format: str) -> None:
    workspace = Workspace.load(workspace_dir)
    if workspace.is_example:
        raise InputError(f"{workspace_dir / PLATFORM_FILE}: example: true marks example data "
                         "of a fictional platform; it is never submitted")
    if (out_dir / QUARANTINE_FILE).exists():
        raise InputError(f"{out_dir / QUARANTINE_FILE}: this build comes from a failed run and "
                         "is quarantined; it is never submitted")
    name = product_dir or workspace.platform["productDir"]
    check_folder(product_folder(workspace.tag, name))  # a wrong --product-dir or --fork is
    open_fork(fork)  # said before any build
    built = built_product(out_dir, workspace.tag, workspace.platform["productDir"])
    if not built_after_inputs(built, workspace):
        build_first(workspace_dir, out_dir, checklist_file, conformance_repo or fork)
        if not built.is_file():
            raise EnvironmentProblem(f"build wrote no {built} (see above)")
    outcome = submit(Request(
        fork=fork, source=built.parent, folder=product_folder(workspace.tag, name),
        branch=branch or f"{name}-{workspace.tag}", sign_off=sign_off, dry_run=dry_run,
        allow_invalid=allow_invalid, push=push_remote))
    payload = {**outcome.to_json(), "dryRun": dry_run}
    emit(output_format, payload, lambda out: _render(payload, out))


def built_after_inputs(product: Path, workspace: Workspace) -> bool:
    """A build older than platform.yaml or any evidence file is stale: it would submit what
    the evidence no longer says."""
    try:
        built = product.stat().st_mtime
    except OSError:
        return False
    inputs = [workspace.root / PLATFORM_FILE,
              *(p for p in workspace.evidence_dir.rglob("*") if p.is_file())]
    return all(p.lstat().st_mtime <= built for p in inputs)


def build_first(workspace_dir: Path, out_dir: Path, checklist_file: Path | None,
                conformance_repo: Path | None) -> None:
    """Run ``build`` as its own command would; its report goes to stderr."""
    click.echo(f"no build in {out_dir} newer than the evidence: running build first", err=True)
    outcome = run_build(Workspace.load(workspace_dir), out_dir, checklist_file=checklist_file,
                        conformance_repo=conformance_repo)
    render_build(build_payload(outcome), console(stderr=True))


def _render(payload: dict[str, Any], out: Console) -> None:
    review = payload["review"]
    verdict = "[green]CI valid[/]" if review["ciValid"] else "[bold red]CI would reject[/]"
    out.print(f"{escape(payload['folder'])}: {verdict}")
    for finding in review["findings"]:
        out.print(f"  {finding['severity']} {finding['rule']}: {escape(finding['message'])}")
    if payload["dryRun"]:
        out.print("[bold]dry run[/]: nothing written. Files:")
        for path in payload["files"]:
            out.print(f"  {escape(path)}")
        out.print(escape(payload["diff"]) or "(no change against HEAD)", end="")
    else:
        out.print(f"committed [bold]{payload['commit']}[/] on branch "
                  f"[bold]{escape(payload['branch'])}[/] ({len(payload['files'])} files)")
        if payload["pushed"]:
            out.print(f"pushed to {escape(payload['pushed'])}")
        else:
            out.print("not pushed: push the branch and open the pull request")
    out.print(f"\n[bold]Pull request title:[/]\n{escape(payload['title'])}\n")
    out.print(f"[bold]Pull request body:[/]\n{escape(payload['body'])}")
