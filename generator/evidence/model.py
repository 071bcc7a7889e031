"""The result tree as types: a requirement's result with its checks (``result.json``), the
commands they ran (``transcript.jsonl``) and the run record of the collection (``run.json``).

The status words live in :mod:`generator.evidence.verdicts`. The collect engine and the
importers build these types; only the evidence package writes and reads them (the schemas in
``schemas/`` stay the file contract, and ``from_json``/``to_json`` round-trip every file the
tool writes); every view reads them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from generator import __version__
from generator.evidence.verdicts import Conformance, Status

SCHEMA_VERSION = 1
T = TypeVar("T")


class Role(StrEnum):
    """What a check is for (which roles decide a status: :mod:`generator.evidence.status`)."""

    SETUP = "setup"
    POSITIVE = "positive"
    NEGATIVE = "negative"
    DIAGNOSTIC = "diagnostic"
    CLEANUP = "cleanup"


class Source(StrEnum):
    """Where a requirement's result came from."""

    COLLECTED = "collected"
    DECLARED = "declared"
    IMPORTED = "imported"


def _present(data: Mapping[str, Any], **fields: Any) -> dict[str, Any]:
    """``data`` plus the optional ``fields`` that have a value (absent keys stay absent)."""
    return {**data, **{k: v for k, v in fields.items() if v is not None}}


def _tuple_of(parse: Callable[[Any], T], items: Iterable[Any] | None) -> tuple[T, ...] | None:
    """An optional JSON list as a tuple (None: the key was absent)."""
    return None if items is None else tuple(map(parse, items))


def _list_of(render: Callable[[T], Any], items: tuple[T, ...] | None) -> list[Any] | None:
    return None if items is None else list(map(render, items))


def _copy(mapping: Mapping[str, str] | None) -> dict[str, str] | None:
    return None if mapping is None else dict(mapping)


@dataclass(frozen=True)
class Provenance:
    """Where an imported check came from: the raw file kept under ``imported/``."""

    runner: str
    file: str  # relative to the requirement folder
    sha256: str
    format: str | None = None
    imported_at: str | None = None
    test_name: str | None = None
    message: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = _present({"runner": self.runner}, format=self.format)
        data.update(file=self.file, sha256=self.sha256)
        return _present(data, importedAt=self.imported_at, testName=self.test_name,
                        message=self.message)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Provenance:
        return cls(data["runner"], data["file"], data["sha256"], data.get("format"),
                   data.get("importedAt"), data.get("testName"), data.get("message"))


@dataclass(frozen=True)
class CheckResult:
    """One check's verdict, with the transcript steps it ran (collected) or its provenance
    (imported)."""

    id: str
    title: str
    role: Role
    status: Status
    reason: str
    limit: Conformance | None = None  # a passed check that still caps the requirement
    started_at: str | None = None
    duration_seconds: float | None = None
    steps: tuple[int, ...] = ()  # seq numbers of this check's transcript entries
    decisive_step: int | None = None  # the entry whose output decided the verdict
    provenance: Provenance | None = None

    @property
    def imported(self) -> bool:
        return self.provenance is not None

    def to_json(self) -> dict[str, Any]:
        """Collected checks always carry ``limit`` and ``startedAt``, imported ones only when
        set; an imported check carries its ``provenance``."""
        data: dict[str, Any] = {"id": self.id, "title": self.title, "role": self.role.value,
                                "status": self.status.value, "reason": self.reason}
        if not self.imported or self.limit is not None:
            data["limit"] = self.limit.value if self.limit else None
        if not self.imported or self.started_at is not None:
            data["startedAt"] = self.started_at
        data.update(durationSeconds=self.duration_seconds, steps=list(self.steps),
                    decisiveStep=self.decisive_step)
        if self.provenance:
            data["provenance"] = self.provenance.to_json()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CheckResult:
        limit, provenance = data.get("limit"), data.get("provenance")
        return cls(
            data["id"], data["title"], Role(data["role"]), Status(data["status"]),
            data["reason"], Conformance(limit) if limit else None, data.get("startedAt"),
            data.get("durationSeconds"), tuple(data.get("steps") or ()),
            data.get("decisiveStep"), Provenance.from_json(provenance) if provenance else None)


@dataclass(frozen=True)
class ProcedureRef:
    """The procedure definition a collected result ran, pinned by its digest."""

    path: str  # inside the tool's procedure library, e.g. ``1.34/dra_support/default.yaml``
    sha256: str
    title: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _present({"path": self.path, "sha256": self.sha256}, title=self.title)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProcedureRef:
        return cls(data["path"], data["sha256"], data.get("title"))


