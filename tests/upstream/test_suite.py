"""collect --upstream-suite: go test -json streamed through the collector's runner into the
suite's three artifacts, imported as checks; what is missing is said, with exit 3."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.evidence.tree import EvidenceTree
from generator.upstream.suite import SUITE_DIR, prepare_suite
from generator.workspace import Workspace
from tests.upstream.conftest import (
    SESSION,
    STANDIN_BIN,
    STREAMS,
    make_checkout,
    run_staged,
    suite_workspace,
)

EVIDENCE = Path("evidence") / "v1.37"


def _collect(run_cli, tmp_path: Path, env: dict[str, str], *extra: str,
             checkout: Path | None = None):
    checkout = checkout or make_checkout(tmp_path / "ai-conformance")
    return run_cli("collect", "--workspace", tmp_path / "ws", "--replay", SESSION,
                   "--upstream-suite", checkout, "--output", "json", *extra, env=env)


def _result(ws: Path, requirement: str) -> dict:
    return json.loads((ws / EVIDENCE / requirement / "result.json").read_text(encoding="utf-8"))


def test_runs_the_suite_writes_the_three_artifacts_and_imports_its_tests(
        run_cli, tmp_path: Path, standin_env, conformance_repo: Path) -> None:
    ws = suite_workspace(tmp_path / "ws")
    result = _collect(run_cli, tmp_path,
                      standin_env(K8S_AI_CONFORMANCE_REPO=str(conformance_repo)))
    assert result.exit_code == 0, result.stderr + result.stdout
    argv = (tmp_path / "go-argv.txt").read_text(encoding="utf-8").splitlines()
    assert argv[0] == str((tmp_path / "ai-conformance").resolve())  # runs in the checkout
    assert argv[1:7] == ["test", "-json", "-timeout", "90m", "./test", "-args"]
    assert sorted(argv[7:]) == ["-gang-job-labels=kueue.x-k8s.io/queue-name=lq",
                                "-sandbox-runtime-class=gvisor"]  # no kubeconfig: the default
    suite = ws / EVIDENCE / SUITE_DIR
    assert (suite / "results.json").read_bytes() == (STREAMS / "pass.jsonl").read_bytes()
    log = (suite / "e2e.log").read_text(encoding="utf-8")
    assert log.startswith("=== RUN   TestAcceleratorPerformanceMetrics\n")
    assert "--- PASS: TestWorkloadSandboxing (19.88s)\n" in log and log.endswith("s\n")
    cases = {c.get("name"): c for c in ET.parse(suite / "junit.xml").getroot().iter("testcase")}
    assert "TestGangScheduling/NegativeGangScheduling" in cases
    assert not any(c.find("failure") is not None for c in cases.values())
    record = json.loads((suite / "suite.json").read_text(encoding="utf-8"))
    assert record["checkout"]["describe"] == "v1.37.0" and record["warnings"] == []
    assert record["tests"]["TestWorkloadSandboxing"] == "passed"
    loaded = EvidenceTree.load(ws / EVIDENCE).suite  # the typed record reads back the same
    assert loaded and loaded.to_json() == record and next(iter(loaded.tests)) == (
        "TestAcceleratorPerformanceMetrics")
    payload = json.loads(result.stdout)["upstreamSuite"]
    assert "TestSecureAcceleratorAccess" in payload["passed"] and payload["failed"] == []
    # tests become checks of their requirements, beside the procedure's own
    sandboxing = _result(ws, "workload_sandboxing")
    assert sandboxing["status"] == "passed"
    imported = [c for c in sandboxing["checks"] if c.get("provenance")]
    assert {c["title"] for c in imported} >= {"TestWorkloadSandboxing",
                                             "TestWorkloadSandboxing/ProcessIsolation"}
    gang = _result(ws, "gang_scheduling")
    assert gang["source"] == "imported" and gang["status"] == "passed"
    roles = {c["title"]: c["role"] for c in gang["checks"]}
    assert roles["TestGangScheduling/NegativeGangScheduling"] == "negative"
    assert _result(ws, "robust_controller")["status"] == "passed"
    assert not (ws / EVIDENCE / "dra_support").exists()  # not in the 1.37 checklist


def test_a_failing_test_fails_its_requirement_and_the_run(run_cli, tmp_path: Path,
                                                           standin_env) -> None:
    ws = suite_workspace(tmp_path / "ws")
    result = _collect(run_cli, tmp_path, standin_env("fail-secure.jsonl", GO_STANDIN_EXIT="1"))
    assert result.exit_code == 1, result.stderr
    secure = _result(ws, "secure_accelerator_access")
    assert secure["status"] == "failed"
    failed = next(c for c in secure["checks"] if c["status"] == "failed"
                  and c["title"].endswith("NegativeIsolationTest"))
    assert "sees accelerator devices" in failed["reason"]
    payload = json.loads(result.stdout)["upstreamSuite"]
    assert "TestSecureAcceleratorAccess/NegativeIsolationTest" in payload["failed"]


def test_a_skipped_test_is_shown_not_made_a_check(run_cli, tmp_path: Path, standin_env) -> None:
    ws = suite_workspace(tmp_path / "ws")
    result = _collect(run_cli, tmp_path, standin_env("autoscaling-skipped.jsonl"))
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)["upstreamSuite"]
    assert payload["skipped"] == ["TestAcceleratorClusterAutoscaling"]
    assert payload["mapped"]["cluster_autoscaling"] == {"passed": 0, "failed": 0, "skipped": 1}
    assert not (ws / EVIDENCE / "cluster_autoscaling" / "result.json").exists()


def test_a_second_run_replaces_the_first_runs_checks(run_cli, tmp_path: Path,
                                                     standin_env) -> None:
    ws = suite_workspace(tmp_path / "ws")
    checkout = make_checkout(tmp_path / "ai-conformance")
    assert _collect(run_cli, tmp_path, standin_env("fail-secure.jsonl", GO_STANDIN_EXIT="1"),
                    checkout=checkout).exit_code == 1
    assert _collect(run_cli, tmp_path, standin_env(), checkout=checkout).exit_code == 0
    secure = _result(ws, "secure_accelerator_access")
    assert secure["status"] == "passed" and not any(
        c["status"] == "failed" for c in secure["checks"])
    assert sorted(p.name for p in (ws / EVIDENCE / "secure_accelerator_access" / "imported")
                  .iterdir()) == ["upstream-suite-results.json",
                                  "upstream-suite-results.json.checks.json"]


def test_a_checkout_of_another_release_is_warned_about(run_cli, tmp_path: Path,
                                                       standin_env) -> None:
    suite_workspace(tmp_path / "ws")
    checkout = make_checkout(tmp_path / "ai-conformance", tag="v1.36.2")
    result = _collect(run_cli, tmp_path, standin_env(), checkout=checkout)
    assert result.exit_code == 0
    warning = json.loads(result.stdout)["upstreamSuite"]["warnings"][0]
    assert "at v1.36.2, not a release for v1.37" in warning


def test_without_go_it_says_what_to_install(run_cli, tmp_path: Path) -> None:
    suite_workspace(tmp_path / "ws")
    bare = tmp_path / "bin"  # git (the tool needs it) and nothing else: no go
    bare.mkdir()
    (bare / "git").symlink_to(shutil.which("git") or "/usr/bin/git")
    env = {"PATH": str(bare)}
    checkout = make_checkout(tmp_path / "ai-conformance")
    result = run_cli("collect", "--workspace", tmp_path / "ws", "--replay", SESSION,
                     "--upstream-suite", checkout, env=env)
    assert result.exit_code == 3
    assert "'go' not found on PATH; install Go" in result.stderr
    assert "apt-get install golang-go" in result.stderr
    assert not (tmp_path / "ws" / "evidence").exists()  # nothing touched


@pytest.mark.parametrize("folder", ["empty", "not-cloned-yet"])
def test_a_folder_that_is_no_checkout_says_how_to_get_one(run_cli, tmp_path: Path,
                                                          standin_env, folder: str) -> None:
    """Also a folder not cloned yet: README's walkthrough clones it, exit 3 like a missing Go."""
    suite_workspace(tmp_path / "ws")
    (tmp_path / "empty").mkdir()
    result = _collect(run_cli, tmp_path, standin_env(), checkout=tmp_path / folder)
    assert result.exit_code == 3
    assert "not a checkout of kubernetes-sigs/ai-conformance" in result.stderr
    assert "git clone https://github.com/kubernetes-sigs/ai-conformance" in result.stderr


