"""``collect`` end to end: choose requirements, preflight, run them concurrently, write the tree.

Nothing in the evidence tree changes before preflight passes; each requirement is staged, and
all are swapped in together with run.json when the run is complete (one run record always
describes the tree); Ctrl-C cancels, still cleans up the cluster, discards staging and
re-raises KeyboardInterrupt (exit 130).
"""

from __future__ import annotations

import secrets
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from generator.checklist import resolve_checklist
from generator.checklist.model import Checklist
from generator.collect import envprobe
from generator.collect.clock import Clock, RealClock, VirtualClock
from generator.collect.engine import (
    Progress,
    RequirementRun,
    cleanup_check,
    manifest_template,
    namespace_check,
)
from generator.collect.kubectl import LiveRunner, Runner
from generator.collect.preflight import INSTALL_KUBECTL, ClusterInfo, preflight
from generator.collect.redact import Redactor
from generator.collect.session import (
    RecordingRunner,
    ReplayRunner,
    Session,
    check_session_version,
)
from generator.collect.staging import Staging, WorkspaceLock, commit_all, recover
from generator.errors import EnvironmentProblem, InputError
from generator.evidence.model import (
    THIS_TOOL,
    ClusterProbe,
    Declaration,
    KubectlVersions,
    ProcedureRef,
    RequirementResult,
    RunMode,
    RunRecord,
)
from generator.evidence.tree import (
    PROCEDURE_SCRIPT,
    RESULT_FILE,
    RUN_FILE,
    imported_checks,
    read_result,
)
from generator.evidence.writer import collected_result, declared_result, write_result
from generator.fsutil import atomic_write_text
from generator.importers.merge import ImportSummary
from generator.procedures import Procedure, load_procedure, procedure_requirements
from generator.procedures.script import export_script
from generator.schemas import validate_file_data
from generator.upstream.suite import SUITE_DIR, SuiteRun, import_suite, prepare_suite, run_suite
from generator.workspace import Workspace


@dataclass(frozen=True)
class CollectOptions:
    requirements: tuple[str, ...] = ()
    kubeconfig: str | None = None
    context: str | None = None
    parallel: int = 4
    record: Path | None = None
    replay: tuple[Path, ...] = ()  # session files or folders of them, joined
    honour_durations: bool = False  # replay sleeps recorded command durations (benchmarks)
    upstream_suite: Path | None = None  # a kubernetes-sigs/ai-conformance checkout to run


@dataclass
class Selection:
    procedures: list[Procedure] = field(default_factory=list)
    declared: dict[str, Declaration] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # in platform.yaml, but no procedure yet
    outside_checklist: list[str] = field(default_factory=list)  # in platform.yaml only


def select(workspace: Workspace, requested: tuple[str, ...],
           checklist: Checklist | None = None) -> Selection:
    """Requested ids, else those in platform.yaml, else all with a procedure for the version.

    With the version's official checklist, the plan follows it: a procedure inherited from an
    earlier version runs only if the checklist still has its id (1.36 dropped dra_support).
    """
    available = set(procedure_requirements(workspace.version))
    if checklist is not None:
        available &= {r.id for r in checklist.requirements}
    configured = list(workspace.platform.get("requirements") or {})
    ids = list(requested) or configured or sorted(available)
    selection = Selection()
    for requirement in dict.fromkeys(ids):
        if checklist is not None and checklist.get(requirement) is None:
            if requested:
                raise InputError(f"--requirement {requirement}: not a requirement of the "
                                 f"official checklist v{workspace.version} ({checklist.source})")
            selection.outside_checklist.append(requirement)
        elif declaration := workspace.declaration(requirement):
            selection.declared[requirement] = declaration
        elif requirement in available:
            config = workspace.requirement_config(requirement)
            selection.procedures.append(load_procedure(
                workspace.version, requirement, config.get("variant"), config.get("parameters")))
        elif requested:
            raise InputError(f"--requirement {requirement}: no procedure for Kubernetes "
                             f"{workspace.version} and no declaration in platform.yaml")
        else:
            selection.skipped.append(requirement)
    return selection


