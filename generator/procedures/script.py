"""Export a procedure, as it ran, to ``procedure.sh``: plain bash and kubectl, no tool needed.

The script uses the run's concrete values (namespace, parameters, captured values) and the
manifests saved beside it, so a reviewer reproduces exactly what the evidence shows.  What each
output must show is written as a comment; the tool's verdicts are in result.json.
"""

from __future__ import annotations

import shlex
from typing import Any

from generator.procedures.expect import describe
from generator.procedures.model import Check, Procedure, Step, number

_HEADER = """#!/usr/bin/env bash
# {title}
# Requirement {requirement}, Kubernetes v{version}, variant {variant}.
# Exported by k8s-ai-evidence from {source}; runs with bash and kubectl only
# (uses the current kubectl context; cleanup runs on exit).
set -uo pipefail
cd "$(dirname "$0")"

retry() {{  # retry TIMEOUT INTERVAL COMMAND...: until the command succeeds
  local deadline=$((SECONDS + $1)) interval=$2; shift 2
  until "$@"; do [ "$SECONDS" -ge "$deadline" ] && return 1; sleep "$interval"; done
}}
repeat_for() {{  # repeat_for DURATION INTERVAL COMMAND...: the output must hold throughout
  local deadline=$((SECONDS + $1)) interval=$2; shift 2
  while "$@"; [ "$SECONDS" -lt "$deadline" ]; do sleep "$interval"; done
}}
"""


def shell_line(step: Step, params: dict[str, Any], where: str) -> str:
    """One step as the bash line procedure.sh and the dry-run plan show."""
    params = step.scope(params, where)
    line = shlex.join(step.argv(params, where))
    if step.apply:
        line += f" < manifests/{step.manifest_file()}"
    window = step.poll or step.hold
    if window:
        interval = number(window["interval"], params, 1, where)
        span = number(window.get("timeout", window.get("duration")), params, 0, where)
        helper = "retry" if step.poll else "repeat_for"
        line = f"{helper} {span:g} {interval:g} {line}"
    if step.capture:
        line = f"{step.capture}=$({line}); echo \"{step.capture}=${step.capture}\""
    return line


def _check(check: Check, params: dict[str, Any], where: str, indent: str = "") -> list[str]:
    lines = [f"{indent}# --- {check.role}: {check.id}: {check.title}"]
    for step in check.steps:
        lines.append(f"{indent}# {step.id}: expect {describe(step.expect, params)}")
        lines.append(indent + shell_line(step, params, f"{where} step {step.id}"))
    return lines


def export_script(procedure: Procedure, checks: list[Check], cleanup: Check,
                  params: dict[str, Any]) -> str:
    """``checks`` include the engine's namespace setup; ``cleanup`` runs from a trap."""
    where = str(procedure.path)
    lines = [_HEADER.format(title=procedure.title, requirement=procedure.requirement,
                            version=procedure.version, variant=procedure.variant,
                            source=procedure.path.name)]
    lines += ["cleanup() {", *_check(cleanup, params, where, "  "), "}", "trap cleanup EXIT", ""]
    for check in checks:
        lines += [*_check(check, params, where), ""]
    return "\n".join(lines)
