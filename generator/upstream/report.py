"""What ``collect`` says about an upstream suite run: outcomes, mapping, warnings."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape

from generator.importers.merge import ImportSummary
from generator.layout import SUITE_ARTIFACTS
from generator.upstream.suite import SuiteRun


def suite_summary(run: SuiteRun | None, imported: ImportSummary | None) -> dict[str, Any] | None:
    if run is None:
        return None
    outcomes = run.outcomes()
    top = {name: status for name, status in outcomes.items() if "/" not in name}
    return {"folder": str(run.folder), "artifacts": list(SUITE_ARTIFACTS),
            "checkout": run.checkout.shown(), "exitCode": run.exit_code,
            "timedOut": run.timed_out,
            "passed": sorted(n for n, s in top.items() if s == "passed"),
            "failed": sorted(n for n, s in outcomes.items() if s in ("failed", "unknown")),
            "skipped": sorted(n for n, s in top.items() if s == "skipped"),
            "mapped": imported.mapped if imported else {},
            "warnings": run.warnings}


def render_suite(suite: dict[str, Any], out: Console) -> None:
    out.print(f"[bold]Upstream suite[/] ({escape(suite['checkout'])}): "
              f"{len(suite['passed'])} tests passed, {len(suite['failed'])} failed, "
              f"{len(suite['skipped'])} skipped; {', '.join(suite['artifacts'])} in "
              f"{escape(suite['folder'])}")
    for name in suite["failed"]:
        out.print(f"  [red]failed[/] {escape(name)}")
    for name in suite["skipped"]:
        out.print(f"  skipped {escape(name)} (its flags are unset, or it does not apply)")
    for requirement, counts in sorted(suite["mapped"].items()):
        out.print(f"  {requirement}: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n))
    if suite["timedOut"]:
        out.print("  [red]the suite ran out of time[/] "
                  "(platform.yaml upstreamSuite.timeoutMinutes)")
    for warning in suite["warnings"]:
        out.print(f"  [yellow]warning[/] {escape(warning)}")
