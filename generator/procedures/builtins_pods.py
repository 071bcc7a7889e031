"""Builtins about what pods see and log: network interfaces, Multus attachments, request ids.

They read what a reviewer would run by hand (``ip -o addr`` inside a pod, the Multus
``network-status`` annotation, ``kubectl logs --prefix``), so the evidence stays readable and
the parsing lives here, unit-tested.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.procedures.builtins_accelerators import _PREFIX as LOG_PREFIX
from generator.procedures.verdict import Verdict

# ``ip -o link``: "2: eth0@if9: <...>"; ``ip -o addr``: "2: eth0    inet 10.0.0.5/24 ...".
_IP_LINE = re.compile(r"^\d+:\s+(?P<name>[^\s:@]+)(?:@\S+?)?:?\s+(?P<rest>.*)$")


def _names(value: Any) -> list[str]:
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def _interfaces(text: str) -> dict[str, list[str]]:
    """Interface name -> its addresses (empty for ``ip -o link`` lines)."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if match := _IP_LINE.match(line.strip()):
            words = match.group("rest").split()
            addresses = found.setdefault(match.group("name"), [])
            if len(words) > 1 and words[0] in ("inet", "inet6"):
                addresses.append(words[1])
    return found


def pod_interfaces(text: str, args: dict[str, Any]) -> Verdict:
    """``ip -o addr`` (or ``ip -o link``) inside a pod: ``present`` interfaces exist, each with
    an address when addresses are listed; ``absent`` ones do not exist; ``only`` names every
    interface allowed.  ``ip -o addr`` lists addressed interfaces only, so a pod that asked for
    no extra network passes ``only: lo,eth0`` there although tunnel modules give every network
    namespace down, address-less fallback devices (``tunl0@NONE`` with Calico IPIP)."""
    found = _interfaces(text)
    if not found:
        return Verdict(False, f"no interface listed (expected ip -o output): {text[:200]!r}")
    summary = ", ".join(f"{name} {' '.join(addrs) or '(no address)'}"
                        for name, addrs in found.items())
    missing = [name for name in _names(args.get("present")) if name not in found]
    if missing:
        return Verdict(False, f"no interface {', '.join(missing)} ({summary})")
    has_addresses = any(found.values())
    bare = [name for name in _names(args.get("present")) if has_addresses and not found[name]]
    if bare:
        return Verdict(False, f"{', '.join(bare)} has no address ({summary})")
    present = [name for name in _names(args.get("absent")) if name in found]
    if present:
        return Verdict(False, f"{', '.join(present)} exists ({summary})")
    allowed = _names(args.get("only"))
    extra = [name for name in found if allowed and name not in allowed]
    if extra:
        return Verdict(False, f"interfaces beyond {', '.join(allowed)}: {', '.join(extra)} "
                       f"({summary})")
    return Verdict(True, summary)


def network_status(text: str, args: dict[str, Any]) -> Verdict:
    """The Multus ``k8s.v1.cni.cncf.io/network-status`` annotation lists the ``network``
    (``namespace/name``) on ``interface`` with an address: the CNI really attached it."""
    try:
        entries = json.loads(text)
        attached = {(e.get("name"), e.get("interface")): e for e in entries}
    except (json.JSONDecodeError, TypeError, AttributeError):
        return Verdict(False, f"not a Multus network-status annotation: {text.strip()[:200]!r}")
    network, interface = args["network"], args.get("interface", "net1")
    entry = attached.get((network, interface))
    listed = ", ".join(f"{name} on {nic}" for name, nic in attached) or "nothing"
    if entry is None:
        return Verdict(False, f"{network} is not attached on {interface} (lists {listed})")
    if not entry.get("ips"):
        return Verdict(False, f"{network} on {interface} has no address")
    device = ((entry.get("device-info") or {}).get("pci") or {}).get("pci-address")
    return Verdict(True, f"{network} on {interface}: {', '.join(entry['ips'])}"
                   + (f", PCI device {device}" if device else "") + f" (lists {listed})")