@dataclass(frozen=True)
class Declaration:
    """A human's word instead of collected evidence (platform.yaml ``status`` + ``reason``)."""

    status: Conformance  # N/A or Not Implemented
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"status": self.status.value, "reason": self.reason}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Declaration:
        return cls(Conformance(data["status"]), data["reason"])


@dataclass(frozen=True)
class RequirementResult:
    """One node of the result tree: ``evidence/vX.Y/<requirement>/result.json``."""

    requirement: str
    kubernetes_version: str  # vX.Y
    source: Source
    status: Status
    conformance: Conformance | None  # what PRODUCT.yaml claims; None claims nothing
    reason: str
    checks: tuple[CheckResult, ...] = ()
    variant: str | None = None
    procedure: ProcedureRef | None = None
    declaration: Declaration | None = None
    started_at: str | None = None
    finished_at: str | None = None
    example: bool = False  # the shipped example bundle: never real evidence
    run_id: str | None = None  # the collect run: its namespaces and request markers carry it

    def to_json(self) -> dict[str, Any]:
        """Collected results always carry their run's times, others only when set."""
        data: dict[str, Any] = {
            "schemaVersion": SCHEMA_VERSION, "requirement": self.requirement,
            "kubernetesVersion": self.kubernetes_version, "source": self.source.value,
            "variant": self.variant,
            "procedure": self.procedure.to_json() if self.procedure else None,
            "status": self.status.value,
            "conformance": self.conformance.value if self.conformance else None,
            "reason": self.reason,
            "declaration": self.declaration.to_json() if self.declaration else None}
        timed = self.source is Source.COLLECTED
        for key, value in (("startedAt", self.started_at), ("finishedAt", self.finished_at)):
            if timed or value is not None:
                data[key] = value
        if self.run_id is not None:
            data["runId"] = self.run_id
        data["checks"] = [c.to_json() for c in self.checks]
        if self.example:
            data["example"] = True
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RequirementResult:
        """A schema-checked ``result.json`` (see :func:`generator.evidence.tree.read_json`)."""
        procedure, declaration = data.get("procedure"), data.get("declaration")
        conformance = data.get("conformance")
        return cls(
            data["requirement"], data["kubernetesVersion"], Source(data["source"]),
            Status(data["status"]), Conformance(conformance) if conformance else None,
            data["reason"], tuple(CheckResult.from_json(c) for c in data["checks"]),
            data.get("variant"), ProcedureRef.from_json(procedure) if procedure else None,
            Declaration.from_json(declaration) if declaration else None,
            data.get("startedAt"), data.get("finishedAt"), bool(data.get("example", False)),
            data.get("runId"))


class Outcome(StrEnum):
    """How one attempt of a step ended, in the transcript."""

    PASSED = "passed"
    FAILED = "failed"
    RETRY = "retry"  # failed, and polled again
    INFO = "info"  # a diagnostic, captured after a failed attempt


@dataclass(frozen=True)
class Stream:
    """One captured output of a command: the full redacted file, and its head and tail."""

    path: str  # relative to the requirement folder
    bytes: int
    sha256: str
    head: str
    tail: str  # empty unless truncated
    truncated: bool  # head and tail do not hold the whole output

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "bytes": self.bytes, "sha256": self.sha256,
                "head": self.head, "tail": self.tail, "truncated": self.truncated}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Stream:
        return cls(data["path"], data["bytes"], data["sha256"], data["head"], data["tail"],
                   data["truncated"])


@dataclass(frozen=True)
class TranscriptEntry:
    """One line of ``transcript.jsonl``: one attempt of one command, as it ran."""

    seq: int
    check: str
    step: str
    attempt: int
    command: tuple[str, ...]  # argv after redaction, without the collector's local flags
    display: str  # the command as a shell line a reviewer can copy
    stdin: str | None  # the manifest piped in, if any
    started_at: str
    duration_seconds: float
    exit_code: int | None  # None: could not start, or was killed
    stdout: Stream
    stderr: Stream
    expectation: str | None  # what was expected, in words
    outcome: Outcome | None = None  # None until the attempt is judged
    message: str | None = None
    timed_out: bool | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "seq": self.seq, "check": self.check, "step": self.step, "attempt": self.attempt,
            "command": list(self.command), "display": self.display, "stdin": self.stdin,
            "startedAt": self.started_at, "durationSeconds": self.duration_seconds,
            "exitCode": self.exit_code}
        if self.timed_out is not None:
            data["timedOut"] = self.timed_out
        data.update(stdout=self.stdout.to_json(), stderr=self.stderr.to_json(),
                    expectation=self.expectation,
                    outcome=self.outcome.value if self.outcome else None, message=self.message)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TranscriptEntry:
        return cls(
            data["seq"], data["check"], data["step"], data["attempt"], tuple(data["command"]),
            data["display"], data.get("stdin"), data["startedAt"], data["durationSeconds"],
            data["exitCode"], Stream.from_json(data["stdout"]), Stream.from_json(data["stderr"]),
            data.get("expectation"), Outcome(data["outcome"]), data.get("message"),
            data.get("timedOut"))