def new_run_id() -> str:
    return secrets.token_hex(3)


def parameters(procedure: Procedure, run_id: str) -> dict[str, Any]:
    params = dict(procedure.parameters)
    prefix = params.get("namespacePrefix", "aic")
    params.update(runId=run_id, requirement=procedure.requirement,
                  namespace=f"{prefix}-{procedure.requirement.replace('_', '-')}-{run_id}")
    return params


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


class Collection:
    def __init__(self, workspace: Workspace, options: CollectOptions,
                 progress: Progress | None = None, run_id: str | None = None) -> None:
        self.workspace, self.options, self.progress = workspace, options, progress
        self.run_id = run_id or new_run_id()
        self.redactor = Redactor.for_platform(workspace.platform)
        self.cancel = threading.Event()
        self.session: Session | None = None
        self.results: dict[str, RequirementResult] = {}
        self.staged: list[Staging] = []  # swapped in together with run.json, or not at all
        self.suite: SuiteRun | None = None
        self.suite_import: ImportSummary | None = None

    def _runner(self) -> Runner:
        options = self.options
        if options.replay:
            self.session = Session.load_all(options.replay)
            check_session_version(self.session, self.workspace.tag)
            return ReplayRunner(self.session, self.run_id, self.redactor, options.honour_durations)
        kubectl = shutil.which("kubectl")
        if not kubectl:
            raise EnvironmentProblem(f"kubectl not found on PATH; {INSTALL_KUBECTL}")
        runner: Runner = LiveRunner(kubectl, self.redactor, options.kubeconfig, options.context)
        if options.record:
            self.session = Session(self.workspace.tag)
            runner = RecordingRunner(runner, self.session, self.run_id, self.redactor)
        return runner

    def _clock(self) -> Clock:
        return VirtualClock() if self.options.replay else RealClock()

    def run(self, selection: Selection) -> dict[str, RequirementResult]:
        """Collect everything selected; returns the result per requirement."""
        started = datetime.now(UTC)
        suite = (prepare_suite(self.options.upstream_suite, self.workspace)
                 if self.options.upstream_suite else None)
        with WorkspaceLock(self.workspace.evidence_dir):
            runner = self._runner() if selection.procedures or suite else None
            info = (preflight(runner, selection.procedures, self.workspace.version)
                    if runner else None)
            probe = self._probe()
            recover(self.workspace.evidence_dir)
            try:
                for requirement, declaration in selection.declared.items():
                    self._write_declared(requirement, declaration)
                if runner:
                    self._run_all(runner, selection.procedures)
                if suite:
                    if self.progress:
                        self.progress(SUITE_DIR, "go test -json ./test", 0, 0)
                    self.suite = run_suite(suite, self.workspace, self._stage(SUITE_DIR),
                                           self.redactor, self.cancel, self.options.kubeconfig,
                                           self.options.context)
                record = self._run_record(started, info, probe)
                commit_all(self.staged, self.workspace.evidence_dir, record)
            finally:
                for staging in self.staged:
                    staging.discard()
            if self.suite:
                self._import_suite(self.suite)
        if self.options.record and self.session:
            self.session.save(self.options.record)
        return self.results

    def _run_record(self, started: datetime, info: ClusterInfo | None, probe: ClusterProbe
                    ) -> RunRecord:
        record = RunRecord(
            THIS_TOOL, self.workspace.tag, RunMode.REPLAY if self.options.replay else RunMode.LIVE,
            _iso(started), _iso(datetime.now(UTC)), tuple(sorted(self.results)),
            session=", ".join(map(self._shown, self.options.replay)) or None,
            context=info.context if info else None,
            kubectl=(KubectlVersions(info.client_version, info.server_version) if info
                     else KubectlVersions()),
            probe=probe, example=self.workspace.is_example)
        # node names, resource slices and probe labels: the workspace's rules apply here too;
        # a rule that breaks a field is named by the schema before the record is read back
        redacted = self.redactor.tree(record.to_json())
        validate_file_data(self.workspace.evidence_dir / RUN_FILE, redacted, "run")
        return RunRecord.from_json(redacted)

    def _shown(self, path: Path) -> str:
        """A session path as the run record may publish it: never the collector's home."""
        try:
            return path.resolve().relative_to(self.workspace.root.resolve()).as_posix()
        except ValueError:
            return path.name

    def _probe(self) -> ClusterProbe:
        """What the probe reads now (kept in a recording), or a replayed session's copy."""
        if not self.options.replay:
            found = self.redactor.tree(envprobe.probe(self.options.kubeconfig,
                                                      self.options.context).to_json())
            if self.session is not None:
                self.session.probe = found
            return ClusterProbe.from_json(found)
        if self.session is None:  # nothing replayed: declarations only
            return ClusterProbe()
        try:
            return ClusterProbe.from_json(self.session.probe)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a hand-made session
            raise InputError(f"{self.session.source}: probe: not the environment a run record "
                             f"holds ({exc!r})") from exc

    def _run_all(self, runner: Runner, procedures: list[Procedure]) -> None:
        with ThreadPoolExecutor(max_workers=max(1, self.options.parallel)) as pool:
            futures = [pool.submit(self._run_one, runner, p) for p in procedures]
            try:
                wait(futures)
            except KeyboardInterrupt:
                self.cancel.set()
                runner.cancel()
                wait(futures)  # workers clean up the cluster and discard staging
                raise
            for future in futures:
                future.result()  # re-raise a worker's error (e.g. a template bug)
        if self.cancel.is_set():
            raise KeyboardInterrupt

    def _import_suite(self, suite: SuiteRun) -> None:
        """Once the run is in place: the suite's tests become checks of their requirements."""
        try:
            known: set[str] | None = {
                r.id for r in resolve_checklist(self.workspace.version).requirements}
        except EnvironmentProblem:
            known = None  # without the checklist, any requirement the catalog knows
        self.suite_import = import_suite(self.workspace, suite, known)
        for requirement in self.suite_import.mapped:
            folder = self.workspace.evidence_dir / requirement
            if (folder / RESULT_FILE).is_file():
                self.results[requirement] = read_result(folder)

    def _run_one(self, runner: Runner, procedure: Procedure) -> None:
        staging = self._stage(procedure.requirement)
        params = parameters(procedure, self.run_id)
        started = _iso(datetime.now(UTC))
        budget = self.workspace.requirement_config(procedure.requirement).get("timeoutSeconds")
        run = RequirementRun(procedure, params, runner, self._clock(), staging.folder,
                             self.redactor, self.cancel, self.progress, budget)
        checks = run.execute()
        if self.cancel.is_set():
            return
        script = export_script(procedure, [namespace_check(), *procedure.checks],
                               cleanup_check(procedure), params,
                               partial(manifest_template, procedure))
        atomic_write_text(staging.folder / PROCEDURE_SCRIPT, self.redactor.text(script))
        (staging.folder / PROCEDURE_SCRIPT).chmod(0o755)
        # Imported test results are kept with the folder (carried over by commit), so
        # their checks stay in the new result and count in its status.
        imported = imported_checks(staging.target)
        result = collected_result(
            procedure.requirement, self.workspace.tag, (*checks, *imported),
            ProcedureRef(_procedure_path(procedure), procedure.sha256, procedure.title),
            procedure.variant, started, _iso(datetime.now(UTC)), self.workspace.is_example,
            self.run_id)
        write_result(staging.folder, result)
        self.results[procedure.requirement] = result

    def _stage(self, requirement: str) -> Staging:
        staging = Staging(self.workspace.evidence_dir, requirement, self.run_id)
        self.staged.append(staging)
        return staging

    def _write_declared(self, requirement: str, declaration: Declaration) -> None:
        staging = self._stage(requirement)
        result = declared_result(requirement, self.workspace.tag, declaration,
                                 self.workspace.is_example, imported_checks(staging.target))
        write_result(staging.folder, result)
        self.results[requirement] = result


def _procedure_path(procedure: Procedure) -> str:
    """Path inside the tool's procedure library, e.g. ``1.34/dra_support/default.yaml``."""
    return "/".join(procedure.path.parts[-3:])
