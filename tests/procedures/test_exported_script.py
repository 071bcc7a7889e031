"""Every exported procedure.sh is shellchecked and, run with bash against a stand-in kubectl
that replays the same recorded session, judges every check as the tool did: exit 0 only when
the tool passed, exit 1 when a check fails, captured text never runs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.collect.orchestrate import Collection, CollectOptions, select
from generator.collect.session import Session, normalize_argv
from generator.evidence.tree import PROCEDURE_SCRIPT
from tests.collect.conftest import EXAMPLE_SESSIONS, SESSIONS, make_workspace
from tests.procedures.standin import ScriptRun, run_script

RUN_ID = "5c1d7e"
PREFLIGHT = EXAMPLE_SESSIONS / "_preflight.yaml"
SHELLCHECK = shutil.which("shellcheck")


# Sessions recorded with parameters rather than a variant of their own
CONFIGS = {"gpu_sharing-mig": {"parameters": {
    "resourceName": "nvidia.com/mig-1g.10gb", "strategyLabel": "nvidia.com/mig.strategy",
    "strategyValue": "mixed"}}}


def _cases() -> list[Any]:
    """(requirement, config, session files): the example's sessions and every *-pass one."""
    found = [pytest.param(path.stem, {}, [PREFLIGHT, path], id=f"example-{path.stem}")
             for path in sorted(EXAMPLE_SESSIONS.glob("[!_]*.yaml"))]
    for path in sorted(SESSIONS.glob("*-pass.yaml")):
        name = path.stem.removesuffix("-pass")
        requirement, _, variant = name.partition("-")
        config = CONFIGS.get(name, {"variant": variant} if variant else {})
        files = [path] if "v1.36" in path.read_text()[:200] else [PREFLIGHT, path]
        found.append(pytest.param(requirement, config, files, id=path.stem))
    return found


def _collect(tmp_path: Path, session: Session, requirement: str, config: dict[str, Any]
             ) -> tuple[dict[str, Any], Path]:
    """The tool's result (replayed) and the procedure.sh it exported."""
    workspace = make_workspace(tmp_path / "ws", session.kubernetes_version,
                               **{requirement: config})
    path = tmp_path / "session.yaml"
    session.save(path)
    options = CollectOptions(requirements=(requirement,), replay=(path,))
    result = Collection(workspace, options, run_id=RUN_ID).run(
        select(workspace, (requirement,)))[requirement]
    return result, workspace.evidence_dir / requirement / PROCEDURE_SCRIPT


def _assert_same_verdicts(result: dict[str, Any], run: ScriptRun) -> None:
    """A check the tool passed passes in shell (or is said not judgeable there), a failed one
    fails (or is said not judgeable); the exit code follows."""
    printed = run.verdicts()
    for check in result["checks"]:
        if check["role"] == "cleanup" or check["status"] in ("skipped", "unknown"):
            continue
        want = {"passed": "PASSED", "failed": "FAILED"}[check["status"]]
        assert printed.get(check["id"]) in (want, "NOT JUDGED"), (check, run.output[-3000:])
    deciding_failed = any(c["status"] == "failed" and c["role"] in ("setup", "positive",
                                                                   "negative")
                          for c in result["checks"])
    if run.exit_code == 0:
        assert result["status"] == "passed", run.output[-2000:]
    if deciding_failed:
        assert run.exit_code in (1, 2) and "RESULT: passed" not in run.output
    if "FAILED" in printed.values():
        assert run.exit_code == 1, run.output[-2000:]