def request_traced(text: str, args: dict[str, Any]) -> Verdict:
    """``kubectl logs --prefix`` of a role's pods: how many distinct pods logged ``requestId``.

    ``min`` pods must have it (default 1); ``max: 0`` proves an id is absent, which needs
    some log lines to search: empty logs prove nothing, so they fail.
    """
    request_id, role = args["requestId"], args.get("role", "the selected")
    lines = [m for raw in text.splitlines() if (m := LOG_PREFIX.match(raw))]
    if not lines:
        return Verdict(False, f"no log line from {role} pods (expected kubectl logs --prefix)")
    pods = {m.group("pod") for m in lines}
    hits = sorted({m.group("pod") for m in lines if request_id in m.group("line")})
    searched = f"{len(lines)} lines of {len(pods)} {role} pods"
    if len(hits) < int(args.get("min", 1)):
        return Verdict(False, f"request id {request_id} is in no log of {searched}"
                       if not hits else f"request id {request_id} only in {', '.join(hits)}")
    if "max" in args and len(hits) > int(args["max"]):
        return Verdict(False, f"request id {request_id} found in {', '.join(hits)} "
                       f"({searched})")
    if not hits:
        return Verdict(True, f"request id {request_id} is in none of {searched}")
    return Verdict(True, f"request id {request_id} logged by {', '.join(hits)} ({searched})")


_REQUIREMENT = re.compile(
    r"^(?P<neg>!)?(?P<key>[^\s!=(),]+)\s*(?:(?P<op>==|=|!=)\s*(?P<value>[^\s,()]*)"
    r"|\s+(?P<set>in|notin)\s*\((?P<values>[^)]*)\))?$")


def _selector(text: str) -> list[re.Match[str]]:
    """A label selector (``k=v``, ``k!=v``, ``k``, ``!k``, ``k in (a,b)``) as requirements."""
    parts = re.split(r",(?![^(]*\))", text)
    found = [_REQUIREMENT.match(part.strip()) for part in parts if part.strip()]
    if not found or not all(found):
        raise ValueError(f"not a label selector: {text!r}")
    return [m for m in found if m]


def _matches(labels: dict[str, str], selector: list[re.Match[str]]) -> bool:
    for req in selector:
        key, value = req.group("key"), labels.get(req.group("key"))
        if req.group("set"):
            values = {v.strip() for v in req.group("values").split(",")}
            if (value in values) != (req.group("set") == "in"):
                return False
        elif req.group("op"):
            if (value == req.group("value")) != (req.group("op") != "!="):
                return False
        elif (key in labels) == bool(req.group("neg")):
            return False
    return True


def roles_separate(text: str, args: dict[str, Any]) -> Verdict:
    """Pods (``name<TAB>labels as JSON`` per line) that the ``prefill`` and ``decode``
    selectors pick: each role has pods and no pod is picked by both.

    Two selectors on one key (``role=prefill`` and ``role=decode``) can never both match in a
    single ``-l a,b`` query, so that query proves nothing; each pod's labels are judged
    against each selector instead, which also covers roles told apart by different keys.
    """
    try:
        roles = {role: _selector(args[role]) for role in ("prefill", "decode")}
    except ValueError as exc:
        return Verdict(False, str(exc))
    picked: dict[str, list[str]] = {"prefill": [], "decode": []}
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        name, _, raw = line.partition("\t")
        try:
            labels = json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError:
            return Verdict(False, f"not name<TAB>labels (JSON): {line[:200]!r}")
        for role, selector in roles.items():
            if _matches(labels or {}, selector):
                picked[role].append(name)
    both = sorted(set(picked["prefill"]) & set(picked["decode"]))
    summary = "; ".join(f"{role}: {', '.join(names) or 'none'}" for role, names in picked.items())
    if both:
        return Verdict(False, f"selected as both prefill and decode: {', '.join(both)} ({summary})")
    if not picked["prefill"] or not picked["decode"]:
        return Verdict(False, f"a role has no pod ({summary})")
    return Verdict(True, f"separate pods: {summary}")


PODS = {
    "pod_interfaces": pod_interfaces,
    "network_status": network_status,
    "request_traced": request_traced,
    "roles_separate": roles_separate,
}
