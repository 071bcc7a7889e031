"""Run the upstream suite (``go test -json ./test`` in a checkout of kubernetes-sigs/ai-conformance)
through the collector's own process runner: streamed to disk, redacted, timed out and cancelled
exactly like procedure steps; the stream becomes ``results.json``, ``junit.xml`` and ``e2e.log``
in ``evidence/vX.Y/upstream-suite/``, swapped in only when complete, and each test is imported as
a check of the requirement the catalog maps it to.

The suite's flags come from platform.yaml ``upstreamSuite.flags`` (``go test ./test -args -help``
lists them); the kubeconfig is the collector's, and a ``--context`` becomes a minified kubeconfig
of that context in a private temporary folder (the suite reads only the current context).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator.collect.kubectl import Execution, LiveRunner, Request
from generator.collect.redact import Redactor
from generator.collect.staging import Staging
from generator.errors import EnvironmentProblem
from generator.evidence.model import SuiteCheckout, SuiteRecord
from generator.evidence.writer import write_json
from generator.importers.merge import ImportSummary, drop_import, import_file
from generator.layout import (
    E2E_LOG,
    RESULTS_JSON,
    SUITE_ARTIFACTS,
    SUITE_KEPT_RESULTS,
    SUITE_RECORD,
    SUITE_STDERR,
)
from generator.layout import SUITE_DIR as SUITE_DIR  # its users import it from here too
from generator.upstream.gotest import PackageRun, convert
from generator.workspace import Workspace

SCOPE = "upstream-suite"
DEFAULT_TIMEOUT_MINUTES = 90  # the suite's README asks for -timeout 75m or more (autoscaling)
GRACE_SECONDS = 120  # go test's own -timeout fires first and prints which test hung
REPOSITORY = "https://github.com/kubernetes-sigs/ai-conformance"
INSTALL_GO = ("install Go (https://go.dev/doc/install; on Debian/Ubuntu: apt-get install "
              "golang-go) so that 'go' is on PATH")


def clone_hint(minor: str) -> str:
    return (f"git clone {REPOSITORY} && git -C ai-conformance checkout <the release tag for "
            f"v{minor}> (the suite's README: run the release matching your cluster's version)")


@dataclass(frozen=True)
class Checkout:
    path: Path
    commit: str | None
    describe: str | None  # ``git describe --tags --always``, e.g. v1.37.0 or a commit
    branch: str | None

    def matches(self, minor: str) -> bool:
        pattern = re.compile(rf"(^|[^0-9.]){re.escape(minor)}(\.|$|[^0-9])")
        return any(pattern.search(ref) for ref in (self.describe, self.branch) if ref)

    def shown(self) -> str:
        return self.describe or self.commit or "(not a git checkout)"


def _git(path: Path, *argv: str) -> str | None:
    git = shutil.which("git")
    if not git:
        return None
    try:
        done = subprocess.run([git, "-C", str(path), *argv], capture_output=True, text=True,
                              timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def inspect_checkout(path: Path, minor: str) -> Checkout:
    """The checkout must hold the suite (``test/main_test.go``); its release is read by git."""
    if not (path / "test" / "main_test.go").is_file() or not (path / "go.mod").is_file():
        raise EnvironmentProblem(
            f"--upstream-suite {path}: not a checkout of kubernetes-sigs/ai-conformance "
            f"(no go.mod and test/main_test.go); get one: {clone_hint(minor)}")
    return Checkout(path, _git(path, "rev-parse", "HEAD"),
                    _git(path, "describe", "--tags", "--always"),
                    _git(path, "rev-parse", "--abbrev-ref", "HEAD"))


def find_go() -> str:
    go = shutil.which("go")
    if not go:
        raise EnvironmentProblem(f"--upstream-suite needs Go: 'go' not found on PATH; "
                                 f"{INSTALL_GO}")
    return go


@dataclass(frozen=True)
class SuiteConfig:
    """platform.yaml ``upstreamSuite``: the suite's own flags, an optional -run, a timeout."""

    flags: dict[str, Any] = field(default_factory=dict)
    run: str | None = None
    timeout_minutes: int = DEFAULT_TIMEOUT_MINUTES

    @classmethod
    def from_workspace(cls, workspace: Workspace) -> SuiteConfig:
        data = workspace.platform.get("upstreamSuite") or {}
        return cls(dict(data.get("flags") or {}), data.get("run"),
                   int(data.get("timeoutMinutes", DEFAULT_TIMEOUT_MINUTES)))

    def argv(self, kubeconfig: str | None) -> list[str]:
        """``go test -json``, our timeout and -run, the package, then the suite's flags."""
        words = ["go", "test", "-json", "-timeout", f"{self.timeout_minutes}m"]
        if self.run:
            words += ["-run", self.run]
        words += ["./test", "-args"]
        if kubeconfig:
            words.append(f"-kubeconfig={kubeconfig}")
        for name, value in self.flags.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            words.append(f"-{name}={text}")
        return words


