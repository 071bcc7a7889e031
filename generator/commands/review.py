"""``k8s-ai-evidence review PATH...``: CNCF CI's verdict plus reviewer lint, for people or CI."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator.commands.options import checklist_options, output_option
from generator.errors import EXIT_CODES_HELP, ExitCode
from generator.output import console, emit
from generator.review import SubmissionReport, review_paths, summary
from generator.review.engine import revision_notices
from generator.review.revisions import DEFAULT_RULE_SET, RULE_SETS, RuleSet, rule_set
from generator.review.rules import RULES

if TYPE_CHECKING:
    from rich.console import Console

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


@click.command("review", help="Check PRODUCT.yaml files exactly as CNCF CI will, plus what a "
               "careful reviewer would flag. PATH is a PRODUCT.yaml or a folder searched for "
               f"vX.Y/<dir>/PRODUCT.yaml (e.g. a checkout of cncf/k8s-ai-conformance).\n\n"
               f"{EXIT_CODES_HELP} Exit 1 means some submission is not ciValid.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@checklist_options
@click.option("--online", is_flag=True,
              help="Also check URL reachability and the CNCF member list (network).")
@click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also build the reviewer site (matrix, one page per submission and per "
              "requirement) into SITE/site.")
@click.option("--ci-rules", "ci_rules", metavar="REV",
              help=f"Judge as this revision of CNCF's validator does (default "
              f"{DEFAULT_RULE_SET}, what CI runs today; known: {', '.join(RULE_SETS)}).")
@click.option("--list-rules", is_flag=True, help="Print every rule id (CI rules per validator "
              "revision with CI's line, reviewer lint, online, validate) and exit.")
@output_option
@click.pass_context
def review(ctx: click.Context, paths: tuple[Path, ...], checklist_file: Path | None,
           conformance_repo: Path | None, online: bool, site_dir: Path | None,
           ci_rules: str | None, list_rules: bool, output_format: str) -> None:
    rules = rule_set(ci_rules)
    if list_rules:
        if paths or site_dir or online:  # they would be silently ignored
            raise click.UsageError("--list-rules only prints the rules: give no PATH, --site "
                                   "or --online with it")
        emit(output_format, _registry(rules), lambda out: _render_rules(rules, out))
        return
    if not paths:
        raise click.UsageError("give at least one PRODUCT.yaml or folder")
    reports = review_paths(paths, checklist_file, conformance_repo, rules)
    notices = revision_notices(reports, rules)
    links = {}
    if online:
        from generator.review.online import check_online

        links = check_online(reports)
    payload: dict[str, Any] = {"ciRules": rules.to_json(), "notices": notices,
                               "submissions": [r.to_json() for r in reports],
                               "summary": summary(reports)}
    if online:
        payload["links"] = {url: result.to_json() for url, result in links.items()}
    if site_dir:
        from generator.reviewsite import build_review_site

        payload["site"] = str(build_review_site(reports, site_dir, links).site_dir)
    emit(output_format, payload,
         lambda out: _render(reports, payload["summary"], rules, notices, out))
    if site_dir and output_format == "text":
        from rich.markup import escape

        console().print(f"reviewer site: [bold]{escape(payload['site'])}[/]; serve it with: "
                        f"python3 -m http.server -d {escape(payload['site'])}")
    if not all(r.ci_valid for r in reports):
        ctx.exit(ExitCode.FAILED)


def _registry(rules: RuleSet) -> dict[str, Any]:
    """Every rule, and for CI's whether the selected revision has it."""
    return {"ciRules": rules.to_json(),
            "ruleSets": [r.to_json() for r in RULE_SETS.values()],
            "rules": {rule.id: {"kind": rule.kind, "reason": rule.reason,
                                **({"ci": list(rule.ci),
                                    "revisions": [r.id for r in RULE_SETS.values()
                                                  if r.has(rule.id)]} if rule.ci else {})}
                      for rule in RULES.values()}}


def _render_rules(rules: RuleSet, out: Console) -> None:
    from rich.markup import escape

    for known in RULE_SETS.values():
        mark = " (selected)" if known.id == rules.id else ""
        out.print(f"CI rules {known.id}{mark}: sha256 {known.sha256[:12]}…, "
                  f"{escape(known.title)}")
    for rule in RULES.values():
        absent = rule.ci and not rules.has(rule.id)
        kind = escape(f"[{rule.kind}]")
        out.print(f"\n{rule.id} {kind}{' (not in ' + rules.id + ')' if absent else ''}: "
                  f"{escape(rule.reason)}")
        for line in rule.ci:  # {placeholders} are filled in; {{x}} is printed as {x}
            out.print(f"  CI: {escape(line)}")


def _render(reports: list[SubmissionReport], totals: dict[str, Any], rules: RuleSet,
            notices: list[str], out: Console) -> None:
    from rich.markup import escape  # rich only for text output: JSON starts faster
    from rich.table import Table

    out.print(f"CI rules {rules.id} (CNCF's scripts/validate.go, sha256 {rules.sha256[:12]}…)")
    for notice in notices:
        out.print(f"[yellow]notice[/] {escape(notice)}")
    for report in reports:
        verdict = "[green]CI valid[/]" if report.ci_valid else "[bold red]CI would reject[/]"
        name = escape(report.display_path or "")
        version = f" ({report.kubernetes_version})" if report.kubernetes_version else ""
        out.print(f"\n[bold]{name}[/]{version}: {verdict}")
        for finding in report.sorted_findings():
            where = f":{finding.line}" if finding.line else ""
            req = f" [{finding.requirement}]" if finding.requirement else ""
            out.print(f"  [{_STYLE[finding.severity]}]{finding.severity}[/] {finding.rule}"
                      f"{escape(req)}{where}: {escape(finding.message)}")
        for finding in report.online or []:
            out.print(f"  [{_STYLE[finding.severity]}]online[/] {finding.rule}: "
                      f"{escape(finding.message)}")
    table = Table(show_header=False, box=None)
    table.add_row("submissions", str(totals["submissions"]))
    table.add_row("CI valid", f"[green]{totals['ciValid']}[/]")
    table.add_row("CI would reject", f"[red]{totals['ciInvalid']}[/]")
    table.add_row("errors / warnings", f"{totals['errors']} / {totals['warnings']}")
    out.print()
    out.print(table)
