"""Every exported procedure.sh is shellchecked and, run with bash against a stand-in kubectl
that replays the same recorded session, judges every check as the tool did: with the judge
(``k8s-ai-evidence judge``) on PATH every verdict and the exit code are the tool's; without it
builtins without a shell form are said not judged (exit 2); captured text never runs."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.collect.engine import cleanup_check, manifest_template, namespace_check
from generator.collect.orchestrate import Collection, CollectOptions, parameters, select
from generator.collect.session import RUN_ID_TOKEN, Session, normalize_argv
from generator.evidence.tree import PROCEDURE_SCRIPT
from generator.procedures.builtins import BUILTINS
from generator.procedures.loader import load_procedure, procedure_requirements, variants
from generator.procedures.model import CAPTURE_KINDS, captured_problem
from generator.procedures.script import SHELL_BUILTINS, _Shell, export_script
from tests.collect.conftest import EXAMPLE_SESSIONS, ROOT, SESSIONS, make_workspace
from tests.procedures.standin import ScriptRun, run_script
from tests.procedures.test_every_procedure import VERSIONS

RUN_ID = "5c1d7e"
PREFLIGHT = EXAMPLE_SESSIONS / "_preflight.yaml"
SHELLCHECK = shutil.which("shellcheck")


# Sessions recorded with parameters rather than a variant of their own
CONFIGS = {"gpu_sharing-mig": {"parameters": {
    "resourceName": "nvidia.com/mig-1g.10gb", "strategyLabel": "nvidia.com/mig.strategy",
    "strategyValue": "mixed"}}}


def _cases() -> list[Any]:
    """(requirement, config, session files): the example's sessions and every *-pass one."""
    example = yaml.safe_load((ROOT / "platform.yaml").read_text())["requirements"]
    found = [pytest.param(path.stem, {k: v for k, v in (example.get(path.stem) or {}).items()
                                      if k in ("variant", "parameters")},
                          [PREFLIGHT, path], id=f"example-{path.stem}")
             for path in sorted(EXAMPLE_SESSIONS.glob("[!_]*.yaml"))]
    for path in sorted(SESSIONS.glob("*-pass.yaml")):
        name = path.stem.removesuffix("-pass")
        requirement, _, variant = name.partition("-")
        config = CONFIGS.get(name, {"variant": variant} if variant else {})
        # the example's preflight answers are v1.35's; other versions' sessions carry theirs
        example_version = Session.load(path).kubernetes_version == "v1.35"
        files = [PREFLIGHT, path] if example_version else [path]
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
    return result.to_json(), workspace.evidence_dir / requirement / PROCEDURE_SCRIPT


def _assert_judged_as_the_tool(result: dict[str, Any], run: ScriptRun) -> None:
    """With the judge: every check the tool decided has the tool's verdict, none is left not
    judged, and the exit code is the tool's."""
    printed = run.verdicts()
    for check in result["checks"]:
        if check["role"] != "cleanup" and check["status"] in ("passed", "failed"):
            assert printed.get(check["id"]) == check["status"].upper(), (check,
                                                                        run.output[-3000:])
    assert "NOT JUDGED" not in run.output
    assert run.exit_code == {"passed": 0, "failed": 1}[result["status"]], run.output[-2000:]


def _builtins(session: Session, requirement: str, variant: str) -> dict[str, set[str]]:
    """The builtins each check of the procedure uses."""
    procedure = load_procedure(session.kubernetes_version.removeprefix("v"), requirement,
                               variant)
    return {c.id: {s.expect.builtin["name"] for s in c.steps if s.expect.builtin}
            for c in procedure.checks}


