"""Find and load a requirement's procedure for a checklist version, failing early and clearly.

Like kube-bench's ``cfg/<version>/``, each version has a folder holding
``<requirement_id>/<variant>.yaml`` and their manifests in ``<requirement_id>/manifests/``.
A folder's ``_version.yaml`` may say ``inherits: "1.34"``, so identical procedures live once:
a file (variant or manifest) in the folder itself wins, anything else comes from the inherited
chain (1.33 overrides only its v1beta1 DRA manifests).  ``parameters: {<requirement>: {...}}``
there overrides procedure defaults per requirement; ``defaultVariants: {<requirement>: name}``
picks the variant used when platform.yaml names none (the nearest version's choice wins);
``removed: [<requirement>, ...]`` stops inheriting requirements the checklist dropped, so the
plan of that version (and of the versions inheriting it) follows its checklist.

``$K8S_AI_EVIDENCE_PROCEDURES`` replaces the shipped library with another folder of the same
layout (read once, at import), so tests can run a procedure of their own through ``collect``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
from pathlib import Path
from string import Template
from typing import Any

from generator.errors import InputError
from generator.procedures.builtins import BUILTINS
from generator.procedures.model import (
    ENGINE_PARAMETERS,
    UNQUOTED_KINDS,
    Check,
    Procedure,
    Step,
    identifiers,
    render,
)
from generator.schemas import validate_document
from generator.yamldoc import load_yaml

PROCEDURES_ENV = "K8S_AI_EVIDENCE_PROCEDURES"
PROCEDURES_DIR = Path(os.environ.get(PROCEDURES_ENV) or Path(__file__).resolve().parent)
VERSION_FILE = "_version.yaml"
MANIFESTS = "manifests"  # templated manifests, beside the variant files


def _version_config(version: str, root: Path) -> dict[str, Any]:
    path = root / version / VERSION_FILE
    return (load_yaml(path).data or {}) if path.is_file() else {}


def version_chain(version: str, root: Path = PROCEDURES_DIR) -> list[str]:
    """``1.36`` -> ``["1.36", "1.35", "1.34"]`` following ``inherits``."""
    if not (root / version).is_dir():
        have = sorted(p.name for p in root.iterdir() if p.is_dir() and p.name[0].isdigit())
        raise InputError(f"no procedures for Kubernetes {version} (have: {', '.join(have)})")
    chain = [version]
    while parent := _version_config(chain[-1], root).get("inherits"):
        if parent in chain or not (root / parent).is_dir():
            raise InputError(f"{root / chain[-1] / VERSION_FILE}: bad inherits: {parent!r}")
        chain.append(str(parent))
    return chain


def _removed(version: str, root: Path) -> set[str]:
    return {str(r) for v in version_chain(version, root)
            for r in _version_config(v, root).get("removed") or ()}


def procedure_requirements(version: str, root: Path = PROCEDURES_DIR) -> list[str]:
    """Requirement ids with at least one procedure for ``version``."""
    ids = {p.name for v in version_chain(version, root) for p in (root / v).iterdir()
           if p.is_dir() and any(p.glob("*.yaml"))}
    return sorted(ids - _removed(version, root))


def variants(version: str, requirement: str, root: Path = PROCEDURES_DIR) -> dict[str, Path]:
    if requirement in _removed(version, root):
        return {}
    found: dict[str, Path] = {}
    for v in version_chain(version, root):
        for path in sorted((root / v / requirement).glob("*.yaml")):
            found.setdefault(path.stem, path)
    return found


def _pick_variant(version: str, requirement: str, wanted: str | None, root: Path) -> Path:
    found = variants(version, requirement, root)
    if not found:
        raise InputError(f"no procedure for requirement {requirement} on Kubernetes {version}")
    if wanted:
        if wanted not in found:
            raise InputError(f"platform.yaml: requirements.{requirement}.variant: unknown variant "
                             f"{wanted!r} (have: {', '.join(found)})")
        return found[wanted]
    if len(found) == 1:
        return next(iter(found.values()))
    if "default" in found:
        return found["default"]
    chosen = next((d[requirement] for v in version_chain(version, root)
                   if requirement in (d := _version_config(v, root).get("defaultVariants") or {})),
                  None)
    if chosen in found:
        return found[chosen]
    raise InputError(f"platform.yaml: requirements.{requirement}.variant: choose one of "
                     f"{', '.join(found)}")


def load_procedure(version: str, requirement: str, variant: str | None = None,
                   overrides: dict[str, Any] | None = None, root: Path = PROCEDURES_DIR
                   ) -> Procedure:
    """Load, schema-check and cross-check a procedure; ``overrides`` come from platform.yaml."""
    path = _pick_variant(version, requirement, variant, root)
    doc = load_yaml(path)
    validate_document(doc, "procedure")
    data = doc.data
    chain = version_chain(version, root)
    params: dict[str, Any] = dict(data.get("parameters") or {})
    for v in reversed(chain):
        params.update((_version_config(v, root).get("parameters") or {}).get(requirement) or {})
    unknown = sorted(set(overrides or {}) - set(params))
    if unknown:
        raise InputError(f"platform.yaml: requirements.{requirement}.parameters: unknown "
                         f"parameter {unknown[0]!r} (known: {', '.join(sorted(params))})")
    for name, value in (overrides or {}).items():
        if want := _wrong_kind(params[name], value):
            raise InputError(f"platform.yaml: requirements.{requirement}.parameters.{name}: "
                             f"{value!r} is not {want} (default: {params[name]!r})")
    params.update(overrides or {})
    procedure = Procedure(
        requirement=requirement, version=version, variant=path.stem, path=path,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(), title=data["title"],
        description=data.get("description", ""), parameters=params,
        permissions=tuple(data.get("permissions") or ()),
        uses_claims=bool(data.get("usesClaims", False)),
        checks=tuple(Check.from_data(c) for c in data["checks"]),
        cleanup=tuple(Step.from_data(s) for s in data.get("cleanup") or ()),
        manifest_dirs=tuple(root / v / requirement / MANIFESTS for v in chain),
    )
    _cross_check(procedure, doc.line)
    return procedure


def _wrong_kind(default: Any, value: Any) -> str | None:
    """What ``value`` should be to stand where ``default`` does, or None when it may: the
    value lands in kubectl arguments and manifests, where ``abc`` as a timeout fails only
    halfway through a run and an unquoted ``true`` would be rendered ``True``."""
    if default is None or value is None or isinstance(default, (list, dict)):
        return None
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "true or false"
    if isinstance(value, (bool, list, dict)):
        return "a single value (quote a word such as 'true')"
    if isinstance(default, int) and not isinstance(value, int):
        return "an integer"
    if isinstance(default, float) and not isinstance(value, (int, float)):
        return "a number"
    return None


def _check_patterns(step: Step, procedure: Procedure, prefix: str) -> None:
    """Regular expressions built from parameters compile before anything runs: a bad one in
    platform.yaml must not stop a run halfway, after other requirements were replaced."""
    expect, params = step.expect, procedure.parameters
    patterns = [expect.regex, expect.not_regex, (expect.count or {}).get("regex"),
                *(v for k, v in ((expect.builtin or {}).get("args") or {}).items()
                  if k.endswith(("Pattern", "Regex", "regex")))]
    for pattern in filter(None, patterns):
        if not isinstance(pattern, str) or identifiers(pattern) - set(params):
            continue  # uses a captured value: known only at run time
        try:
            re.compile(render(pattern, params, prefix))
        except re.error as exc:
            used = ", ".join(sorted(identifiers(pattern)))
            source = (f"platform.yaml: requirements.{procedure.requirement}.parameters: {used}"
                      if used else prefix)
            raise InputError(f"{source}: not a valid regular expression ({exc})") from None


_BARE_FILTER = re.compile(r"\[\?\([^)]*(==|!=)\s*[A-Za-z]")  # ?(@.type==Ready): quotes lost


def _unquoted(manifest: str, name: str) -> bool:
    """Whether ``${name}`` stands anywhere but alone in a "..." or '...' YAML scalar."""
    return any(manifest[m.start() - 1:m.start()] not in ('"', "'")
               or manifest[m.end():m.end() + 1] != manifest[m.start() - 1:m.start()]
               for m in re.finditer(re.escape(f"${{{name}}}"), manifest))


def _cross_check(procedure: Procedure, line: Any) -> None:
    """What a schema cannot say: unique ids, known builtins, every ``${name}`` defined and
    every other ``$`` escaped, so a template never fails halfway through a run."""
    known = set(procedure.parameters) | set(ENGINE_PARAMETERS)
    captured: dict[str, str] = {}  # name -> captureAs kind, of the steps seen so far
    seen: set[str] = set()
    checks = [(i, c.id, c.steps) for i, c in enumerate(procedure.checks)]
    for index, check_id, steps in [*checks, (None, "cleanup", procedure.cleanup)]:
        where = ("checks", index) if index is not None else ("cleanup",)
        if check_id in seen:
            raise InputError(f"{procedure.path}:{line(*where)}: duplicate check id {check_id!r}")
        seen.add(check_id)
        for number, step in enumerate(steps):
            at = (*where, "steps", number) if index is not None else (*where, number)
            prefix = f"{procedure.path}:{line(*at)}: step {step.id}"
            builtin = step.expect.builtin
            if builtin and builtin["name"] not in BUILTINS:
                raise InputError(f"{prefix}: unknown builtin check {builtin['name']!r} "
                                 f"(have: {', '.join(sorted(BUILTINS))})")
            texts = step.templates()
            if step.apply:
                manifest = procedure.manifest_path(step.apply).read_text(encoding="utf-8")
                texts.append(manifest)
                bare = next((name for name, kind in captured.items()
                             if kind not in UNQUOTED_KINDS and _unquoted(manifest, name)), None)
                if bare:
                    raise InputError(f"{prefix}: {step.apply}: write the captured ${{{bare}}} "
                                     f'as "${{{bare}}}" (a quoted YAML scalar; only captureAs: '
                                     "integer may stand unquoted)")
            bare = next((w for w in shlex.split(step.run or "") if _BARE_FILTER.search(w)), None)
            if bare is not None:
                raise InputError(f"{prefix}: {bare[:60]!r}: shell-style splitting drops the "
                                 "quotes of this JSONPath filter; quote the whole argument")
            invalid = next((t for t in texts if not Template(t).is_valid()), None)
            if invalid is not None:
                raise InputError(f"{prefix}: a '$' that starts no ${{name}} in {invalid[:60]!r}"
                                 "; write a literal dollar as $$")
            missing = set().union(*(identifiers(t) for t in texts)) - known - {
                name for name, _ in step.extra}
            if missing:
                raise InputError(f"{prefix}: ${{{sorted(missing)[0]}}} is neither a parameter "
                                 f"nor captured by an earlier step")
            _check_patterns(step, procedure, prefix)
            if step.capture:
                known.add(step.capture)
                captured[step.capture] = step.capture_as
