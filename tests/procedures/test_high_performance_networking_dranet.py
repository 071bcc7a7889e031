"""high_performance_networking, variant dranet, replayed: NICs published as DRA devices with
their characteristics, claimed by two pods that see the interface and ping each other over it,
never present in a pod that claimed nothing; each broken behaviour fails its check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.collect.session import Session
from generator.procedures import load_procedure
from tests.collect.conftest import SESSIONS, override
from tests.procedures.replaying import assert_failed_by, reason, replay, statuses

SCOPE, VARIANT = "high_performance_networking", "dranet"


def _session() -> Session:
    """Recorded on v1.36 with its own preflight (the shipped example's is v1.35)."""
    return Session.load(SESSIONS / f"{SCOPE}-{VARIANT}-pass.yaml")


def _run(tmp_path: Path, recorded: Session) -> dict[str, Any]:
    return replay(tmp_path, recorded, SCOPE, VARIANT, version="v1.36")


def test_multus_stays_the_default_and_1_34_defaults_still_apply() -> None:
    """1.36 names a default for this requirement only; the rest come from 1.34's list."""
    assert load_procedure("1.36", SCOPE).variant == "multus"
    assert load_procedure("1.36", SCOPE, VARIANT).parameters["driver"] == "dra.net"
    assert load_procedure("1.36", "gang_scheduling").variant == "kueue"


def test_all_pass(tmp_path: Path) -> None:
    result = _run(tmp_path, _session())
    assert result["status"] == "passed", statuses(result)
    assert "dranet0 192.168.200.10/24" in reason(result, "interface-visible")


PING_LOST = """\
PING 192.168.200.11 (192.168.200.11): 56 data bytes

--- 192.168.200.11 ping statistics ---
5 packets transmitted, 0 packets received, 100% packet loss
"""
PLAIN_WITH_NIC = """\
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: eth0@if35: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1450 qdisc noqueue \\    link/ether 6e:21:9a:0c:5d:41 brd ff:ff:ff:ff:ff:ff
4: dranet0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 qdisc mq qlen 1000\\    link/ether b8:3f:d2:4a:10:e1 brd ff:ff:ff:ff:ff:ff
"""  # noqa: E501


@pytest.mark.parametrize(("contains", "fields", "check", "why"), [
    ("deviceclass dranet", {"stdout": 'device.driver == "gpu.nvidia.com"'},
     "device-class-defined", "no line matches"),
    ("spec.driver=dra.net", {"stdout": ""}, "nics-published", "0 lines match"),
    # a NIC without PCI address or RDMA attribute (a veth, say) does not show the characteristics
    ("spec.driver=dra.net", {"stdout": "gpu-worker-0\tveth7\tdra.net/ifName=veth7\t"
                             "dra.net/virtual=true\n"}, "nics-published", "0 lines match"),
    ("--for=condition=Ready", {"exitCode": 1, "stdout": "", "stderr": "error: timed out "
     "waiting for the condition on pods/hpn-a\n"}, "pods-running", "exit code 1"),
    ("get resourceclaims", {"stdout": "hpn-a-nic-wq7zt\nhpn-b-nic-r4d9m\n"}, "nic-allocated",
     "expected equals 2"),
    ("ip -o addr", {"stdout": "1: lo    inet 127.0.0.1/8 scope host lo\n2: eth0    inet "
                    "10.244.1.21/24 brd 10.244.1.255 scope global eth0\n"},
     "interface-visible", "no interface dranet0"),
    ("ping", {"exitCode": 1, "stdout": PING_LOST}, "peer-reachable", "exit code 1"),
    ("ip -o link", {"stdout": PLAIN_WITH_NIC}, "unclaimed-pod-no-extra-interface",
     "interfaces beyond lo, eth0: dranet0"),
])
def test_each_broken_behaviour_fails(tmp_path: Path, contains: str, fields: dict[str, Any],
                                     check: str, why: str) -> None:
    result = _run(tmp_path, override(_session(), SCOPE, contains, **fields))
    assert_failed_by(result, check, why)
