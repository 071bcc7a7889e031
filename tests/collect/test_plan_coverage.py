"""Every requirement of every official checklist has a procedure with a positive and a
negative check, for every variant, or shows the human declaration that replaces it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.checklist import resolve_checklist
from generator.collect.orchestrate import select
from generator.collect.plan import procedure_plan
from generator.errors import InputError
from generator.procedures.loader import load_procedure, procedure_requirements, variants
from tests.collect.conftest import make_workspace


@pytest.mark.parametrize("version", ["v1.33", "v1.34", "v1.35", "v1.36", "v1.37"])
def test_dry_run_plans_positive_and_negative_checks_for_every_requirement(
        version: str, conformance_repo: Path, run_cli, tmp_path: Path) -> None:
    checklist = resolve_checklist(version, conformance_repo=conformance_repo)
    ids = [r.id for r in checklist.requirements]
    make_workspace(tmp_path / "ws", version, **{rid: {} for rid in ids})
    result = run_cli("collect", "--workspace", tmp_path / "ws", "--dry-run", "--output", "json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["withoutProcedure"] == [] and payload["declared"] == []
    assert [p["requirement"] for p in payload["requirements"]] == sorted(ids)
    for rid in ids:  # the other variants too, planned in-process
        for variant in variants(checklist.version, rid):
            roles = {c["role"] for c in procedure_plan(
                load_procedure(checklist.version, rid, variant))["checks"]}
            assert {"positive", "negative"} <= roles, (version, rid, variant, roles)


def test_a_declaration_replaces_the_plan_and_shows_its_reason(run_cli, tmp_path: Path) -> None:
    reason = "Bare-metal racks of fixed size: no node is ever added."
    make_workspace(tmp_path / "ws", "v1.35",
                   cluster_autoscaling={"status": "N/A", "reason": reason})
    result = run_cli("collect", "--workspace", tmp_path / "ws", "--dry-run")
    assert result.exit_code == 0
    assert "cluster_autoscaling" in result.stdout and reason in result.stdout


@pytest.mark.parametrize("version", ["v1.33", "v1.34", "v1.35", "v1.36"])
def test_the_plan_follows_the_versions_checklist(version: str, conformance_repo: Path,
                                                 tmp_path: Path) -> None:
    """Every requirement planned is an id of that version's checklist: 1.36 inherits the
    dra_support procedure of 1.34 but its checklist has no such id, so it is never run."""
    checklist = resolve_checklist(version, conformance_repo=conformance_repo)
    ids = {r.id for r in checklist.requirements}
    library = procedure_requirements(checklist.version)
    every = select(make_workspace(tmp_path / "all", version, **{r: {} for r in library}), (),
                   checklist)
    assert {p.requirement for p in every.procedures} == ids & set(library)
    assert set(every.outside_checklist) == set(library) - ids
    workspace = make_workspace(tmp_path / "ws", version, dra_support={})
    if "dra_support" not in ids:
        with pytest.raises(InputError, match="not a requirement of the official checklist"):
            select(workspace, ("dra_support",), checklist)


def test_the_plan_shows_captured_values_as_the_shell_expands_them(tmp_path: Path) -> None:
    """A value captured at run time is shown "${name}", as procedure.sh uses it: a line copied
    from the plan into bash, with the variable set, runs with the value."""
    import shlex
    import subprocess

    plan = procedure_plan(load_procedure("1.35", "accelerator_metrics", "dcgm-exporter"))
    lines = [line for check in plan["checks"] for line in check["commands"]
             if "exporterIP" in line and not line.startswith("exporterIP=")]
    assert lines and all('"${exporterIP}"' in line for line in lines)
    words = subprocess.run(["bash", "-c", f"exporterIP=10.0.0.7; printf '%s\\n' {lines[0]}"],
                           capture_output=True, text=True, check=True).stdout
    assert "http://10.0.0.7:9400/metrics" in words.splitlines()
    assert shlex.split(lines[0])  # still one well-formed shell line
