"""Loading procedures: inheritance between versions, overrides, clear errors at load time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.procedures import load_procedure, procedure_requirements
from generator.procedures.loader import version_chain

THREE = ["dra_support", "gang_scheduling", "secure_accelerator_access"]


@pytest.mark.parametrize("version", ["1.33", "1.34", "1.35", "1.36"])
def test_every_version_has_the_three_procedures(version: str) -> None:
    assert set(THREE) <= set(procedure_requirements(version))
    for requirement in procedure_requirements(version):  # each loads, a variant is picked
        assert load_procedure(version, requirement).checks


def test_inheritance_chain_and_file_override() -> None:
    assert version_chain("1.36") == ["1.36", "1.35", "1.34"]
    p133 = load_procedure("1.33", "dra_support")
    assert p133.path.parts[-3] == "1.34"  # the variant is inherited ...
    assert p133.manifest_path("claim-pod.yaml").parts[-4] == "1.33"  # ... its manifest is not
    assert load_procedure("1.35", "dra_support").manifest_path("claim-pod.yaml").parts[-4] == (
        "1.34")


def test_platform_parameters_override_defaults() -> None:
    procedure = load_procedure("1.35", "gang_scheduling", None, {"podCount": 4})
    assert procedure.parameters["podCount"] == 4
    assert procedure.parameters["resourceName"] == "nvidia.com/gpu"


def _library(tmp_path: Path, procedure: str, version_yaml: str = "") -> Path:
    folder = tmp_path / "1.35" / "demo"
    (folder / "manifests").mkdir(parents=True)
    (folder / "default.yaml").write_text(procedure)
    (tmp_path / "1.35" / "_version.yaml").write_text(version_yaml)
    return tmp_path


GOOD = """title: Demo
parameters: {name: x}
checks:
  - id: one
    title: One
    role: positive
    steps:
      - id: get
        run: kubectl get pod ${name}
"""


@pytest.mark.parametrize(("text", "message"), [
    (GOOD.replace("role: positive", "role: sometimes"), "default.yaml:6: checks[0].role"),
    (GOOD.replace("kubectl get", "curl get"), "checks[0].steps[0].run"),
    (GOOD.replace("${name}", "${nmae}"), "step get: ${nmae} is neither a parameter"),
    (GOOD + "        expect: {builtin: {name: magic}}\n", "unknown builtin check 'magic'"),
    (GOOD + "        expect: {regex: 'Running$'}\n", "write a literal dollar as $$"),
    (GOOD.replace("kubectl get pod ${name}", 'kubectl get pod ${name} -o jsonpath={.status'
                  '.conditions[?(@.type=="Ready")].status}'), "drops the quotes"),
    (GOOD + "      - id: more\n        apply: missing.yaml\n", "manifest missing.yaml not found"),
    (GOOD + "  - id: one\n    title: Again\n    role: negative\n    steps: [{id: a, run: kubectl"
            " version}]\n", "duplicate check id 'one'"),
])
def test_broken_procedures_fail_at_load_time(tmp_path: Path, text: str, message: str) -> None:
    root = _library(tmp_path, text)
    with pytest.raises(InputError) as error:
        load_procedure("1.35", "demo", root=root)
    assert message in str(error.value)


def test_unknown_variant_and_version(tmp_path: Path) -> None:
    root = _library(tmp_path, GOOD)
    with pytest.raises(InputError, match="unknown variant 'kueue'"):
        load_procedure("1.35", "demo", "kueue", root=root)
    with pytest.raises(InputError, match=r"no procedures for Kubernetes 1\.99"):
        load_procedure("1.99", "demo", root=root)


@pytest.mark.parametrize(("manifest", "kind", "message"), [
    ("metadata: {name: ${node}}\n", "token", 'write the captured ${node} as "${node}"'),
    ("metadata: {name: 'p-${node}'}\n", "token", "write the captured ${node}"),
    ("metadata: {name: \"${node}\"}\n", "token", None),
    ("values: ['${node}']\n", "dns-subdomain", None),
    ("replicas: ${node}\n", "integer", None),
])
def test_a_captured_value_stands_alone_in_a_quoted_scalar(tmp_path: Path, manifest: str,
                                                         kind: str, message: str | None) -> None:
    """Captured text is data: in a manifest it is a whole quoted YAML scalar (and validated
    as its captureAs kind, which allows no quote), or an integer."""
    text = GOOD + (f"        capture: node\n        captureAs: {kind}\n"
                   "      - id: use\n        apply: use.yaml\n")
    root = _library(tmp_path, text)
    (root / "1.35" / "demo" / "manifests" / "use.yaml").write_text(manifest)
    if message is None:
        assert load_procedure("1.35", "demo", root=root).checks
    else:
        with pytest.raises(InputError, match=re.escape(message)):
            load_procedure("1.35", "demo", root=root)


@pytest.mark.parametrize(("value", "want"), [
    ("abc", "is not an integer (default: 300)"),
    ([1, 2], "is not a single value"),
    (True, "is not a single value (quote a word such as 'true')"),
])
def test_a_parameter_of_the_wrong_kind_fails_at_load_time(value: object, want: str) -> None:
    """``jobTimeout: abc`` would fail only when kubectl wait runs, halfway through a run."""
    field = "platform.yaml: requirements.gang_scheduling.parameters.jobTimeout"
    with pytest.raises(InputError, match=re.escape(f"{field}: {value!r} {want}")):
        load_procedure("1.35", "gang_scheduling", "kueue", {"jobTimeout": value})


def test_a_string_parameter_takes_a_number() -> None:
    assert load_procedure("1.35", "gang_scheduling", "kueue",
                          {"clusterQueue": 7}).parameters["clusterQueue"] == 7