def test_go_that_runs_no_test_is_an_environment_problem(run_cli, tmp_path: Path,
                                                        standin_env) -> None:
    ws = suite_workspace(tmp_path / "ws")
    result = _collect(run_cli, tmp_path, standin_env(
        None, GO_STANDIN_EXIT="1",
        GO_STANDIN_STDERR="go: go.mod requires go >= 1.24.0 (running go 1.19.8; "
                          "GOTOOLCHAIN=local)"))
    assert result.exit_code == 3
    assert "ran no test (exit 1): go: go.mod requires go >= 1.24.0" in result.stderr
    assert not (ws / EVIDENCE / SUITE_DIR).exists()


def test_a_flag_the_suite_does_not_define_is_named(run_cli, tmp_path: Path,
                                                   standin_env) -> None:
    """A real stream: the test binary refuses the flag before any test and prints its usage;
    the refusal, not go test's closing FAIL line, is what the user needs."""
    ws = suite_workspace(tmp_path / "ws")
    result = _collect(run_cli, tmp_path, standin_env("unknown-flag.jsonl",
                                                     GO_STANDIN_EXIT="1"))
    assert result.exit_code == 3
    assert "ran no test (exit 1): flag provided but not defined: -gang-job-labels" in (
        result.stderr)
    assert not (ws / EVIDENCE / SUITE_DIR).exists()


