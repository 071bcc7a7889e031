"""high_performance_networking replayed, both variants: the extra interface (a Multus network, or a
NIC claimed from DRANET) attached, seen and used, never on a pod that did not ask for it; each
broken behaviour fails its check; the probe pods pass PodSecurity baseline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.collect.orchestrate import Collection, CollectOptions, select
from generator.collect.session import Session
from generator.errors import InputError
from generator.procedures import load_procedure
from tests.collect.conftest import SESSIONS, make_workspace, override
from tests.procedures.replaying import assert_failed_by, dry_run, reason, replay, statuses

SCOPE, VARIANT = "high_performance_networking", "dranet"
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
PLAIN_ADDRESSED_NET1 = ("1: lo    inet 127.0.0.1/8 scope host lo\n"
                        "2: eth0    inet 10.244.1.18/24 brd 10.244.1.255 scope global eth0\n"
                        "3: net1    inet 192.168.100.14/24 scope global net1\n")
# A busybox pod on Calico IPIP: the ipip module gives every network namespace a down,
# address-less tunl0 (the output in projectcalico/calicoctl#1010, in "ip -o link" form).
PLAIN_ON_CALICO_IPIP = """\
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: tunl0@NONE: <NOARP> mtu 1480 qdisc noop qlen 1000\\    link/ipip 0.0.0.0 brd 0.0.0.0
31: eth0@if32: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1480 qdisc noqueue qlen 1000\\    link/ether ca:7b:89:d7:3a:5a brd ff:ff:ff:ff:ff:ff
"""  # noqa: E501


def test_a_plain_pod_with_a_cni_tunnel_device_passes(tmp_path: Path) -> None:
    result = _replay(tmp_path, override(_session(), SCOPE, "exec hpn-plain -n "
                                        "aic-high-performance-networking-<run-id> -- ip -o link",
                                        stdout=PLAIN_ON_CALICO_IPIP))
    assert result["status"] == "passed", statuses(result)


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
     "net1 exists"),
    ("exec hpn-plain -n aic-high-performance-networking-<run-id> -- ip -o addr",
     {"stdout": PLAIN_ADDRESSED_NET1}, "plain-pod-no-extra-interface",
     "interfaces beyond lo, eth0: net1"),
    ("ip route get", {"stdout": "192.168.100.13 via 10.244.1.1 dev eth0  src 10.244.1.17 \n"},
     "peer-reachable", "no line matches"),
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


def _dranet_session() -> Session:
    """Recorded on v1.36 with its own preflight (the shipped example's is v1.35)."""
    return Session.load(SESSIONS / f"{SCOPE}-{VARIANT}-pass.yaml")


def _run_dranet(tmp_path: Path, recorded: Session) -> dict[str, Any]:
    return replay(tmp_path, recorded, SCOPE, VARIANT, version="v1.36")


def test_multus_stays_the_default_and_1_34_defaults_still_apply() -> None:
    """1.36 names a default for this requirement only; the rest come from 1.34's list."""
    assert load_procedure("1.36", SCOPE).variant == "multus"
    assert load_procedure("1.36", SCOPE, VARIANT).parameters["driver"] == "dra.net"
    assert load_procedure("1.36", "gang_scheduling").variant == "kueue"


def test_dranet_all_pass(tmp_path: Path) -> None:
    result = _run_dranet(tmp_path, _dranet_session())
    assert result["status"] == "passed", statuses(result)
    assert "dranet0 192.168.200.10/24" in reason(result, "interface-visible")


DRANET_PING_LOST = """\
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
    ("ping", {"exitCode": 1, "stdout": DRANET_PING_LOST}, "peer-reachable", "exit code 1"),
    ("ip -o link", {"stdout": PLAIN_WITH_NIC}, "unclaimed-pod-no-extra-interface",
     "dranet0 exists"),
])
def test_dranet_each_broken_behaviour_fails(tmp_path: Path, contains: str, fields: dict[str, Any],
                                     check: str, why: str) -> None:
    result = _run_dranet(tmp_path, override(_dranet_session(), SCOPE, contains, **fields))
    assert_failed_by(result, check, why)


# PodSecurity baseline (kubernetes.io/docs/concepts/security/pod-security-standards): the only
# capabilities a container may add, and the only sysctls a pod may set.
BASELINE_CAPABILITIES = {"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
                         "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID",
                         "SYS_CHROOT"}
BASELINE_SYSCTLS = {"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
                    "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
                    "net.ipv4.ping_group_range"}


@pytest.mark.parametrize("variant", ["multus", VARIANT])
def test_probe_pods_pass_pod_security_baseline(variant: str) -> None:
    procedure = load_procedure("1.36", SCOPE, variant)
    params = {**procedure.parameters, "namespace": "ns", "pod": "hpn-a", "networks": "x/y"}
    for check in procedure.checks:
        for step in check.steps:
            if not (step.apply or "").endswith("pod.yaml"):
                continue
            pod = yaml.safe_load(procedure.render_manifest(step.apply, step.scope(params, "t")))
            sysctls = {s["name"] for s in pod["spec"].get("securityContext", {}).get("sysctls", [])}
            added = {cap for c in pod["spec"]["containers"]
                     for cap in ((c.get("securityContext") or {}).get("capabilities") or {})
                     .get("add", [])}
            assert added <= BASELINE_CAPABILITIES and sysctls <= BASELINE_SYSCTLS, step.apply
            assert "net.ipv4.ping_group_range" in sysctls  # ping without NET_RAW
