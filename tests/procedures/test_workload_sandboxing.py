"""workload_sandboxing replayed (v1.37): a gVisor RuntimeClass pod runs on a kernel of its own
while a plain pod on the same node sees the node's; a sandbox that shares the host kernel, a
missing RuntimeClass, a leaking host process, memory device, path or interface each fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.checklist import resolve_checklist
from generator.collect.session import Session
from generator.procedures import load_procedure, procedure_requirements
from generator.procedures.builtins_sandbox import kernel_identity
from tests.collect.conftest import SESSIONS, override
from tests.procedures.replaying import assert_failed_by, dry_run, reason, replay, statuses

SCOPE = "workload_sandboxing"
HOST = "6.14.0-1018-aws"
SANDBOXED_PROBE = "exec sandboxed -n aic-workload-sandboxing-<run-id> -- sh -c echo"


def _session() -> Session:
    return Session.load(SESSIONS / f"{SCOPE}-pass.yaml")


def _run(tmp_path: Path, recorded: Session) -> dict[str, Any]:
    return replay(tmp_path, recorded, SCOPE, version="v1.37")


def _answer(contains: str) -> str:
    return next(e["stdout"] for e in _session().exchanges if contains in " ".join(e["argv"]))


def test_new_in_the_1_37_checklist_and_inherits_the_rest() -> None:
    procedure = load_procedure("1.37", SCOPE)
    assert procedure.variant == "runtimeclass" and procedure.parameters["runtimeClass"] == "gvisor"
    assert load_procedure("1.37", "gang_scheduling").path.parts[-3] == "1.34"
    with pytest.raises(Exception, match="no procedure for requirement workload_sandboxing"):
        load_procedure("1.36", SCOPE)


def test_the_1_37_plan_follows_its_checklist(conformance_repo: Path) -> None:
    """Every id of the checklist has a procedure, and nothing the checklist dropped is planned."""
    checklist = resolve_checklist("v1.37", conformance_repo=conformance_repo)
    assert procedure_requirements("1.37") == sorted(r.id for r in checklist.requirements)
    assert "dra_support" in procedure_requirements("1.35")


def test_all_pass(tmp_path: Path) -> None:
    result = _run(tmp_path, _session())
    assert result["status"] == "passed", statuses(result)
    assert "release 4.4.0 (node: 6.14.0-1018-aws)" in reason(result, "sandbox-has-own-kernel")
    assert "sees the node's kernel" in reason(result, "plain-pod-sees-host-kernel")
    assert statuses(result)["runtime-signature"] == "passed"


@pytest.mark.parametrize(("contains", "fields", "check", "why"), [
    # runc behind a sandbox-sounding name: the pod sees the host's kernel
    (SANDBOXED_PROBE,
     {"stdout": _answer("exec control")}, "sandbox-has-own-kernel", "no sandbox boundary"),
    # a probe that printed nothing (e.g. no shell in the image) proves nothing
    (SANDBOXED_PROBE,
     {"stdout": "", "exitCode": 0}, "sandbox-has-own-kernel", "no kernel release"),
    # the comparison itself must be able to fail: a plain pod must see the host kernel
    ("exec control", {"stdout": _answer(SANDBOXED_PROBE)},
     "plain-pod-sees-host-kernel", "does not see the node's kernel"),
    ("get runtimeclass", {"stdout": "", "stderr": 'Error from server (NotFound): '
                          'runtimeclasses.node.k8s.io "gvisor" not found\n', "exitCode": 1},
     "runtimeclass-registered", "exit code 1"),
    ("jsonpath={.spec.runtimeClassName}", {"stdout": ""}, "sandboxed-pod-running",
     "expected 'gvisor'"),
    ("/proc/[0-9]*/comm", {"stdout": "sleep\nsh\ncat\nkubelet\ncontainerd\n"},
     "no-host-processes", "unexpected output 'kubelet'"),
    ("/proc/[0-9]*/comm", {"stdout": "", "stderr": "cat: can't open '/proc/[0-9]*/comm'\n",
                           "exitCode": 1}, "no-host-processes", "exit code 1"),
    ("/dev/mem", {"stdout": "\x7f", "stderr": "", "exitCode": 0}, "no-host-memory",
     "exit code 0"),
    ("/dev/mem", {"stderr": 'OCI runtime exec failed: exec failed: unable to start container '
                  'process: exec: "head": executable file not found in $PATH: unknown\n',
                  "exitCode": 127}, "no-host-memory", "exit code 127"),
    ("ls -d", {"stdout": "/var/lib/kubelet\n", "stderr": "ls: /etc/kubernetes: No such file or "
               "directory\nls: /var/log/pods: No such file or directory\n"},
     "no-host-paths", "2 lines match"),
    ("/proc/net/dev", {"stdout": _answer("/proc/net/dev") + "   cni0:  9   9  0  0  0  0  0  0  "
                       "9  9  0  0  0  0  0  0\n"}, "no-host-interfaces", "unexpected output"),
])
def test_each_broken_behaviour_fails(tmp_path: Path, contains: str, fields: dict[str, Any],
                                     check: str, why: str) -> None:
    result = _run(tmp_path, override(_session(), SCOPE, contains, **fields))
    assert_failed_by(result, check, why)


def test_the_signature_is_shown_never_decisive(tmp_path: Path) -> None:
    result = _run(tmp_path, override(_session(), SCOPE, "dmesg",
                                     stdout="dmesg: klogctl: Operation not permitted\n"))
    assert statuses(result)["runtime-signature"] == "failed"
    assert result["status"] == "passed"


@pytest.mark.parametrize(("text", "expect", "ok"), [
    (f"release={HOST}\nboot_id=b\n", "same", True),
    (f"release={HOST}\nboot_id=unknown\n", "same", False),
    (f"release={HOST}\nboot_id=other\n", "differs", True),   # a Kata guest with the same build
    ("release=6.12.28\nboot_id=unknown\n", "differs", True),   # boot id unreadable: ignored
    (f"release={HOST}\nboot_id=unknown\n", "differs", False),
    ("boot_id=b\n", "differs", False),
])
def test_kernel_identity(text: str, expect: str, ok: bool) -> None:
    verdict = kernel_identity(text, {"hostRelease": HOST, "hostBootId": "b", "expect": expect})
    assert verdict.ok is ok, verdict.message


def test_dry_run_lists_the_checks_with_roles(run_cli, tmp_path: Path) -> None:
    plan = dry_run(run_cli, tmp_path, "v1.37", SCOPE)
    for line in ("[setup] plain-pod-sees-host-kernel", "[positive] sandbox-has-own-kernel",
                 "[negative] no-host-memory", "[diagnostic] runtime-signature",
                 "kubectl get runtimeclass gvisor -o 'jsonpath={.handler}'"):
        assert line in plan