class RunMode(StrEnum):
    """How a collection met its cluster."""

    LIVE = "live"
    REPLAY = "replay"  # a recorded session played back: no cluster was there
    IMPORT = "import"  # the schema allows it; no command writes it today


@dataclass(frozen=True)
class Tool:
    name: str
    version: str

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Tool:
        return cls(data["name"], data["version"])


THIS_TOOL = Tool("k8s-ai-evidence", __version__)

# In the run record's parts, a key the schema lets be null is always written (None as null),
# any other optional key only when set: every run.json the tool writes reads back the same.


@dataclass(frozen=True)
class KubectlVersions:
    """What ``kubectl version`` reported at preflight (None: not captured)."""

    client: str | None = None
    server: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"client": self.client, "server": self.server}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> KubectlVersions:
        return cls(data.get("client"), data.get("server"))


@dataclass(frozen=True)
class ClusterIdentity:
    kube_system_uid: str | None  # the kube-system namespace's UID: lives as long as the cluster

    def to_json(self) -> dict[str, str | None]:
        return {"kubeSystemUid": self.kube_system_uid}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ClusterIdentity:
        return cls(data.get("kubeSystemUid"))


_MODEL_LABEL = re.compile(r"[./-](?:gpu\.product|product-name|device-name|product)$")
_DRIVER_LABEL = re.compile(r"driver-version(?:\.full)?$")


@dataclass(frozen=True)
class Node:
    name: str
    kubelet_version: str | None = None
    os_image: str | None = None
    container_runtime: str | None = None
    labels: Mapping[str, str] | None = None  # only accelerator-related ones
    accelerators: Mapping[str, str] | None = None  # extended resources in capacity

    @property
    def accelerator_model(self) -> str | None:
        """As the vendor's device plugin or feature discovery labels it (NVIDIA GFD's
        ``nvidia.com/gpu.product``, AMD's ``amd.com/gpu.product-name``, ...)."""
        return self._label(_MODEL_LABEL)

    @property
    def driver_version(self) -> str | None:
        return self._label(_DRIVER_LABEL)

    def _label(self, key: re.Pattern[str]) -> str | None:
        return next((str(v) for k, v in sorted((self.labels or {}).items()) if key.search(k)),
                    None)

    def to_json(self) -> dict[str, Any]:
        return _present({"name": self.name, "kubeletVersion": self.kubelet_version,
                         "osImage": self.os_image, "containerRuntime": self.container_runtime},
                        labels=_copy(self.labels), accelerators=_copy(self.accelerators))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Node:
        return cls(data["name"], data.get("kubeletVersion"), data.get("osImage"),
                   data.get("containerRuntime"), _copy(data.get("labels")),
                   _copy(data.get("accelerators")))


@dataclass(frozen=True)
class ResourceSlice:
    name: str
    driver: str | None = None
    node: str | None = None
    devices: int | None = None

    def to_json(self) -> dict[str, Any]:
        return _present({"name": self.name, "driver": self.driver, "node": self.node},
                        devices=self.devices)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ResourceSlice:
        return cls(data["name"], data.get("driver"), data.get("node"), data.get("devices"))


@dataclass(frozen=True)
class DraObjects:
    """The cluster's Dynamic Resource Allocation API and objects."""

    served_versions: tuple[str, ...] | None = None  # of resource.k8s.io
    device_classes: tuple[str, ...] | None = None
    resource_slices: tuple[ResourceSlice, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        return _present({}, servedVersions=_list_of(str, self.served_versions),
                        deviceClasses=_list_of(str, self.device_classes),
                        resourceSlices=_list_of(ResourceSlice.to_json, self.resource_slices))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DraObjects:
        return cls(_tuple_of(str, data.get("servedVersions")),
                   _tuple_of(str, data.get("deviceClasses")),
                   _tuple_of(ResourceSlice.from_json, data.get("resourceSlices")))


@dataclass(frozen=True)
class Component:
    name: str
    version: str | None = None
    namespace: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"name": self.name, "version": self.version, "namespace": self.namespace}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Component:
        return cls(data["name"], data.get("version"), data.get("namespace"))


