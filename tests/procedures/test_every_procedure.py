"""Properties every procedure, every variant, in every version folder must have: no
hand-picked lists, so a new procedure is held to the same rules the day it is added."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generator.collect.engine import cleanup_check, manifest_template, namespace_check
from generator.collect.orchestrate import parameters
from generator.collect.plan import procedure_plan
from generator.procedures.expect import describe, evaluate
from generator.procedures.loader import (
    PROCEDURES_DIR,
    _version_config,
    load_procedure,
    procedure_requirements,
    variants,
    version_chain,
)
from generator.procedures.model import Procedure, Step, render
from generator.procedures.script import ere
from tests.procedures.test_manifests_validate import SAMPLES, rendered_manifests

VERSIONS = sorted((p.name for p in PROCEDURES_DIR.iterdir() if (p / "_version.yaml").is_file()),
                  key=lambda v: tuple(map(int, v.split("."))))
# Procedures whose NVIDIA-specific text no parameter reaches yet (issue 9, proc-reqs-b owns
# them); the lead removes an entry when its fix is merged (strict xfail).
NVIDIA_HARD_CODED: dict[str, str] = {}
VENDOR_WORDS = re.compile(r"nvidia|dcgm", re.IGNORECASE)  # NVIDIA and its exporter


def _every() -> list[Any]:
    return [pytest.param(v, r, n, id=f"{v}/{r}/{n}") for v in VERSIONS
            for r in procedure_requirements(v) for n in variants(v, r)]


def _steps(procedure: Procedure) -> list[Step]:
    return [s for c in (namespace_check(), *procedure.checks, cleanup_check(procedure))
            for s in c.steps]


def _sampled(procedure: Procedure) -> dict[str, Any]:
    """The run's parameters with typical captured values (as a cluster would answer)."""
    params = parameters(procedure, "abc123")
    params.update({s.capture: SAMPLES[s.capture_as] for s in _steps(procedure) if s.capture})
    return {k: "set-in-platform-yaml" if v is None else v for k, v in params.items()}


@pytest.mark.parametrize(("version", "requirement", "variant"), _every())
def test_renders_completely_for_every_version_that_has_it(version: str, requirement: str,
                                                         variant: str) -> None:
    """Every command, expectation and manifest renders with no placeholder left."""
    procedure = load_procedure(version, requirement, variant)
    params = _sampled(procedure)
    for step in _steps(procedure):
        scope = step.scope(params, step.id)
        text = " ".join(step.argv(scope, step.id)) + describe(step.expect, scope)
        assert "${" not in text, (step.id, text)
    assert rendered_manifests(version, requirement, variant)


@pytest.mark.parametrize(("version", "requirement", "variant"), _every())
def test_has_a_positive_and_a_negative_check(version: str, requirement: str,
                                             variant: str) -> None:
    roles = {c.role for c in load_procedure(version, requirement, variant).checks}
    assert {"positive", "negative"} <= roles


@pytest.mark.parametrize(("version", "requirement", "variant"), _every())
def test_no_check_passes_when_the_probe_is_missing(tmp_path: Path, version: str,
                                                   requirement: str, variant: str) -> None:
    """Whatever a step expects (absence included), exit 126/127 or a shell's "not found"
    answer is never a pass: a missing binary proves nothing."""
    procedure = load_procedure(version, requirement, variant)
    params = _sampled(procedure)
    answers = [(127, "", "command terminated with exit code 127\n"),
               (126, "", "command terminated with exit code 126\n"),
               (0, "sh: 1: nvidia-smi: not found\n", ""),
               (1, "", 'OCI runtime exec failed: exec failed: unable to start container process:'
                       ' exec: "nvidia-smi": executable file not found in $PATH: unknown\n')]
    for step in _steps(procedure):
        for code, out, err in answers:
            (tmp_path / "out").write_text(out)
            (tmp_path / "err").write_text(err)
            verdict = evaluate(step.expect, step.scope(params, step.id), code, False,
                               tmp_path / "out", tmp_path / "err", step.id)
            assert not verdict.ok, (step.id, code, out, err)


