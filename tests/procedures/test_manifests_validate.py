"""Every manifest every procedure and variant renders (default parameters, every version
folder) is valid for the API server of its version: built-in kinds against the Kubernetes
OpenAPI schemas of that version (kubernetes-validate, strict: unknown fields are errors, as
kubectl's default ``--validate=strict`` makes them), custom resources against the upstream CRD
schemas in tests/data/crds (see its README for sources and licence)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import kubernetes_validate.utils
import pytest
import yaml

from generator.collect.engine import NAMESPACE_MANIFEST, manifest_template
from generator.collect.orchestrate import parameters
from generator.procedures.loader import (
    PROCEDURES_DIR,
    load_procedure,
    procedure_requirements,
    variants,
)
from generator.procedures.model import render

CRDS = Path(__file__).resolve().parent.parent / "data" / "crds"
# A captured value of each kind, as a cluster would answer it
SAMPLES = {"token": "gpu-node-1", "words": "gpu-node-1 gpu-node-2", "integer": "2",
           "dns-subdomain": "gpu-node-1"}
REQUIRED_SAMPLE = "set-in-platform-yaml"
# kubernetes-validate reads its schema files on every call; the same few are asked each time
kubernetes_validate.utils.schema_contents = functools.lru_cache(maxsize=None)(
    kubernetes_validate.utils.schema_contents)


def _versions() -> list[str]:
    return sorted((p.name for p in PROCEDURES_DIR.iterdir() if p.is_dir()
                   and (p / "_version.yaml").is_file()), key=lambda v: tuple(map(int,
                                                                                 v.split("."))))


# Manifests of procedures known to be invalid, with the reason (strict xfail: a fixed manifest
# makes the test fail until its entry goes)
KNOWN_INVALID: dict[str, str] = {}


def _cases() -> list[Any]:
    cases = []
    for version in _versions():
        for requirement in procedure_requirements(version):
            for variant in variants(version, requirement):
                key = f"{version}/{requirement}/{variant}"
                marks = ([pytest.mark.xfail(reason=KNOWN_INVALID[key], strict=True)]
                         if key in KNOWN_INVALID else [])
                cases.append(pytest.param(version, requirement, variant, id=key, marks=marks))
    return cases


def rendered_manifests(version: str, requirement: str, variant: str
                       ) -> list[tuple[str, dict[str, Any]]]:
    """(file, document) for every apply step, rendered as a run would with default
    parameters and typical captured values."""
    procedure = load_procedure(version, requirement, variant)
    params = {k: REQUIRED_SAMPLE if v is None else v
              for k, v in parameters(procedure, "abc123").items()}
    steps = [s for c in procedure.checks for s in c.steps]
    params.update({s.capture: SAMPLES[s.capture_as] for s in steps if s.capture})
    found = [(NAMESPACE_MANIFEST, yaml.safe_load(render(
        manifest_template(procedure, NAMESPACE_MANIFEST), params, NAMESPACE_MANIFEST)))]
    for step in [*steps, *procedure.cleanup]:
        if step.apply:
            text = render(manifest_template(procedure, step.apply),
                          step.scope(params, step.id), step.apply)
            found += [(step.apply, doc) for doc in yaml.safe_load_all(text) if doc]
    return found


def _closed(schema: Any) -> Any:
    """A CRD's structural schema as the API server applies it: fields it does not declare are
    errors unless x-kubernetes-preserve-unknown-fields (strict field validation)."""
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    closed = {k: _closed(v) for k, v in schema.items()}
    if ("properties" in schema and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")):
        closed["additionalProperties"] = False
    return closed


@functools.cache
def _crd_schemas() -> dict[tuple[str, str, str], dict[str, Any]]:
    """(group, version, kind) -> the served version of every CRD kept as test data, its
    schema closed; a deprecated version keeps its warning (the API server sends it back)."""
    schemas = {}
    for path in sorted(CRDS.glob("*.json")):
        crd = json.loads(path.read_text())
        for served in crd["spec"]["versions"]:
            key = (crd["spec"]["group"], served["name"], crd["spec"]["names"]["kind"])
            schemas[key] = {"schema": _closed(served["schema"]["openAPIV3Schema"]),
                            "deprecated": served.get("deprecated") and served.get(
                                "deprecationWarning", "deprecated")}
    return schemas


def _is_builtin(api_version: str) -> bool:
    group = api_version.rpartition("/")[0]
    return "." not in group or (group.endswith(".k8s.io") and not group.startswith(
        ("gateway.networking.", "inference.networking.")))


# Pod Security Standards "baseline" (kubernetes/pod-security-admission policy/
# check_capabilities_baseline.go capabilities_allowed_1_0, check_privileged.go,
# check_hostNamespaces.go, check_hostPathVolumes.go, check_hostPorts.go): the namespaces the
# tool creates carry no pod-security labels, so a cluster enforcing baseline by default (a
# common hardening) refuses any pod that breaks it.
BASELINE_CAPABILITIES = {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
                         "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID",
                         "SYS_CHROOT"}


def _pod_specs(node: Any) -> list[dict[str, Any]]:
    """Every pod spec in a document (a Pod's, a template's, a RayCluster group's...)."""
    if isinstance(node, list):
        return [spec for item in node for spec in _pod_specs(item)]
    if not isinstance(node, dict):
        return []
    here = [node] if isinstance(node.get("containers"), list) else []
    return here + [spec for value in node.values() for spec in _pod_specs(value)]


def baseline_problems(document: dict[str, Any]) -> list[str]:
    """What PodSecurity ``baseline`` would refuse in ``document``."""
    found = []
    for spec in _pod_specs(document):
        found += [f"{key}: true" for key in ("hostNetwork", "hostPID", "hostIPC")
                  if spec.get(key)]
        found += [f"hostPath volume {v.get('name')}" for v in spec.get("volumes") or []
                  if "hostPath" in v]
        for container in [*spec["containers"], *(spec.get("initContainers") or [])]:
            context = container.get("securityContext") or {}
            if context.get("privileged"):
                found.append(f"container {container.get('name')}: privileged")
            added = set((context.get("capabilities") or {}).get("add") or ()) - \
                BASELINE_CAPABILITIES
            if added:
                found.append(f"container {container.get('name')}: capabilities "
                             f"{', '.join(sorted(added))} beyond baseline")
            if any(port.get("hostPort") for port in container.get("ports") or []):
                found.append(f"container {container.get('name')}: hostPort")
    return found


def problems(document: dict[str, Any], version: str) -> list[str]:
    """What the API server of ``version`` would refuse in ``document``."""
    return _schema_problems(document, version) + baseline_problems(document)


def _schema_problems(document: dict[str, Any], version: str) -> list[str]:
    api_version, kind = document.get("apiVersion", ""), document.get("kind", "")
    if _is_builtin(api_version):
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            return [f"{'.'.join(map(str, exc.path))}: {exc.message}"]
        except kubernetes_validate.SchemaNotFoundError:
            return [f"{api_version} {kind} is not served by Kubernetes {version}"]
        return []
    group, _, served = api_version.rpartition("/")
    crd = _crd_schemas().get((group, served, kind))
    if crd is None:
        known = sorted(f"{g}/{v} {k}" for g, v, k in _crd_schemas() if g == group)
        return [f"no upstream CRD serves {api_version} {kind} (tests/data/crds has: "
                f"{', '.join(known) or 'nothing of this group'})"]
    validator = jsonschema.Draft202012Validator(crd["schema"])
    found = [f"{'.'.join(map(str, e.path))}: {e.message}"
             for e in validator.iter_errors(document)]
    return found + ([f"{api_version} is deprecated upstream: {crd['deprecated']}"]
                    if crd["deprecated"] else [])


@pytest.mark.parametrize(("version", "requirement", "variant"), _cases())
def test_every_rendered_manifest_is_valid_for_its_version(version: str, requirement: str,
                                                          variant: str) -> None:
    found = {f"{name} {doc.get('kind')} {doc.get('metadata', {}).get('name')}":
             problems(doc, version)
             for name, doc in rendered_manifests(version, requirement, variant)}
    assert not {k: v for k, v in found.items() if v}


def test_the_validation_can_fail() -> None:
    """An unknown field, a wrong type, a kind a version does not serve, a custom resource
    version upstream no longer serves: each is found."""
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "i", "comand": ["x"]}]}}
    assert problems(pod, "1.35")
    claim = {"apiVersion": "resource.k8s.io/v1", "kind": "ResourceClaimTemplate",
             "metadata": {"name": "t"}, "spec": {"spec": {"devices": {"requests": []}}}}
    assert problems(claim, "1.33") and not problems(claim, "1.34")
    queue = {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "LocalQueue",
             "metadata": {"name": "q"}, "spec": {"clusterQueue": "cq"}}
    assert not problems(queue, "1.35")
    assert problems({**queue, "spec": {"clusterQueue": 3}}, "1.35")
    assert "deprecated" in problems({**queue, "apiVersion": "kueue.x-k8s.io/v1beta1"}, "1.35")[0]
    raw = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [
        {"name": "c", "image": "i", "securityContext": {"capabilities": {"add": ["NET_RAW"]}}}]}}
    assert problems(raw, "1.36") == ["container c: capabilities NET_RAW beyond baseline"]
    objective = {"apiVersion": "inference.networking.x-k8s.io/v1alpha2",
                 "kind": "InferenceModel", "metadata": {"name": "m"}, "spec": {}}
    assert "no upstream CRD" in problems(objective, "1.36")[0]