def _assert_same_verdicts(result: dict[str, Any], run: ScriptRun) -> None:
    """Without the judge: a check the tool passed passes in shell (or is said not judgeable
    there), a failed one fails (or is said not judgeable); the exit code follows."""
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
    """Shellcheck-clean; the tool's verdicts on the recorded session with the judge, and
    without it the same or not judged (exactly the checks with a builtin lacking a shell
    form); then the first passing positive check's decisive command answers as a missing probe
    (exit 127): the tool fails that check, and so does the script, with exit code 1."""
    session = Session.load_all(files)
    result, script = _collect(tmp_path / "pass", session, requirement, config)
    if SHELLCHECK:  # .ci/run installs it (Debian package shellcheck)
        done = subprocess.run([SHELLCHECK, "--shell=bash", str(script)], capture_output=True,
                              text=True, check=False)
        assert done.returncode == 0, done.stdout
    builtins = _builtins(session, requirement, result["variant"])
    run = run_script(script, session, RUN_ID, tmp_path / "standin-judged", judge=True)
    _assert_judged_as_the_tool(result, run)
    assert "no recorded answer" not in run.output, run.output[-2000:]
    assert ("builtin checks: judged by " in run.output) == any(builtins.values())
    run = run_script(script, session, RUN_ID, tmp_path / "standin-pass")
    _assert_same_verdicts(result, run)
    assert ("builtin checks: no judge" in run.output) == any(builtins.values())
    unjudged = {c["id"] for c in result["checks"] if c["status"] == "passed"
                and builtins.get(c["id"], set()) - SHELL_BUILTINS.keys()}
    assert {i for i, v in run.verdicts().items() if v == "NOT JUDGED"} == unjudged
    if result["status"] == "passed":  # exit 2 only where the script says what it cannot judge
        assert run.exit_code == (2 if unjudged else 0), run.output[-2000:]
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
    run = run_script(script, session, RUN_ID, tmp_path / "standin-fail", judge=True)
    _assert_judged_as_the_tool(broken, run)
    assert run.verdicts()[target["id"]] == "FAILED", run.output[-3000:]
    assert "RESULT: failed" in run.output


def test_a_judge_that_does_not_judge_is_never_a_pass(tmp_path: Path) -> None:
    """A judge answering exit 2 (an older tool without that builtin, say): each builtin check
    is said not judged, never passed, and the script exits 2."""
    session = Session.load_all([PREFLIGHT, EXAMPLE_SESSIONS / "gang_scheduling.yaml"])
    result, script = _collect(tmp_path, session, "gang_scheduling", {})

    def refusing_judge() -> None:
        judge = tmp_path / "standin" / "bin" / "k8s-ai-evidence"
        judge.write_text("#!/bin/sh\necho 'k8s-ai-evidence: error: unknown builtin' >&2\nexit 2\n")
        judge.chmod(0o755)

    run = run_script(script, session, RUN_ID, tmp_path / "standin", before=refusing_judge)
    assert result["status"] == "passed" and run.exit_code == 2, run.output[-2000:]
    assert "the judge did not judge it (exit 2)" in run.output
    assert "k8s-ai-evidence judge: k8s-ai-evidence: error: unknown builtin" in run.output
    builtins = _builtins(session, "gang_scheduling", result["variant"])
    assert {i for i, v in run.verdicts().items() if v == "NOT JUDGED"} == {
        i for i, names in builtins.items() if names}


@pytest.mark.parametrize(("judge", "named"), [
    ("tool/aic-judge", True),  # a path relative to where the script is started: it cds
    ("", False),  # empty: no judge, though k8s-ai-evidence is on PATH
])
def test_aic_judge_names_the_judge(tmp_path: Path, judge: str, named: bool) -> None:
    session = Session.load_all([PREFLIGHT, EXAMPLE_SESSIONS / "gang_scheduling.yaml"])
    _, script = _collect(tmp_path, session, "gang_scheduling", {})
    folder = tmp_path / "standin"

    def copy_judge() -> None:
        (folder / "tool").mkdir()
        shutil.copy(folder / "bin" / "k8s-ai-evidence", folder / "tool" / "aic-judge")

    run = run_script(script, session, RUN_ID, folder, before=copy_judge, judge=True,
                     env={"AIC_JUDGE": judge})
    if named:
        assert f"builtin checks: judged by {folder}/tool/aic-judge (k8s-ai-evidence, " \
               "version " in run.output
        assert run.exit_code == 0 and "  tool/aic-judge judge: passed: " in run.output
    else:
        assert "builtin checks: no judge (AIC_JUDGE= is not" in run.output
        assert run.exit_code == 2 and "NOT JUDGED: " in run.output


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


POLL_AND_HOLD = """title: poll and hold
checks:
- id: becomes-ready
  title: polls until the output says so, not until the first exit code 0
  role: positive
  steps:
  - id: phase
    run: kubectl get pod p -n ${namespace} -o jsonpath={.status.phase}
    expect: {equals: Running}
    poll: {interval: 2, timeout: 10}
- id: stays-pending
  title: must hold on every attempt of the window
  role: negative
  steps:
  - id: pending
    run: kubectl get pod q -n ${namespace} -o jsonpath={.status.phase}
    expect: {equals: Pending}
    hold: {interval: 5, duration: 20}
"""


