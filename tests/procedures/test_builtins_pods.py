"""The pod builtins on output as ip, Multus and kubectl logs print it."""

from __future__ import annotations

import json

import pytest

from generator.procedures.builtins import BUILTINS
from generator.procedures.builtins_pods import (
    network_status,
    pod_interfaces,
    request_traced,
    roles_separate,
)

ADDR = """\
1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever
2: eth0    inet 10.244.1.17/24 brd 10.244.1.255 scope global eth0\\       valid_lft forever preferred_lft forever
3: net1    inet 192.168.100.12/24 brd 192.168.100.255 scope global net1\\       valid_lft forever preferred_lft forever
"""  # noqa: E501
LINK = """\
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: eth0@if23: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP mode DEFAULT group default \\    link/ether 6e:2a:91:0c:d4:11 brd ff:ff:ff:ff:ff:ff link-netnsid 0
"""  # noqa: E501


def test_registered() -> None:
    assert {"pod_interfaces", "network_status", "request_traced"} <= set(BUILTINS)


@pytest.mark.parametrize(("text", "args", "ok", "message"), [
    (ADDR, {"present": "net1"}, True, "net1 192.168.100.12/24"),
    (ADDR, {"present": "net2"}, False, "no interface net2"),
    (ADDR, {"only": "lo,eth0"}, False, "interfaces beyond lo, eth0: net1"),
    (LINK, {"only": "lo,eth0"}, True, "eth0 (no address)"),
    (LINK + "3: net1@if5: <BROADCAST,UP> mtu 9000\n", {"present": "net1"}, True, "net1"),
    (ADDR.replace("    inet 192.168.100.12/24", "    link/ether"), {"present": "net1"}, False,
     "net1 has no address"),
    ("error: unable to upgrade connection: container not found", {"present": "net1"}, False,
     "no interface listed"),
])
def test_pod_interfaces(text: str, args: dict, ok: bool, message: str) -> None:
    verdict = pod_interfaces(text, args)
    assert verdict.ok is ok and message in verdict.message, verdict.message


STATUS = [{"name": "cbr0", "interface": "eth0", "ips": ["10.244.1.17"], "default": True},
          {"name": "default/rdma-net", "interface": "net1", "ips": ["192.168.100.12"],
           "mac": "b2:6c:0e:61:3a:9f",
           "device-info": {"type": "pci", "version": "1.1.0",
                           "pci": {"pci-address": "0000:3b:02.3"}}}]


@pytest.mark.parametrize(("entries", "ok", "message"), [
    (STATUS, True, "default/rdma-net on net1: 192.168.100.12, PCI device 0000:3b:02.3"),
    (STATUS[:1], False, "default/rdma-net is not attached on net1 (lists cbr0 on eth0)"),
    ([STATUS[0], {**STATUS[1], "ips": []}], False, "has no address"),
])
def test_network_status(entries: list, ok: bool, message: str) -> None:
    verdict = network_status(json.dumps(entries), {"network": "default/rdma-net"})
    assert verdict.ok is ok and message in verdict.message, verdict.message


def test_network_status_needs_the_annotation() -> None:
    assert "not a Multus network-status" in network_status("", {"network": "a/b"}).message


LOGS = """\
[pod/ms-pd-prefill-7c9d8b6f4-x2k4q/vllm] INFO 11-23 04:31:12 [logger.py:43] Received request cmpl-aic-1f3a9c-0: prompt: 'Kubernetes is'
[pod/ms-pd-prefill-7c9d8b6f4-x2k4q/vllm] INFO:     10.244.2.31:40312 - "POST /v1/completions HTTP/1.1" 200 OK
[pod/ms-pd-prefill-7c9d8b6f4-p8m2z/vllm] INFO 11-23 04:30:55 [loggers.py:123] Engine 000: Avg prompt throughput: 0.0 tokens/s
"""  # noqa: E501


@pytest.mark.parametrize(("text", "args", "ok", "message"), [
    (LOGS, {"requestId": "aic-1f3a9c"}, True, "logged by ms-pd-prefill-7c9d8b6f4-x2k4q"),
    (LOGS, {"requestId": "aic-1f3a9c", "min": 2}, False, "only in ms-pd-prefill-7c9d8b6f4-x2k4q"),
    (LOGS, {"requestId": "aic-unsent", "role": "prefill"}, False,
     "is in no log of 3 lines of 2 prefill pods"),
    (LOGS, {"requestId": "aic-unsent", "min": 0, "max": 0}, True, "is in none of 3 lines"),
    (LOGS, {"requestId": "aic-1f3a9c", "min": 0, "max": 0}, False, "found in ms-pd-prefill"),
    ("", {"requestId": "aic-unsent", "min": 0, "max": 0}, False, "no log line"),
])
def test_request_traced(text: str, args: dict, ok: bool, message: str) -> None:
    verdict = request_traced(text, args)
    assert verdict.ok is ok and message in verdict.message, verdict.message


ROLE_PODS = ('p-0\t{"llm-d.ai/role":"prefill"}\n'
             'd-0\t{"llm-d.ai/role":"decode","tier":"gpu"}\n'
             'epp-0\t{"inferencepool":"x"}\n')


@pytest.mark.parametrize(("text", "prefill", "decode", "ok", "said"), [
    (ROLE_PODS, "llm-d.ai/role=prefill", "llm-d.ai/role=decode", True, "prefill: p-0; decode: d-0"),
    (ROLE_PODS, "llm-d.ai/role in (prefill)", "tier", True, "decode: d-0"),
    (ROLE_PODS, "llm-d.ai/role", "tier=gpu", False, "as both prefill and decode: d-0"),
    (ROLE_PODS, "!tier", "llm-d.ai/role notin (prefill)", False,
     "as both prefill and decode: epp-0"),
    (ROLE_PODS, "llm-d.ai/role=prefill", "role=decode", False, "decode: none"),
    ("p-0\tnot json\n", "a=b", "c=d", False, "not name<TAB>labels"),
    (ROLE_PODS, "a=(b", "c=d", False, "not a label selector"),
])
def test_roles_separate_judges_each_pod_against_both_selectors(
        text: str, prefill: str, decode: str, ok: bool, said: str) -> None:
    verdict = roles_separate(text, {"prefill": prefill, "decode": decode})
    assert verdict.ok is ok and said in verdict.message