@pytest.mark.parametrize(("requirement", "config", "files"), _cases())
def test_script_judges_every_check_as_the_tool_did(tmp_path: Path, requirement: str,
                                                   config: dict[str, Any], files: list[Path]
                                                   ) -> None:
    """Shellcheck-clean; the same verdicts as the tool on the recorded session; then the first
    passing positive check's decisive command answers as a missing probe (exit 127): the tool
    fails that check, and so does the script, with exit code 1."""
    session = Session.load_all(files)
    result, script = _collect(tmp_path / "pass", session, requirement, config)
    if SHELLCHECK:  # .ci/run installs it (Debian package shellcheck)
        done = subprocess.run([SHELLCHECK, "--shell=bash", str(script)], capture_output=True,
                              text=True, check=False)
        assert done.returncode == 0, done.stdout
    run = run_script(script, session, RUN_ID, tmp_path / "standin-pass")
    _assert_same_verdicts(result, run)
    assert "no recorded answer" not in run.output, run.output[-2000:]
    if result["status"] == "passed":  # exit 2 only where the script says what it cannot judge
        assert run.exit_code in (0, 2), run.output[-2000:]
        assert (run.exit_code == 2) == ("NOT JUDGED IN SHELL" in run.output)

    target = next((c for c in result["checks"] if c["role"] == "positive"
                   and c["status"] == "passed"), None)
    if target is None:
        return  # nothing passes to be broken
    transcript = [json.loads(line) for line in (script.parent / "transcript.jsonl").read_text(
        ).splitlines()]
    decisive = next(e for e in transcript if e["seq"] == target["decisiveStep"])
    argv = normalize_argv(decisive["command"], RUN_ID)
    for exchange in session.exchanges:
        if exchange["argv"] == argv:
            exchange.update(exitCode=127, stdout="",
                            stderr="command terminated with exit code 127\n")
    broken, script = _collect(tmp_path / "fail", session, requirement, config)
    assert next(c for c in broken["checks"] if c["id"] == target["id"])["status"] == "failed"
    run = run_script(script, session, RUN_ID, tmp_path / "standin-fail")
    assert run.verdicts()[target["id"]] == "FAILED", run.output[-3000:]
    assert run.exit_code == 1 and "RESULT: failed" in run.output


def _capturing_session() -> tuple[Session, list[dict[str, Any]]]:
    """The example's gpu_sharing session, and its answers naming the shared node (captured)."""
    session = Session.load_all([PREFLIGHT, EXAMPLE_SESSIONS / "gpu_sharing.yaml"])
    hits = [e for e in session.exchanges if "jsonpath={.items[0].metadata.name}" in e["argv"]]
    assert hits, "the session captures a node name"
    return session, hits


def test_captured_text_is_data_never_shell(tmp_path: Path) -> None:
    """A node name answered as ``8\\ntouch /tmp/x #`` fails the capture in the tool and in the
    script; nothing runs and the value reaches neither a command nor a manifest."""
    session, hits = _capturing_session()
    marker = tmp_path / "pwned"
    for exchange in hits:
        exchange["stdout"] = f"8\ntouch {marker} #"
    result, script = _collect(tmp_path, session, "gpu_sharing", {})
    assert result["status"] == "failed"
    assert any("is not a token" in c["reason"] for c in result["checks"]), result["checks"]
    run = run_script(script, session, RUN_ID, tmp_path / "standin")
    assert run.exit_code == 1 and not marker.exists()
    assert "is not a token" in run.output
    assert not any("touch" in " ".join(c["argv"]) + c["stdin"] for c in run.calls)


def test_a_value_captured_at_run_time_is_used_not_the_recorded_one(tmp_path: Path) -> None:
    """The script captures again: the node answered now is the node it uses, in commands and
    in manifests; the recorded node is nowhere in the script."""
    session, hits = _capturing_session()
    recorded = hits[0]["stdout"].strip()
    _, script = _collect(tmp_path, session, "gpu_sharing", {})
    assert recorded and recorded not in script.read_text()
    for exchange in session.exchanges:  # the cluster now answers with another node
        exchange["argv"] = [w.replace(recorded, "another-node-7") for w in exchange["argv"]]
    for exchange in hits:
        exchange["stdout"] = "another-node-7\n"
    run = run_script(script, session, RUN_ID, tmp_path / "standin")
    assert any("another-node-7" in " ".join(c["argv"]) for c in run.calls), run.output[-2000:]
    assert any('"another-node-7"' in c["stdin"] for c in run.calls), run.output[-2000:]
    assert not any(recorded in " ".join(c["argv"]) + c["stdin"] for c in run.calls)
