"""A loaded procedure: checks made of kubectl steps, with ``${name}`` templating.

``string.Template`` (not Jinja) on purpose: ``${name}`` reads like the shell a reviewer knows,
survives shell-style word splitting, and offers no logic, so procedures stay declarative.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

from generator.errors import InputError
from generator.evidence.model import Role

# Parameters the engine supplies to every procedure.
ENGINE_PARAMETERS = ("namespace", "runId", "requirement")
DEFAULT_STEP_TIMEOUT = 120.0


class TemplateError(InputError):
    """A ``${name}`` with no value: a procedure bug or a missing platform.yaml parameter."""


def render(text: str, params: dict[str, Any], where: str = "") -> str:
    try:
        return Template(text).substitute({k: str(v) for k, v in params.items()})
    except KeyError as exc:
        raise TemplateError(f"{where}: parameter ${{{exc.args[0]}}} has no value") from exc
    except ValueError as exc:
        raise TemplateError(f"{where}: bad placeholder in {text!r}: {exc}") from exc


def identifiers(text: str) -> set[str]:
    return set(Template(text).get_identifiers())


def number(value: float | str | None, params: dict[str, Any], default: float, where: str
           ) -> float:
    """A seconds value: a number, or a ``${parameter}`` holding one."""
    if value is None:
        return default
    if isinstance(value, int | float):
        return float(value)
    text = render(value, params, where)
    try:
        return float(text)
    except ValueError as exc:
        raise TemplateError(f"{where}: {value} = {text!r} is not a number") from exc


# What a captured value may look like before it is used anywhere (argv, manifests, exported
# shell): captured text is data, so it is validated, never trusted.  Each pattern is a POSIX
# extended regular expression that means the same in Python ``re`` and bash ``[[ =~ ]]``, so the
# exported procedure.sh validates exactly as the tool does.  ``token`` (the default) allows one
# word without whitespace, quotes, ``$``, backslash or any other shell or YAML syntax character,
# starting with a letter or digit (so it never becomes a kubectl flag such as ``--server=``);
# ``words`` none or several such, one space apart (``jsonpath={.items[*].metadata.name}`` of
# a node group that may be empty).
CAPTURE_KINDS = {
    "token": r"^[A-Za-z0-9][A-Za-z0-9._:/@+=-]*$",
    "words": r"^([A-Za-z0-9][A-Za-z0-9._:/@+=-]*( [A-Za-z0-9][A-Za-z0-9._:/@+=-]*)*)?$",
    "integer": r"^[0-9]+$",
    "dns-subdomain": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
}
UNQUOTED_KINDS = frozenset({"integer"})  # may stand unquoted in YAML (a number)


def captured_problem(value: str, kind: str) -> str | None:
    """Why ``value`` may not be captured as ``kind`` (None: it may)."""
    if re.fullmatch(CAPTURE_KINDS[kind], value) and len(value) <= 253:
        return None
    return f"captured value {value[:80]!r} is not a {kind} ({CAPTURE_KINDS[kind]})"


@dataclass(frozen=True)
class Tolerate:
    """A non-zero exit accepted only with a known partial-failure message on stderr.

    ``kubectl api-resources`` prints every group it could discover and still exits 1 with
    ``error: unable to retrieve the complete list of server APIs: <group/version>: <why>``
    when any aggregated API is unavailable (kubernetes/kubectl pkg/cmd/apiresources
    RunAPIResources appends the discovery error after printing; client-go discovery
    ErrGroupDiscoveryFailed.Error(); cmdutil.CheckErr prefixes ``error: ``, exit 1).
    The output expectations still decide; the matched line is reported with the verdict.
    """

    exit_code: int
    stderr: str

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> Tolerate | None:
        return cls(int(data["exitCode"]), data["stderr"]) if data else None


@dataclass(frozen=True)
class Expect:
    exit_code: int | str = 0  # an int, "any" or "nonzero"
    stream: str = "stdout"
    equals: str | None = None
    regex: str | None = None
    not_regex: str | None = None
    count: dict[str, Any] | None = None
    builtin: dict[str, Any] | None = None
    tolerate: Tolerate | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> Expect:
        data = data or {}
        return cls(exit_code=data.get("exitCode", 0), stream=data.get("stream", "stdout"),
                   equals=data.get("equals"), regex=data.get("regex"),
                   not_regex=data.get("notRegex"), count=data.get("count"),
                   builtin=data.get("builtin"), tolerate=Tolerate.from_data(data.get("tolerate")))

    def templates(self) -> list[str]:
        texts = [t for t in (self.equals, self.regex, self.not_regex) if t]
        if self.tolerate:
            texts.append(self.tolerate.stderr)
        for mapping in (self.count or {}, (self.builtin or {}).get("args") or {}):
            texts += [v for v in mapping.values() if isinstance(v, str)]
        return texts


@dataclass(frozen=True)
class Step:
    id: str
    run: str | None = None
    apply: str | None = None
    timeout: float | str | None = None
    expect: Expect = field(default_factory=Expect)
    poll: dict[str, Any] | None = None
    hold: dict[str, Any] | None = None
    diagnostics: tuple[str, ...] = ()
    capture: str | None = None
    capture_as: str = "token"  # the kind a captured value must be (CAPTURE_KINDS)
    extra: tuple[tuple[str, Any], ...] = ()  # the step's ``with`` parameters
    flags: str | None = None  # extra kubectl words for an apply step, e.g. ``-v=8``

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Step:
        return cls(id=data["id"], run=data.get("run"), apply=data.get("apply"),
                   timeout=data.get("timeout"), expect=Expect.from_data(data.get("expect")),
                   poll=data.get("poll"), hold=data.get("hold"),
                   diagnostics=tuple(data.get("diagnostics") or ()), capture=data.get("capture"),
                   capture_as=data.get("captureAs", "token"),
                   extra=tuple((data.get("with") or {}).items()), flags=data.get("flags"))

    def scope(self, params: dict[str, Any], where: str) -> dict[str, Any]:
        """Parameters for this step: the run's, plus its own ``with`` values (templated)."""
        if not self.extra:
            return params
        return {**params, **{k: render(str(v), params, where) for k, v in self.extra}}

    def argv(self, params: dict[str, Any], where: str) -> list[str]:
        """The kubectl argv: split like a shell, then each word templated (no injection)."""
        words = shlex.split(self.run or "") if not self.apply else [
            "kubectl", "apply", "-f", "-", *shlex.split(self.flags or "")]
        return [render(word, params, where) for word in words]

    def manifest_file(self) -> str:
        """Where the rendered manifest is saved: one file per distinct use of a template."""
        if not self.apply or not self.extra:
            return self.apply or ""
        stem, _, suffix = self.apply.rpartition(".")
        label = next((str(v) for _, v in self.extra if "$" not in str(v)), self.id)
        return f"{stem}-{label}.{suffix}"

    def templates(self) -> list[str]:
        texts = [self.run or "", self.flags or "", *self.diagnostics, *self.expect.templates(),
                 *(str(v) for _, v in self.extra)]
        for window in (self.poll or {}, self.hold or {}):
            texts += [v for v in window.values() if isinstance(v, str)]
        if isinstance(self.timeout, str):
            texts.append(self.timeout)
        return texts


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    role: Role
    steps: tuple[Step, ...]
    skip_unless: str | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Check:
        return cls(id=data["id"], title=data["title"], role=Role(data["role"]),
                   steps=tuple(Step.from_data(s) for s in data["steps"]),
                   skip_unless=data.get("skipUnless"))


@dataclass(frozen=True)
class Procedure:
    requirement: str
    version: str  # the checklist version asked for, e.g. "1.35"
    variant: str
    path: Path  # the variant file actually used (maybe inherited from another version)
    sha256: str
    title: str
    description: str
    parameters: dict[str, Any]  # defaults with version and platform.yaml overrides applied
    permissions: tuple[str, ...]
    uses_claims: bool
    checks: tuple[Check, ...]
    cleanup: tuple[Step, ...]
    manifest_dirs: tuple[Path, ...]  # this version's folder first, then inherited ones

    def manifest_path(self, name: str) -> Path:
        for folder in self.manifest_dirs:
            if (folder / name).is_file():
                return folder / name
        raise InputError(f"{self.path}: manifest {name} not found beside the procedure")

    def render_manifest(self, name: str, params: dict[str, Any]) -> str:
        path = self.manifest_path(name)
        return render(path.read_text(encoding="utf-8"), params, str(path))
