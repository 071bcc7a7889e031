"""Run one requirement's procedure into a staging folder: checks, steps, attempts, cleanup.

Every procedure gets its own namespace (named with the run id and labelled with the
requirement, so leftovers of earlier runs are deleted first) and a cleanup check that always
runs, in a safe order (the procedure's own cleanup, then pods, claims, namespace), even after
a failure or Ctrl-C.  The transcript is written as the run goes, one line per attempt.
"""

from __future__ import annotations

import shlex
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator.collect.clock import Clock
from generator.collect.kubectl import Execution, Request, Runner
from generator.collect.redact import Redactor
from generator.evidence.model import CheckResult, Outcome, Role, TranscriptEntry
from generator.evidence.tree import MANIFESTS_DIR
from generator.evidence.verdicts import Conformance, Status
from generator.evidence.writer import TranscriptWriter
from generator.procedures.expect import describe, evaluate, read_capped
from generator.procedures.model import (
    DEFAULT_STEP_TIMEOUT,
    Check,
    Procedure,
    Step,
    captured_problem,
    number,
    render,
)
from generator.procedures.verdict import Verdict

NAMESPACE_MANIFEST = "namespace.yaml"
REQUIREMENT_LABEL = "k8s-ai-evidence/requirement"
_NAMESPACE_YAML = f"""apiVersion: v1
kind: Namespace
metadata:
  name: ${{namespace}}
  labels:
    {REQUIREMENT_LABEL}: ${{requirement}}
"""
CLEANUP_TIMEOUT = "--timeout=180s"

Progress = Callable[[str, str, int, int], None]  # requirement, current step, passed, failed


def manifest_template(procedure: Procedure, name: str) -> str:
    """The template an apply step renders: the engine's namespace, or the procedure's file."""
    if name == NAMESPACE_MANIFEST:
        return _NAMESPACE_YAML
    return procedure.manifest_path(name).read_text(encoding="utf-8")


def namespace_check() -> Check:
    """Setup every procedure shares: delete leftovers of earlier runs, create our namespace."""
    return Check("namespace", "Fresh namespace for this run", Role.SETUP, (
        Step("pre-clean", run="kubectl delete namespace -l "
             f"{REQUIREMENT_LABEL}=${{requirement}} --ignore-not-found --wait=true "
             f"{CLEANUP_TIMEOUT}", timeout=200),
        Step("create", apply=NAMESPACE_MANIFEST),
    ))


def cleanup_check(procedure: Procedure) -> Check:
    """Procedure cleanup, then pods, then claims (if used), then the namespace."""
    common = f"--all -n ${{namespace}} --ignore-not-found --wait=true {CLEANUP_TIMEOUT}"
    steps = [*procedure.cleanup, Step("delete-pods", run=f"kubectl delete pods {common}",
                                      timeout=200)]
    if procedure.uses_claims:
        steps.append(Step("delete-claims", run=f"kubectl delete resourceclaims {common}",
                          timeout=200))
    steps.append(Step("delete-namespace", run="kubectl delete namespace ${namespace} "
                      f"--ignore-not-found --wait=true {CLEANUP_TIMEOUT}", timeout=200))
    return Check("cleanup", "Clean up everything this run created", Role.CLEANUP,
                 tuple(steps))


@dataclass
class _StepOutcome:
    verdict: Verdict | None  # None: could not be judged (nothing ran, nothing recorded)
    message: str
    seqs: list[int] = field(default_factory=list)


