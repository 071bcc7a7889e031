"""``k8s-ai-evidence build``: the reviewer-facing site and PRODUCT.yaml from the evidence tree."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator.build_pipeline import BuildOutcome, run_build
from generator.commands.options import (
    checklist_options,
    out_option,
    output_option,
    workspace_option,
)
from generator.errors import EXIT_CODES_HELP, ExitCode
from generator.layout import check_published_path
from generator.output import console, emit
from generator.workspace import Workspace

if TYPE_CHECKING:
    from rich.console import Console


@click.command("build", help="Render the evidence site (OUT/site) and the submission file "
               "(OUT/submission/vX.Y/<dir>/PRODUCT.yaml) from the workspace's evidence tree.\n\n"
               f"{EXIT_CODES_HELP} Exit 1 also when a MUST requirement blocks certification or "
               "the written PRODUCT.yaml would fail CNCF CI (both are still written).")
@workspace_option
@out_option("Output folder.")
@click.option("--site-url", help="Where the site will be published (default: platform.yaml "
              "site.url); evidence links in PRODUCT.yaml point there.")
@click.option("--versioned-path", help="Publish path under the site URL for this build "
              "(default: platform.yaml site.versionedPath), e.g. a scheduled run's own path.")
@click.option("--strict", is_flag=True,
              help="Fail on mkdocs warnings and on broken internal links or anchors.")
@click.option("--online", is_flag=True, help="Also check every URL of PRODUCT.yaml as CNCF CI "
              "will (network); results show on the overview page and in JSON.")
@checklist_options
@output_option
@click.pass_context
def build(ctx: click.Context, workspace_dir: Path, out_dir: Path, site_url: str | None,
          versioned_path: str | None, strict: bool, online: bool, checklist_file: Path | None,
          conformance_repo: Path | None, output_format: str) -> None:
    workspace = Workspace.load(workspace_dir)
    if versioned_path:
        workspace = workspace.with_versioned_path(
            check_published_path(versioned_path, "--versioned-path"))
    outcome = run_build(workspace, out_dir, site_url=site_url,
                        strict=strict, online=online, checklist_file=checklist_file,
                        conformance_repo=conformance_repo)
    payload = build_payload(outcome)
    emit(output_format, payload, lambda out: render(payload, out))
    if output_format == "text" and outcome.bundle.checklist_problem:
        from rich.markup import escape

        console(stderr=True).print(f"[bold red]PRODUCT.yaml not written:[/] "
                                   f"{escape(outcome.bundle.checklist_problem)}")
    if outcome.failed:
        ctx.exit(ExitCode.FAILED)


def build_payload(outcome: BuildOutcome) -> dict[str, Any]:
    bundle, site, submission, report = (outcome.bundle, outcome.site, outcome.submission,
                                        outcome.report)
    payload = {
        "site": str(site.site_dir),
        "pages": site.pages,
        "warnings": site.warnings,
        "productYaml": str(submission.path) if submission else None,
        "productRepoPath": submission.repo_path if submission else None,
        "inPrEvidence": submission.copied if submission else [],
        "suiteArtifacts": submission.artifacts if submission else [],
        "suiteArtifactsProblem": submission.artifact_problem if submission else None,
        "review": report.to_json() if report else None,
        "checklist": bundle.checklist.source if bundle.checklist else None,
        "checklistProblem": bundle.checklist_problem,
        "blockingMust": [{"id": r.id, "status": r.conformance or "", "reason": r.reason}
                         for r in bundle.blocking],
        "example": bundle.workspace.is_example,
    }
    if outcome.links:
        payload["links"] = [result.to_json() for result in outcome.links.values()]
    return payload


def render(payload: dict[str, Any], out: Console) -> None:
    from rich.markup import escape  # rich only for text output

    out.print(f"site: [bold]{escape(payload['site'])}[/] ({payload['pages']} pages); "
              f"serve it with: python3 -m http.server -d {escape(payload['site'])}")
    for warning in payload["warnings"]:
        out.print(f"  [yellow]warning[/] {escape(warning)}")
    if payload["productYaml"]:
        out.print(f"PRODUCT.yaml: [bold]{escape(payload['productYaml'])}[/] "
                  f"(goes to {escape(payload['productRepoPath'])} in cncf/k8s-ai-conformance)")
    if payload["suiteArtifacts"]:
        out.print(f"upstream suite artifacts beside it: {', '.join(payload['suiteArtifacts'])}")
    if payload["suiteArtifactsProblem"]:
        out.print(f"  [yellow]warning[/] {escape(payload['suiteArtifactsProblem'])}")
    review = payload["review"]
    if review:
        verdict = "[green]CI valid[/]" if review["ciValid"] else "[bold red]CI would reject[/]"
        out.print(f"review: {verdict}")
        for finding in review["findings"]:
            out.print(f"  {finding['severity']} {finding['rule']}: {escape(finding['message'])}")
    for must in payload["blockingMust"]:
        out.print(f"[bold red]BLOCKS CERTIFICATION:[/] MUST {must['id']} is "
                  f"{escape(must['status'] or 'not claimed')} ({escape(must['reason'])})")
    if payload["example"]:
        out.print("[yellow]example data of a fictional platform: never submit it[/]")