@pytest.mark.parametrize(("version", "requirement", "variant"), _every())
def test_nvidia_is_only_a_default(version: str, requirement: str, variant: str) -> None:
    """With every NVIDIA- or DCGM-named parameter overridden, no command, expectation,
    diagnostic or manifest names them: any procedure may name an accelerator, none may assume
    one (every procedure, accelerator_metrics included)."""
    key = f"{version}/{requirement}/{variant}"
    if key in NVIDIA_HARD_CODED:
        pytest.xfail(NVIDIA_HARD_CODED[key])
    defaults = load_procedure(version, requirement, variant).parameters
    vendor = {k: VENDOR_WORDS.sub("example", str(v)) for k, v in defaults.items()
              if VENDOR_WORDS.search(str(v))}
    procedure = load_procedure(version, requirement, variant, vendor)
    params = _sampled(procedure)
    texts = [str(procedure_plan(procedure)["checks"])]  # the commands, not the variant's name
    for step in _steps(procedure):
        scope = step.scope(params, step.id)
        texts += [describe(step.expect, scope),
                  *(" ".join(Step(step.id, run=d).argv(scope, step.id))
                    for d in step.diagnostics)]
        if step.apply:
            texts.append(render(manifest_template(procedure, step.apply), scope, step.apply))
    assert not VENDOR_WORDS.search("\n".join(texts))


@pytest.mark.parametrize(("version", "requirement", "variant"), _every())
def test_every_regex_is_judged_in_the_exported_script(version: str, requirement: str,
                                                      variant: str) -> None:
    """procedure.sh judges regexes with grep -E: each must translate (else it says it cannot
    judge them and exits 2)."""
    procedure = load_procedure(version, requirement, variant)
    params = _sampled(procedure)
    for step in _steps(procedure):
        expect, scope = step.expect, step.scope(params, step.id)
        for regex in (expect.regex, expect.not_regex, (expect.count or {}).get("regex"),
                      expect.tolerate.stderr if expect.tolerate else None):
            if regex:
                ere(render(regex, scope, step.id))


@pytest.mark.parametrize(("version", "requirement", "variant"), _every())
def test_api_resources_is_judged_by_its_output(version: str, requirement: str,
                                               variant: str) -> None:
    """kubectl api-resources exits 1 when any aggregated API is unavailable, after printing
    every group it found (kubectl pkg/cmd/apiresources): every such step tolerates that."""
    for step in _steps(load_procedure(version, requirement, variant)):
        if (step.run or "").startswith("kubectl api-resources"):
            assert step.expect.tolerate and step.expect.tolerate.exit_code == 1, step.id
            assert "unable to retrieve the complete list of server APIs" in (
                step.expect.tolerate.stderr)


@pytest.mark.parametrize("version", VERSIONS)
def test_default_variants_exist_and_fit_the_version(version: str) -> None:
    """Every defaultVariants entry names a variant; where resource.k8s.io is beta and off by
    default (before 1.34), no requirement but dra_support defaults to one that applies DRA
    objects."""
    for v in version_chain(version):
        for requirement, variant in (_version_config(v, PROCEDURES_DIR).get(
                "defaultVariants") or {}).items():
            if requirement in procedure_requirements(version):
                assert variant in variants(version, requirement), (v, requirement, variant)
    dra_ga = tuple(map(int, version.split("."))) >= (1, 34)
    for requirement in procedure_requirements(version):
        chosen = load_procedure(version, requirement).variant
        if dra_ga or requirement == "dra_support":
            continue
        kinds = {doc.get("apiVersion", "") for _, doc in
                 rendered_manifests(version, requirement, chosen)}
        assert not any(k.startswith("resource.k8s.io/") for k in kinds), (requirement, chosen)