def test_secrets_in_the_stream_are_redacted_and_it_stays_json(tmp_path: Path,
                                                              monkeypatch) -> None:
    stream = tmp_path / "secret.jsonl"
    lines = (STREAMS / "pass.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    leak = {"Time": "2026-11-20T09:12:03.2Z", "Action": "output",
            "Package": "sigs.k8s.io/ai-conformance/test",
            "Test": "TestAIServiceMetrics",
            "Output": '    x.go:1: querying with --token=abcd"efgh and Authorization: Bearer '
                      'sk-live-1234567890abcdef"}\n'}
    pem = [{**leak, "Output": "    x.go:2: -----BEGIN RSA PRIVATE KEY-----\n"},
           {**leak, "Output": "MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MaDLq\n"},
           {**leak, "Output": "-----END RSA PRIVATE KEY-----\n"}]
    stream.write_text("".join([*lines[:3], *(json.dumps(e) + "\n" for e in [leak, *pem]),
                               *lines[3:]]), encoding="utf-8")
    ws_root = suite_workspace(tmp_path / "ws")
    monkeypatch.setenv("PATH", f"{STANDIN_BIN}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("GO_STANDIN_STREAM", str(stream))
    workspace = Workspace.load(ws_root)
    plan = prepare_suite(make_checkout(tmp_path / "ai-conformance"), workspace)
    run = run_staged(plan, workspace)
    results = (run.folder / "results.json").read_text(encoding="utf-8")
    assert "sk-live" not in results and "efgh" not in results and "MIIEow" not in results
    events = [json.loads(line) for line in results.splitlines()]
    assert all(e["Time"] and e["Package"] for e in events)  # only Output is inside the PEM
    assert "Bearer [REDACTED]" in (run.folder / "e2e.log").read_text(encoding="utf-8")


def test_an_interrupt_stops_go_and_leaves_no_artifacts(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", f"{STANDIN_BIN}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("GO_STANDIN_STREAM", str(STREAMS / "pass.jsonl"))
    monkeypatch.setenv("GO_STANDIN_SLEEP", "60")
    workspace = Workspace.load(suite_workspace(tmp_path / "ws"))
    plan = prepare_suite(make_checkout(tmp_path / "ai-conformance"), workspace)
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        run_staged(plan, workspace, cancel)
    assert time.monotonic() - started < 10
    assert not any(p.name.startswith((".staging", SUITE_DIR))
                   for p in workspace.evidence_dir.iterdir())


def test_a_context_becomes_a_private_kubeconfig_shown_by_name_only(
        run_cli, tmp_path: Path, standin_env) -> None:
    """The suite reads only the current context: --context X hands it a minified kubeconfig of
    X (kubectl config view --minify --flatten), removed afterwards, never shown by its path."""
    ws = suite_workspace(tmp_path / "ws")
    (tmp_path / "my-kubeconfig").write_text("apiVersion: v1\n")  # the stand-in reads none
    fake = tmp_path / "fakebin"
    fake.mkdir()
    (fake / "kubectl").write_text("#!/usr/bin/env bash\n"
                                  f"printf '%s\\n' \"$@\" > {tmp_path / 'kubectl-argv.txt'}\n"
                                  "echo 'apiVersion: v1'\necho 'current-context: prod'\n")
    (fake / "kubectl").chmod(0o755)
    env = standin_env()
    env["PATH"] = f"{fake}{os.pathsep}{env['PATH']}"  # before any real kubectl
    result = _collect(run_cli, tmp_path, env, "--context", "prod",
                      "--kubeconfig", str(tmp_path / "my-kubeconfig"))
    assert result.exit_code == 0, result.stderr
    kubectl = (tmp_path / "kubectl-argv.txt").read_text(encoding="utf-8").split()
    assert kubectl == ["config", "view", "--minify", "--flatten", "--context", "prod",
                       "--kubeconfig", str(tmp_path / "my-kubeconfig")]
    handed = next(a for a in (tmp_path / "go-argv.txt").read_text(encoding="utf-8").splitlines()
                  if a.startswith("-kubeconfig="))
    assert handed.endswith("/kubeconfig") and not Path(handed.split("=", 1)[1]).exists()
    record = json.loads((ws / EVIDENCE / SUITE_DIR / "suite.json").read_text(encoding="utf-8"))
    assert "-kubeconfig=kubeconfig " in record["command"] and str(tmp_path) not in record["command"]


def test_the_runner_timeout_stops_go(tmp_path: Path, monkeypatch) -> None:
    """go test's own -timeout fires first in practice; the runner's is the backstop."""
    monkeypatch.setenv("PATH", f"{STANDIN_BIN}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("GO_STANDIN_STREAM", str(STREAMS / "pass.jsonl"))
    monkeypatch.setenv("GO_STANDIN_SLEEP", "60")
    monkeypatch.setattr("generator.upstream.suite.GRACE_SECONDS", -59)  # 1 minute - 59 s
    workspace = Workspace.load(suite_workspace(tmp_path / "ws", timeoutMinutes=1))
    plan = prepare_suite(make_checkout(tmp_path / "ai-conformance"), workspace)
    started = time.monotonic()
    run = run_staged(plan, workspace)
    assert time.monotonic() - started < 10
    assert run.timed_out and run.exit_code is None
    record = json.loads((run.folder / "suite.json").read_text(encoding="utf-8"))
    assert record["timedOut"] is True and record["exitCode"] is None


def test_init_offers_the_suite_block_and_dry_run_shows_the_command(
        run_cli, tmp_path: Path) -> None:
    assert run_cli("init", tmp_path / "ws", "--kubernetes-version", "v1.37").exit_code == 0
    platform = tmp_path / "ws" / "platform.yaml"
    text = platform.read_text(encoding="utf-8")
    block = text[text.index("# upstreamSuite:"):text.index("requirements:\n")]
    platform.write_text(text.replace(block, "".join(
        line[2:] + "\n" for line in block.splitlines())), encoding="utf-8")
    assert Workspace.load(tmp_path / "ws").platform["upstreamSuite"]["timeoutMinutes"] == 90
    (tmp_path / "checkout").mkdir()
    result = run_cli("collect", "--workspace", tmp_path / "ws", "--dry-run", "--upstream-suite",
                     tmp_path / "checkout", "--requirement", "workload_sandboxing")
    assert result.exit_code == 0, result.stderr
    assert ("$ go test -json -timeout 90m -run '^Test(SecureAcceleratorAccess|GangScheduling)$' "
            "./test -args -sandbox-runtime-class=gvisor") in result.stdout
    init_136 = run_cli("init", tmp_path / "ws136", "--kubernetes-version", "v1.36")
    assert init_136.exit_code == 0
    assert "upstreamSuite" not in (tmp_path / "ws136" / "platform.yaml").read_text()