def _exported(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "lib" / "1.35" / "dra_support"
    folder.mkdir(parents=True)
    (folder / "default.yaml").write_text(text)
    procedure = load_procedure("1.35", "dra_support", root=tmp_path / "lib")
    script = tmp_path / "procedure.sh"
    script.write_text(export_script(procedure, [namespace_check(), *procedure.checks],
                                    cleanup_check(procedure), parameters(procedure, RUN_ID),
                                    partial(manifest_template, procedure)))
    return script


def _answers(argv_tail: list[str], *stdouts: str) -> list[dict[str, Any]]:
    argv = ["kubectl", *argv_tail]
    return [{"scope": "dra_support", "argv": argv, "exitCode": 0, "stdout": out, "stderr": ""}
            for out in stdouts]


def _poll_hold_session(phases: tuple[str, ...], pending: tuple[str, ...]) -> Session:
    namespace = f"aic-dra-support-{RUN_ID_TOKEN}"
    setup = [{"scope": "dra_support", "argv": argv, "exitCode": 0, "stdout": "ok\n",
              "stderr": ""} for argv in (
        ["kubectl", "delete", "namespace", "-l", "k8s-ai-evidence/requirement=dra_support",
         "--ignore-not-found", "--wait=true", "--timeout=180s"],
        ["kubectl", "apply", "-f", "-"],
        ["kubectl", "delete", "pods", "--all", "-n", namespace, "--ignore-not-found",
         "--wait=true", "--timeout=180s"],
        ["kubectl", "delete", "namespace", namespace, "--ignore-not-found", "--wait=true",
         "--timeout=180s"])]
    jsonpath = "jsonpath={.status.phase}"
    return Session("v1.35", exchanges=[
        *setup, *_answers(["get", "pod", "p", "-n", namespace, "-o", jsonpath], *phases),
        *_answers(["get", "pod", "q", "-n", namespace, "-o", jsonpath], *pending)])


@pytest.mark.parametrize(("phases", "pending", "verdicts", "asked"), [
    # exit 0 with "Pending" twice: the poll goes on until "Running" (3 attempts)
    (("Pending", "Pending", "Running"), ("Pending",), ("PASSED", "PASSED"), (3, 5)),
    # never "Running" within 10s at 2s: 6 attempts, then the check fails
    (("Pending",), ("Pending",), ("FAILED", "PASSED"), (6, 5)),
    # the hold breaks on its third attempt: failed at once
    (("Running",), ("Pending", "Pending", "Running"), ("PASSED", "FAILED"), (1, 3)),
])
def test_polls_wait_for_the_output_and_holds_last_the_whole_window(
        tmp_path: Path, phases: tuple[str, ...], pending: tuple[str, ...],
        verdicts: tuple[str, str], asked: tuple[int, int]) -> None:
    """The engine's windows (another attempt only if its pause fits): poll 10s every 2s is at
    most 6 attempts, hold 20s every 5s is 5 attempts that must all hold."""
    run = run_script(_exported(tmp_path, POLL_AND_HOLD), _poll_hold_session(phases, pending),
                     RUN_ID, tmp_path / "standin")
    assert (run.verdicts()["becomes-ready"], run.verdicts()["stays-pending"]) == verdicts
    counted = tuple(sum(1 for c in run.calls if c["argv"][3:4] == [pod]) for pod in "pq")
    assert counted == asked, run.output
    assert run.exit_code == (0 if verdicts == ("PASSED", "PASSED") else 1)


@pytest.mark.parametrize("kind", sorted(CAPTURE_KINDS))
def test_the_script_validates_captures_exactly_as_the_tool(tmp_path: Path, kind: str) -> None:
    """bash [[ =~ ]] with the same POSIX ERE accepts exactly what captured_problem accepts."""
    values = ["gpu-node-1", "10.0.0.7", "2", "007", "a b", "8\ntouch /tmp/x #", "$(id)", "x;y",
              "node.example.com", "-a", "--server=https://x", "Node-1", "a\"b", "pool/dev-0",
              "v1.2.3", ""]
    script = tmp_path / "check.sh"
    script.write_text(f"re={shlex.quote(CAPTURE_KINDS[kind])}\n"
                      'for v in "$@"; do [[ $v =~ $re ]] && echo yes || echo no; done\n')
    done = subprocess.run(["bash", str(script), *values], capture_output=True, text=True,
                          check=True)
    shell = done.stdout.split()
    assert shell == ["no" if captured_problem(v, kind) else "yes" for v in values]


def test_a_command_that_hangs_is_killed_and_fails_as_in_the_tool(tmp_path: Path) -> None:
    """The step's timeout (here 1s) kills the command (coreutils timeout): a failed attempt."""
    script = _exported(tmp_path, POLL_AND_HOLD.replace(
        "    expect: {equals: Running}\n    poll: {interval: 2, timeout: 10}",
        "    expect: {equals: Running}\n    timeout: 1"))
    session = _poll_hold_session(("Running",), ("Pending",))
    kubectl = tmp_path / "standin" / "bin" / "kubectl"
    run = run_script(script, session, RUN_ID, tmp_path / "standin",
                     before=lambda: kubectl.write_text(kubectl.read_text().replace(
                         'printf \'%s\' "$out"', 'case $* in *" p "*) exec /bin/sleep 5;; esac\n'
                         'printf \'%s\' "$out"')))
    assert "timed out after 1s" in run.output
    assert run.verdicts()["becomes-ready"] == "FAILED" and run.exit_code == 1


def test_every_procedure_exports_a_clean_script(tmp_path: Path) -> None:
    """Every procedure, variant and version (not only those with a recorded session) exports
    a script with no internal marker left, that shellcheck passes."""
    scripts = []
    for version in VERSIONS:
        for requirement in procedure_requirements(version):
            for variant in variants(version, requirement):
                procedure = load_procedure(version, requirement, variant)
                text = export_script(procedure, [namespace_check(), *procedure.checks],
                                     cleanup_check(procedure), parameters(procedure, RUN_ID),
                                     partial(manifest_template, procedure))
                assert "\x00" not in text, (version, requirement, variant)
                scripts.append(tmp_path / f"{version}-{requirement}-{variant}.sh")
                scripts[-1].write_text(text)
    if SHELLCHECK:
        done = subprocess.run([SHELLCHECK, "--shell=bash", *map(str, scripts)],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout[-3000:]


ROWS = "gpu-a\t4\t580.105.08\ngpu-b\t<no value>\t<no value>\ncpu-c\t0\t<no value>\n"
BUILTIN_CASES = [
    ("api_served", {"group": "resource.k8s.io", "ga": "v1"}, "apps/v1\nresource.k8s.io/v1\n"),
    ("api_served", {"group": "resource.k8s.io", "ga": "v1"}, "resource.k8s.io/v1beta1\n"),
    ("api_served", {"group": "resource.k8s.io", "ga": "v1"}, "apps/v1\nresourcexk8s.io/v1\n"),
    ("new_names", {"baseline": "a b", "want": "added"}, "a b c"),
    ("new_names", {"baseline": "a b", "want": "added"}, "b a\n"),
    ("new_names", {"baseline": "a b", "want": "none"}, "a"),
    ("new_names", {"baseline": "a b", "want": "none"}, "a z"),
    ("new_names", {"baseline": "", "want": "added"}, ""),
    ("driver_reported", {}, ROWS),
    ("driver_reported", {}, "gpu-a\t4\t<no value>\n"),
    ("driver_reported", {}, "cpu-c\t0\t<no value>\n"),
    ("no_driver_no_accelerator", {}, ROWS),
    ("no_driver_no_accelerator", {}, ROWS + "gpu-d\t2\t<none>\n"),
    ("shared_capacity", {}, "n1\t8\t2\nn2\t1\t1\n"),
    ("shared_capacity", {}, "n1\t2\t2\nn2\tx\t0\n"),
    ("shared_capacity", {}, ""),
]


@pytest.mark.parametrize(("name", "args", "output"), BUILTIN_CASES)
def test_shell_builtins_judge_as_the_python_ones(tmp_path: Path, name: str,
                                                 args: dict[str, str], output: str) -> None:
    (tmp_path / "out").write_text(output)
    command = SHELL_BUILTINS[name](args, '"$AIC_OUT"', _Shell({}, {}))
    done = subprocess.run(["bash", "-c", f"AIC_OUT={shlex.quote(str(tmp_path / 'out'))}; "
                           f"{command}"], capture_output=True, text=True, check=False)
    assert (done.returncode == 0) == BUILTINS[name](output, args).ok, done.stdout + done.stderr


def test_every_shell_builtin_is_held_to_its_python_twin() -> None:
    assert set(SHELL_BUILTINS) == {name for name, _, _ in BUILTIN_CASES}