class EventRedactor(Redactor):
    """Redacts the text inside each JSON event, so a rule never breaks the event's JSON."""

    def fresh(self) -> EventRedactor:
        return EventRedactor(self.rules)

    def line(self, text: str, continued: bool = False) -> str:
        try:
            event = json.loads(text)
        except json.JSONDecodeError:  # also a piece of an event too long to hold whole
            return super().line(text, continued)
        if not isinstance(event, dict):
            return super().line(text, continued)
        for key, value in event.items():
            if isinstance(value, str):  # Output carries the PEM state from event to event
                event[key] = super().line(value) if key == "Output" else self._apply(value)
        return json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n"


@contextmanager
def suite_kubeconfig(kubeconfig: str | None, context: str | None) -> Iterator[str | None]:
    """The kubeconfig the suite reads: the collector's, or for ``--context`` a minified copy
    whose current context is that one, in a private folder removed afterwards."""
    if not context:
        yield str(Path(kubeconfig).resolve()) if kubeconfig else None
        return
    kubectl = shutil.which("kubectl")
    if not kubectl:
        raise EnvironmentProblem("--upstream-suite with --context needs kubectl to select the "
                                 "context: install it: https://kubernetes.io/docs/tasks/tools/")
    argv = [kubectl, "config", "view", "--minify", "--flatten", "--context", context,
            *(["--kubeconfig", kubeconfig] if kubeconfig else [])]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise EnvironmentProblem(f"--context {context}: kubectl config view failed: "
                                 f"{(done.stderr.strip().splitlines() or ['no output'])[-1]}")
    with tempfile.TemporaryDirectory(prefix="k8s-ai-evidence-suite-") as tmp:
        path = Path(tmp) / "kubeconfig"
        path.touch(mode=0o600)
        path.write_text(done.stdout, encoding="utf-8")
        yield str(path)


@dataclass
class SuiteRun:
    folder: Path  # evidence/vX.Y/upstream-suite
    checkout: Checkout
    packages: list[PackageRun]
    exit_code: int | None
    timed_out: bool
    warnings: list[str]

    def outcomes(self) -> dict[str, str]:
        return {t.name: t.status for p in self.packages for t in p.tests.values()}


@dataclass(frozen=True)
class SuitePlan:
    directory: Path
    go: str
    checkout: Checkout
    config: SuiteConfig
    warnings: list[str]


def prepare_suite(directory: Path, workspace: Workspace) -> SuitePlan:
    """Everything the run needs that can be checked before anything is touched (exit 3)."""
    go = find_go()
    checkout = inspect_checkout(directory, workspace.version)
    warnings = [] if checkout.matches(workspace.version) else [
        f"the suite checkout is at {checkout.shown()}, not a release for {workspace.tag}: "
        f"CNCF asks for the suite's release matching the cluster's version "
        f"({clone_hint(workspace.version)})"]
    return SuitePlan(directory, go, checkout, SuiteConfig.from_workspace(workspace), warnings)