@dataclass(frozen=True)
class ClusterProbe:
    """What the environment probe read (:mod:`generator.collect.envprobe`; a replay reads the
    recorded session's copy). A part is None when it was not read."""

    cluster: ClusterIdentity | None = None
    nodes: tuple[Node, ...] | None = None
    dra: DraObjects | None = None
    components: tuple[Component, ...] | None = None
    error: str | None = None  # why nodes and DRA objects could not be read

    def to_json(self) -> dict[str, Any]:
        return _present({}, cluster=self.cluster.to_json() if self.cluster else None,
                        nodes=_list_of(Node.to_json, self.nodes),
                        dra=self.dra.to_json() if self.dra else None,
                        components=_list_of(Component.to_json, self.components),
                        probeError=self.error)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ClusterProbe:
        """The probe's keys of ``data`` (a session's probe, or a whole run record)."""
        cluster, dra = data.get("cluster"), data.get("dra")
        return cls(ClusterIdentity.from_json(cluster) if cluster is not None else None,
                   _tuple_of(Node.from_json, data.get("nodes")),
                   DraObjects.from_json(dra) if dra is not None else None,
                   _tuple_of(Component.from_json, data.get("components")),
                   data.get("probeError"))


@dataclass(frozen=True)
class RunRecord:
    """The environment one collection ran against: ``evidence/vX.Y/run.json``, written last,
    so that it always describes the tree beside it."""

    tool: Tool
    kubernetes_version: str  # vX.Y
    mode: RunMode
    started_at: str
    finished_at: str
    requirements: tuple[str, ...]  # those the run collected
    session: str | None = None  # the recorded session replayed
    context: str | None = None  # the kubeconfig context
    kubectl: KubectlVersions | None = None
    probe: ClusterProbe = ClusterProbe()
    example: bool = False  # the shipped example bundle: never real evidence

    @property
    def server_version(self) -> str | None:
        """The API server's version, as kubectl reported it."""
        return self.kubectl.server if self.kubectl else None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "schemaVersion": SCHEMA_VERSION, "tool": self.tool.to_json(),
            "kubernetesVersion": self.kubernetes_version, "mode": self.mode.value,
            "session": self.session, "startedAt": self.started_at,
            "finishedAt": self.finished_at, "context": self.context}
        if self.kubectl:
            data["kubectl"] = self.kubectl.to_json()
        data.update(self.probe.to_json(), requirements=list(self.requirements))
        if self.example:
            data["example"] = True
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunRecord:
        """A schema-checked ``run.json`` (see :func:`generator.evidence.tree.read_json`)."""
        kubectl = data.get("kubectl")
        return cls(
            Tool.from_json(data["tool"]), data["kubernetesVersion"], RunMode(data["mode"]),
            data["startedAt"], data["finishedAt"], tuple(data["requirements"]),
            data.get("session"), data.get("context"),
            KubectlVersions.from_json(kubectl) if kubectl is not None else None,
            ClusterProbe.from_json(data), bool(data.get("example", False)))


@dataclass(frozen=True)
class SuiteCheckout:
    """The checkout of kubernetes-sigs/ai-conformance the suite ran from (by name, never its
    path)."""

    name: str
    commit: str | None
    describe: str | None  # ``git describe --tags --always``
    branch: str | None
    matches_cluster: bool  # its tag or branch names the workspace's minor

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "commit": self.commit, "describe": self.describe,
                "branch": self.branch, "matchesCluster": self.matches_cluster}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SuiteCheckout:
        return cls(data["name"], data.get("commit"), data.get("describe"), data.get("branch"),
                   data["matchesCluster"])


@dataclass(frozen=True)
class SuiteRecord:
    """One run of the upstream suite: ``evidence/vX.Y/upstream-suite/suite.json``, written
    beside the artifacts it describes."""

    kubernetes_version: str  # vX.Y
    checkout: SuiteCheckout
    command: str  # as run, redacted, the kubeconfig by file name
    started_at: str
    duration_seconds: float
    exit_code: int | None  # None: killed (timed out)
    timed_out: bool
    tests: Mapping[str, Status]  # top-level test -> outcome, in the order they ran
    artifacts: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    def count(self, status: str) -> int:
        return sum(1 for s in self.tests.values() if s == status)

    def to_json(self) -> dict[str, Any]:
        return {"schemaVersion": SCHEMA_VERSION, "kubernetesVersion": self.kubernetes_version,
                "checkout": self.checkout.to_json(), "command": self.command,
                "startedAt": self.started_at, "durationSeconds": self.duration_seconds,
                "exitCode": self.exit_code, "timedOut": self.timed_out,
                "tests": {name: status.value for name, status in self.tests.items()},
                "artifacts": list(self.artifacts), "warnings": list(self.warnings)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SuiteRecord:
        """A schema-checked ``suite.json``."""
        return cls(data["kubernetesVersion"], SuiteCheckout.from_json(data["checkout"]),
                   data["command"], data["startedAt"], data["durationSeconds"],
                   data["exitCode"], data["timedOut"],
                   {name: Status(s) for name, s in data["tests"].items()},
                   tuple(data["artifacts"]), tuple(data["warnings"]))
