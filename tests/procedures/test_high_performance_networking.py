"""high_performance_networking replayed: the extra interface attached, seen and used, never on a
pod that did not ask for it; each broken behaviour fails its check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.collect.orchestrate import Collection, CollectOptions, select
from generator.collect.session import Session
from generator.errors import InputError
from generator.procedures import load_procedure
from tests.collect.conftest import SESSIONS, make_workspace, override
from tests.procedures.replaying import assert_failed_by, dry_run, reason, statuses

SCOPE = "high_performance_networking"
RESOURCE = {"resourceName": "openshift.io/mlxnics"}  # the recorded cluster's SR-IOV resource


def _session() -> Session:
    return Session.load(SESSIONS / f"{SCOPE}-pass.yaml")


def _replay(tmp_path: Path, recorded: Session, parameters: dict[str, Any] = RESOURCE
            ) -> dict[str, Any]:
    workspace = make_workspace(tmp_path / "ws", "v1.36", **{SCOPE: {"parameters": parameters}})
    path = tmp_path / "session.yaml"
    recorded.save(path)
    options = CollectOptions(requirements=(SCOPE,), replay=(path,))
    return Collection(workspace, options).run(select(workspace, (SCOPE,)))[SCOPE].to_json()


def test_only_in_the_1_36_checklist() -> None:
    assert load_procedure("1.36", SCOPE).variant == "multus"
    with pytest.raises(InputError, match="no procedure for requirement"):
        load_procedure("1.35", SCOPE)


def test_all_pass(tmp_path: Path) -> None:
    result = _replay(tmp_path, _session())
    assert result["status"] == "passed", statuses(result)
    assert "default/rdma-net on net1: 192.168.100.12, PCI device 0000:3b:02.3" in reason(
        result, "attachment-reported")


def test_without_a_resource_name_its_check_is_skipped(tmp_path: Path) -> None:
    result = _replay(tmp_path, _session(), {})
    assert result["status"] == "passed", statuses(result)
    assert statuses(result)["resource-advertised"] == "skipped"


PING_LOST = """\
PING 192.168.100.13 (192.168.100.13): 56 data bytes

--- 192.168.100.13 ping statistics ---
5 packets transmitted, 0 packets received, 100% packet loss
"""
ONLY_ETH0 = ('[{\n    "name": "cbr0",\n    "interface": "eth0",\n    "ips": [\n'
             '        "10.244.1.17"\n    ],\n    "default": true,\n    "dns": {}\n}]')
PLAIN_WITH_NET1 = """\
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: eth0@if31: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1450 qdisc noqueue \\    link/ether 4a:1f:c3:7d:02:9e brd ff:ff:ff:ff:ff:ff
3: net1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 qdisc mq qlen 1000\\    link/ether b2:6c:0e:61:3a:a0 brd ff:ff:ff:ff:ff:ff
"""  # noqa: E501


@pytest.mark.parametrize(("contains", "fields", "check", "why"), [
    ("network-attachment-definitions.k8s.cni.cncf.io rdma-net",
     {"exitCode": 1, "stdout": "", "stderr": 'Error from server (NotFound): network-attachment-'
      'definitions.k8s.cni.cncf.io "rdma-net" not found\n'},
     "attachment-defined", "exit code 1"),
    ("go-template", {"stdout": "cp-0\t<no value>\ngpu-worker-0\t0\ngpu-worker-1\t0\n"},
     "resource-advertised", "0 lines match"),
    ("network-status", {"stdout": ONLY_ETH0}, "attachment-reported",
     "default/rdma-net is not attached on net1 (lists cbr0 on eth0)"),
    ("ip -o addr", {"stdout": "1: lo    inet 127.0.0.1/8 scope host lo\n2: eth0    inet "
                    "10.244.1.17/24 brd 10.244.1.255 scope global eth0\n"},
     "interface-visible", "no interface net1"),
    ("ping", {"exitCode": 1, "stdout": PING_LOST}, "peer-reachable", "exit code 1"),
    ("ip -o link", {"stdout": PLAIN_WITH_NET1}, "plain-pod-no-extra-interface",
     "interfaces beyond lo, eth0: net1"),
])
def test_each_broken_behaviour_fails(tmp_path: Path, contains: str, fields: dict[str, Any],
                                     check: str, why: str) -> None:
    result = _replay(tmp_path, override(_session(), SCOPE, contains, **fields))
    assert_failed_by(result, check, why)


def test_dry_run_lists_the_checks_with_roles(run_cli, tmp_path: Path) -> None:
    plan = dry_run(run_cli, tmp_path, "v1.36", SCOPE)
    for line in ("[setup] attachment-defined", "[setup] resource-advertised",
                 "[positive] peer-reachable", "[negative] plain-pod-no-extra-interface",
                 "$ kubectl apply -f - < manifests/pod-hpn-plain.yaml"):
        assert line in plan