def run_suite(plan: SuitePlan, workspace: Workspace, staging: Staging, redactor: Redactor,
              cancel: threading.Event, kubeconfig: str | None = None,
              context: str | None = None) -> SuiteRun:
    """Run the suite into ``staging`` (``evidence/vX.Y/upstream-suite`` once the collection
    commits it); KeyboardInterrupt if ``cancel`` is set."""
    started = datetime.now(UTC)
    with suite_kubeconfig(kubeconfig, context) as suite_config:
        argv = plan.config.argv(suite_config)
        request = Request(SCOPE, argv, None,
                          plan.config.timeout_minutes * 60 + GRACE_SECONDS, staging.folder,
                          RESULTS_JSON, SUITE_STDERR, cwd=plan.directory.resolve())
        execution = _execute(LiveRunner(plan.go, EventRedactor(redactor.rules)), request,
                             cancel)
        shown = shlex.join(redactor.text(w) for w in _shown_argv(argv, suite_config))
    packages = convert(staging.folder / RESULTS_JSON, staging.folder)
    if not any(p.tests for p in packages):
        why = _line(staging.folder / SUITE_STDERR, -1) or _line(staging.folder / E2E_LOG, 0)
        raise EnvironmentProblem(f"go test in {plan.directory} ran no test (exit "
                                 f"{execution.exit_code}): {why or 'no output'}")
    checkout = plan.checkout
    record = SuiteRecord(
        workspace.tag, SuiteCheckout(plan.directory.resolve().name, checkout.commit,
                                     checkout.describe, checkout.branch, not plan.warnings),
        shown, started.isoformat(timespec="seconds").replace("+00:00", "Z"),
        round(execution.duration, 3), execution.exit_code, execution.timed_out,
        {t.name: t.status for p in packages for t in p.tests.values() if "/" not in t.name},
        SUITE_ARTIFACTS, tuple(plan.warnings))
    write_json(staging.folder / SUITE_RECORD, record.to_json(), "upstream-suite")
    return SuiteRun(staging.target, checkout, packages, execution.exit_code,
                    execution.timed_out, plan.warnings)


def _execute(runner: LiveRunner, request: Request, cancel: threading.Event) -> Execution:
    """Run off the main thread, so Ctrl-C (or ``cancel``) stops go while it streams."""
    done: list[Execution] = []
    worker = threading.Thread(target=lambda: done.append(runner.run(request)), daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
            if cancel.is_set():
                runner.cancel()
    except KeyboardInterrupt:
        runner.cancel()
        worker.join()
        raise
    if cancel.is_set():
        raise KeyboardInterrupt
    if done[0].error:
        raise EnvironmentProblem(done[0].error)
    return done[0]


def _shown_argv(argv: list[str], kubeconfig: str | None) -> list[str]:
    """The command as evidence shows it: the kubeconfig by name only, never the home path."""
    if not kubeconfig:
        return argv
    return [w.replace(kubeconfig, Path(kubeconfig).name) for w in argv]


def _line(path: Path, index: int) -> str | None:
    """A non-blank line of ``path``: go and the compiler end their stderr with why; a test
    binary that stopped before any test (a flag it does not define, a panic in TestMain)
    says why first in its output."""
    if not path.is_file():
        return None
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8", errors="replace").splitlines()
             if ln.strip()]
    return lines[index][:300] if lines else None


def import_suite(workspace: Workspace, run: SuiteRun, known: set[str] | None) -> ImportSummary:
    """Each test becomes a check of its requirement (catalog mapping); an earlier suite run's
    checks are replaced, also where this run mapped nothing.  Skipped tests make no check."""
    for folder in sorted(p for p in workspace.evidence_dir.iterdir() if p.is_dir()):
        drop_import(workspace, folder, SUITE_KEPT_RESULTS)
    return import_file(workspace, run.folder / RESULTS_JSON, known=known,
                       kept_name=SUITE_KEPT_RESULTS, include_skipped=False)
