"""``collect --dry-run``: every command that would run, per requirement, with its role."""

from __future__ import annotations

from typing import Any

from generator.collect.engine import cleanup_check, namespace_check
from generator.collect.orchestrate import Selection, parameters
from generator.collect.session import RUN_ID_TOKEN
from generator.procedures import Procedure
from generator.procedures.script import shell_line


def procedure_plan(procedure: Procedure) -> dict[str, Any]:
    params = parameters(procedure, RUN_ID_TOKEN)
    # required parameters platform.yaml leaves unset stay visible as ${name}
    params.update({name: f"${{{name}}}" for name, value in params.items() if value is None})
    captured = {s.capture for c in procedure.checks for s in c.steps if s.capture}
    checks = [namespace_check(), *procedure.checks, cleanup_check(procedure)]
    where = str(procedure.path)
    return {
        "requirement": procedure.requirement, "variant": procedure.variant,
        "procedure": str(procedure.path), "namespace": params["namespace"],
        "checks": [{"id": c.id, "role": c.role, "title": c.title,
                    "commands": [shell_line(s, params, f"{where} step {s.id}", captured)
                                 for s in c.steps]}
                   for c in checks],
    }


def plan(selection: Selection) -> dict[str, Any]:
    return {
        "requirements": [procedure_plan(p) for p in selection.procedures],
        "declared": [{"requirement": r, **d.to_json()} for r, d in selection.declared.items()],
        "withoutProcedure": selection.skipped,
        "outsideChecklist": selection.outside_checklist,
    }