class RequirementRun:
    def __init__(self, procedure: Procedure, params: dict[str, Any], runner: Runner,
                 clock: Clock, folder: Path, redactor: Redactor, cancel: threading.Event,
                 progress: Progress | None = None, budget: float | None = None) -> None:
        self.procedure, self.params, self.runner, self.clock = procedure, params, runner, clock
        self.folder, self.redactor, self.cancel = folder, redactor, cancel
        self.progress = progress or (lambda *_: None)
        # platform.yaml timeoutSeconds: a cap on the checks (polls stop at it, later checks
        # are skipped); the cleanup always runs on top of it.
        self.budget = budget
        self.deadline = clock.now() + budget if budget else None
        self.exhausted = False
        self.transcript = TranscriptWriter(folder)
        self.counts = {Status.PASSED: 0, Status.FAILED: 0}

    def execute(self) -> list[CheckResult]:
        """Run every check and the cleanup; return the checks for result.json."""
        results: list[CheckResult] = []
        blocked: str | None = None
        try:
            for check in (namespace_check(), *self.procedure.checks):
                if self.cancel.is_set():
                    results.append(_skipped(check, "the run was interrupted"))
                elif blocked:
                    results.append(_skipped(check, blocked))
                elif self.exhausted or (self.deadline is not None
                                        and self.clock.now() >= self.deadline):
                    results.append(_skipped(check, f"the requirement's timeoutSeconds "
                                                   f"({self.budget:g}) ran out"))
                elif check.skip_unless and not self.params.get(check.skip_unless):
                    results.append(_skipped(check, f"parameter {check.skip_unless} is not set "
                                                   "in platform.yaml"))
                else:
                    results.append(self._check(check, self.cancel))
                    if check.role is Role.SETUP and results[-1].status is not Status.PASSED:
                        blocked = f"setup check {check.id} did not pass"
        finally:
            results.append(self._check(cleanup_check(self.procedure), threading.Event(),
                                       keep_going=True))
            self.transcript.close()
        return results

    def _check(self, check: Check, cancel: threading.Event, keep_going: bool = False
               ) -> CheckResult:
        started, start = datetime.now(UTC), self.clock.now()
        seqs: list[int] = []
        status, reason = Status.PASSED, ""
        limit: Conformance | None = None
        decisive: int | None = None
        unwritable: OSError | None = None
        for step in check.steps:
            if cancel.is_set():
                status, reason = Status.SKIPPED, "the run was interrupted"
                break
            self.progress(self.procedure.requirement, f"{check.id}: {step.id}",
                          self.counts[Status.PASSED], self.counts[Status.FAILED])
            try:
                outcome = self._step(check, step, cancel)
            except OSError as exc:  # e.g. a full disk: the cluster is cleaned up all the same
                if not keep_going:
                    raise
                unwritable = unwritable or exc
                continue
            seqs += outcome.seqs
            if status is not Status.PASSED:
                continue  # cleanup goes on after a failure, but the verdict is made
            decisive = outcome.seqs[-1] if outcome.seqs else decisive
            if outcome.verdict is None or not outcome.verdict.ok:
                status = Status.UNKNOWN if outcome.verdict is None else Status.FAILED
                reason = f"{step.id}: {outcome.message}"
                if not keep_going:
                    break
            else:
                limit = limit or outcome.verdict.limit
                reason = outcome.message
        if unwritable:
            raise unwritable
        if status in self.counts:
            self.counts[status] += 1
        return CheckResult(check.id, check.title, check.role, status, reason, limit,
                           _iso(started), round(max(self.clock.now() - start, 0.0), 3),
                           tuple(seqs), decisive)

    def _step(self, check: Check, step: Step, cancel: threading.Event) -> _StepOutcome:
        where = f"{self.procedure.path} step {step.id}"
        params = step.scope(self.params, where)
        window = step.poll or step.hold or {}
        interval = number(window.get("interval"), params, 1.0, where)
        span = number(window.get("timeout", window.get("duration")), params, 0.0, where)
        deadline = self.clock.now() + span
        capped = (self.deadline is not None and check.role is not Role.CLEANUP
                  and self.deadline < deadline)
        if capped and self.deadline is not None:
            deadline = self.deadline
        outcome = _StepOutcome(None, "")
        attempt = 0
        while True:
            attempt += 1
            execution, seq = self._run(check, step, attempt)
            outcome.seqs.append(seq)
            if execution.error:
                self.transcript.finish(seq, Outcome.FAILED, execution.error)
                return _StepOutcome(None, execution.error, outcome.seqs)
            verdict = evaluate(step.expect, params, execution.exit_code, execution.timed_out,
                               self.folder / execution.stdout.path,
                               self.folder / execution.stderr.path, where)
            more = (self.clock.now() + interval <= deadline and not cancel.is_set()
                    and ((step.poll and not verdict.ok) or (step.hold and verdict.ok)))
            label = (Outcome.RETRY if more and step.poll
                     else Outcome.PASSED if verdict.ok else Outcome.FAILED)
            self.transcript.finish(seq, label, verdict.message)
            if not verdict.ok:
                self._diagnostics(check, step, attempt)
            if not more:
                break
            self.clock.sleep(interval, cancel)
        if verdict.ok and step.capture:
            value = read_capped(self.folder / execution.stdout.path).strip()
            if problem := captured_problem(value, step.capture_as):
                verdict = Verdict(False, problem)  # captured text is data, never syntax
            else:
                self.params[step.capture] = value
        if capped and bool(step.hold) == verdict.ok and not cancel.is_set():
            self.exhausted = True  # the window was cut short: a shortened hold proves nothing
            verdict = Verdict(False, f"{verdict.message} (the requirement's timeoutSeconds "
                                     f"({self.budget:g}) ran out after {attempt} attempts)")
        elif step.poll and not verdict.ok:
            verdict = Verdict(False, f"{verdict.message} (still after {attempt} attempts "
                                     f"over {span:g}s)")
        return _StepOutcome(verdict, verdict.message, outcome.seqs)

    def _run(self, check: Check, step: Step, attempt: int, argv: list[str] | None = None,
             label: str | None = None) -> tuple[Execution, int]:
        where = f"{self.procedure.path} step {step.id}"
        params = step.scope(self.params, where)
        argv = argv or step.argv(params, where)
        stdin, manifest = None, None
        if step.apply and label is None:
            text = self._manifest(step.apply, params)
            manifest = f"{MANIFESTS_DIR}/{step.manifest_file()}"
            redacted = self.redactor.text(text)
            (self.folder / MANIFESTS_DIR).mkdir(exist_ok=True)
            (self.folder / manifest).write_text(redacted, encoding="utf-8")
            stdin = text.encode("utf-8")
        name = label or step.id
        seq = self.transcript.next_seq()
        request = Request(self.procedure.requirement, argv, stdin,
                          number(step.timeout, params, DEFAULT_STEP_TIMEOUT, where),
                          self.folder, f"output/{seq:04d}-{name}.stdout.txt",
                          f"output/{seq:04d}-{name}.stderr.txt")
        execution = self.runner.run(request)
        self.clock.spent(execution.duration)
        display = shlex.join(self._redact(argv)) + (f" < {manifest}" if manifest else "")
        self.transcript.start(TranscriptEntry(
            seq, check.id, name, attempt, tuple(self._redact(argv)), display, manifest,
            _iso(execution.started_at), round(execution.duration, 3), execution.exit_code,
            execution.stdout, execution.stderr,
            None if label else describe(step.expect, params), timed_out=execution.timed_out))
        return execution, seq

    def _diagnostics(self, check: Check, step: Step, attempt: int) -> None:
        where = f"{self.procedure.path} step {step.id}"
        for number_, command in enumerate(step.diagnostics, 1):
            argv = Step(step.id, run=command).argv(step.scope(self.params, where), where)
            execution, seq = self._run(check, step, attempt, argv,
                                       f"{step.id}.diagnostic-{number_}")
            self.transcript.finish(seq, Outcome.INFO,
                                   execution.error or "captured after a failed attempt")

    def _manifest(self, name: str, params: dict[str, Any]) -> str:
        return render(manifest_template(self.procedure, name), params, name)

    def _redact(self, argv: list[str]) -> list[str]:
        return self.redactor.argv(argv)


def _skipped(check: Check, reason: str) -> CheckResult:
    return CheckResult(check.id, check.title, check.role, Status.SKIPPED, reason)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
