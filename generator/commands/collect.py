"""``k8s-ai-evidence collect``: run procedures against a cluster (or a replayed session)."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from generator.checklist.model import Checklist
from generator.checklist.resolve import resolve_checklist
from generator.collect.orchestrate import Collection, CollectOptions, select
from generator.collect.plan import plan
from generator.collect.progress import LiveProgress
from generator.commands.options import (
    InputFile,
    checklist_options,
    output_option,
    workspace_option,
)
from generator.errors import EnvironmentProblem, ExitCode, InputError
from generator.evidence.junit import write_junit
from generator.evidence.model import RequirementResult
from generator.evidence.verdicts import Status
from generator.output import console, emit
from generator.outputs import check_output_file
from generator.upstream.report import render_suite, suite_summary
from generator.upstream.suite import SUITE_DIR, SuiteConfig
from generator.workspace import Workspace


def _counts(result: RequirementResult) -> dict[str, int]:
    """How many checks ended in each status."""
    counts: dict[str, int] = {}
    for check in result.checks:
        counts[check.status.value] = counts.get(check.status.value, 0) + 1
    return counts


def _summary(results: dict[str, RequirementResult]) -> list[dict[str, Any]]:
    return [{"requirement": requirement, "status": result.status.value,
             "conformance": result.conformance.value if result.conformance else None,
             "reason": result.reason, "checks": _counts(result)}
            for requirement, result in sorted(results.items())]


def _render_summary(results: dict[str, RequirementResult], evidence: Path,
                    out: Console) -> None:
    table = Table(title=f"Evidence written to {evidence}", title_justify="left")
    for column in ("requirement", "status", "conformance", "checks", "reason"):
        table.add_column(column)
    for requirement, result in sorted(results.items()):
        checks = ", ".join(f"{n} {s}" for s, n in sorted(_counts(result).items()))
        table.add_row(requirement, f"[{result.status.colour}]{result.status}[/]",
                      result.conformance or "-", checks, result.reason)
    out.print(table)


def _render_plan(payload: dict[str, Any], out: Console, notice: str | None = None) -> None:
    for item in payload["requirements"]:
        out.print(f"[bold]{item['requirement']}[/] (variant {item['variant']}, "
                  f"namespace {item['namespace']})")
        for check in item["checks"]:
            out.print(f"  {escape('[' + check['role'] + ']')} {check['id']}: {check['title']}")
            for command in check["commands"]:
                out.print(f"      $ {command}", markup=False)
    for item in payload["declared"]:
        out.print(f"[bold]{item['requirement']}[/]: declared {item['status']} ({item['reason']})")
    if suite := payload.get("upstreamSuite"):
        out.print(f"[bold]upstream suite[/] (in {escape(suite['directory'])}, after the "
                  "procedures)")
        out.print(f"      $ {suite['command']}", markup=False)
    _render_not_collected(payload, out)
    _notice(notice, out)


def _render_not_collected(payload: dict[str, Any], out: Console) -> None:
    """What platform.yaml names but no run collects, said by the plan and after every run."""
    for requirement in payload["withoutProcedure"]:
        out.print(f"[bold]{escape(requirement)}[/]: no procedure yet for this version; "
                  "not collected")
    for requirement in payload["outsideChecklist"]:
        out.print(f"[yellow]warning[/] platform.yaml requirements.{escape(requirement)}: not "
                  "in the official checklist of this version; not collected")


def _plan_checklist(workspace: Workspace, checklist_file: Path | None,
                    conformance_repo: Path | None) -> tuple[Checklist | None, str | None]:
    """The checklist the plan follows, or None and a notice saying why the plan could not be
    checked against one (the notice is part of the output, not an error)."""
    try:
        return resolve_checklist(workspace.version, checklist_file, conformance_repo), None
    except EnvironmentProblem as exc:
        if checklist_file or conformance_repo:
            raise
        return None, f"the plan is not checked against the official checklist: {exc}"


def _notice(text: str | None, out: Console) -> None:
    if text:
        out.print(f"[yellow]notice:[/] {escape(text)}")


@click.command("collect", help="Run the requirements' procedures and write the evidence tree "
               "evidence/vX.Y/<requirement>/ (exit 1 if a requirement failed or is unknown).")
@workspace_option
@click.option("--requirement", "requirements", multiple=True, metavar="ID",
              help="Collect only this requirement (repeatable).")
@click.option("--kubeconfig", type=InputFile(path_type=None), help="kubeconfig file to use.")
@click.option("--context", help="kubeconfig context to use.")
@click.option("--parallel", type=click.IntRange(1, 32), default=4, show_default=True,
              help="Requirements collected at the same time.")
@click.option("--dry-run", is_flag=True, help="Print every command that would run; run nothing.")
@click.option("--record", type=click.Path(dir_okay=False, path_type=Path),
              help="Save the session (commands and outputs, redacted) for --replay.")
@click.option("--replay", type=click.Path(exists=True, path_type=Path), multiple=True,
              help="Answer every command from a recorded session (a file, or a folder of them, "
                   "e.g. one per requirement; repeatable): no cluster needed.")
@click.option("--replay-timing", is_flag=True, hidden=True,
              help="With --replay, take as long as the recorded commands did (benchmarks).")
@click.option("--junit", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the results as JUnit XML to this file.")
@click.option("--upstream-suite", type=click.Path(file_okay=False, path_type=Path),
              metavar="DIR", help="Also run the upstream suite (go test -json ./test) in this "
              "checkout of kubernetes-sigs/ai-conformance, with platform.yaml upstreamSuite "
              "flags; writes results.json, junit.xml and e2e.log and imports its tests.")
@checklist_options
@output_option
def collect(workspace_dir: Path, requirements: tuple[str, ...], kubeconfig: str | None,
            context: str | None, parallel: int, dry_run: bool, record: Path | None,
            replay: tuple[Path, ...], replay_timing: bool, junit: Path | None,
            upstream_suite: Path | None, checklist_file: Path | None,
            conformance_repo: Path | None, output_format: str) -> int:
    if record and replay:
        raise InputError("--record and --replay cannot be combined")
    if dry_run and (written := [n for n, v in (("--record", record), ("--junit", junit)) if v]):
        raise InputError(f"--dry-run runs nothing, so {' and '.join(written)} would write "
                         "nothing; drop one")
    workspace = Workspace.load(workspace_dir)
    if junit:
        check_output_file(junit, "--junit", workspace.root, b'<testsuites name="k8s-ai-evidence"')
    if record:
        check_output_file(record, "--record", workspace.root,
                          b"schemaVersion: 1\nkubernetesVersion:")
    checklist, notice = _plan_checklist(workspace, checklist_file, conformance_repo)
    selection = select(workspace, requirements, checklist)
    if dry_run:
        planned = {**plan(selection), "checklistNotice": notice}
        if upstream_suite:
            planned["upstreamSuite"] = {
                "directory": str(upstream_suite),
                "command": shlex.join(SuiteConfig.from_workspace(workspace).argv(kubeconfig))}
        emit(output_format, planned, lambda out: _render_plan(planned, out, notice))
        return ExitCode.OK
    options = CollectOptions(requirements, kubeconfig, context, parallel, record, replay,
                             replay_timing, upstream_suite)
    names = [p.requirement for p in selection.procedures] + (
        [SUITE_DIR] if upstream_suite else [])
    with LiveProgress(names, console(stderr=True)) as progress:
        collection = Collection(workspace, options, progress)
        results = collection.run(selection)
    if junit:
        write_junit([results[k] for k in sorted(results)], junit)
    payload: dict[str, Any] = {"kubernetesVersion": workspace.tag,
                               "evidence": str(workspace.evidence_dir),
                               "requirements": _summary(results), "checklistNotice": notice,
                               "withoutProcedure": selection.skipped,
                               "outsideChecklist": selection.outside_checklist}
    suite = suite_summary(collection.suite, collection.suite_import)
    if suite:
        payload["upstreamSuite"] = suite

    def render(out: Console) -> None:
        _render_summary(results, workspace.evidence_dir, out)
        if suite:
            render_suite(suite, out)
        _render_not_collected(payload, out)
        _notice(notice, out)

    emit(output_format, payload, render)
    bad = any(r.status in (Status.FAILED, Status.UNKNOWN) for r in results.values()) or bool(
        suite and suite["failed"])
    return ExitCode.FAILED if bad else ExitCode.OK
