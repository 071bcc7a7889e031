"""Builtins about accelerator nodes and devices: node sets that grow and shrink, devices that
pods share, drivers that nodes report, capacity shared beyond the physical devices.

They read plain kubectl output (space-separated names, ``--prefix`` logs, a go-template table)
so the recorded evidence stays readable and the logic lives here, unit-tested.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from generator.procedures.verdict import Verdict

_PREFIX = re.compile(r"^\[pod/(?P<pod>[^/\]]+)/[^\]]*\]\s?(?P<line>.*)$")
_MISSING = ("", "<no value>", "<none>", "0")
# The device probe's lines (the upstream suite's acceleratorProbeCommand prints the first).
_PROBE_COUNT = re.compile(r"^RESULT: ACCELERATOR_COUNT=(?P<count>\d+)\s*$", re.MULTILINE)
_PROBE_VISIBLE = re.compile(r"^RESULT: VISIBLE_DEVICES=(?P<value>.*)$", re.MULTILINE)
# Values of a visible-devices variable that grant no device (NVIDIA's runtime: unset, void, none).
_NO_DEVICE_VALUES = ("", "void", "none")


def _listed(text: str, limit: int = 5) -> str:
    names = sorted(set(text.split()))
    return ", ".join(names[:limit]) + (", ..." if len(names) > limit else "") or "none"


def new_names(text: str, args: dict[str, Any]) -> Verdict:
    """Names (nodes) in the output that are not in ``baseline``: ``want: added`` needs at least
    one (a scale-up), ``want: none`` needs none (back to the baseline after a scale-down)."""
    baseline, now = set(str(args["baseline"]).split()), set(text.split())
    added = sorted(now - baseline)
    summary = f"{len(now)} now ({_listed(text)}), {len(baseline)} before"
    if args.get("want", "added") == "added":
        if added:
            return Verdict(True, f"new: {', '.join(added)}; {summary}")
        return Verdict(False, f"nothing new; {summary}")
    if added:
        return Verdict(False, f"still there: {', '.join(added)}; {summary}")
    return Verdict(True, f"none beyond the baseline; {summary}")


def shared_device(text: str, args: dict[str, Any]) -> Verdict:
    """``kubectl logs -l ... --prefix`` of pods listing their devices: some device id (the
    ``idPattern`` group 1, e.g. a GPU UUID) is seen by at least ``minPods`` distinct pods."""
    pattern = re.compile(str(args.get("idPattern", r"UUID: (GPU-[0-9a-fA-F-]+)")))
    seen: dict[str, set[str]] = defaultdict(set)
    for raw in text.splitlines():
        prefixed = _PREFIX.match(raw)
        if prefixed and (found := pattern.search(prefixed.group("line"))):
            seen[found.group(1)].add(prefixed.group("pod"))
    wanted = int(args.get("minPods", 2))
    shared = {device: pods for device, pods in seen.items() if len(pods) >= wanted}
    if not seen:
        return Verdict(False, f"no pod listed a device matching /{pattern.pattern}/")
    if shared:
        device, pods = max(shared.items(), key=lambda item: len(item[1]))
        return Verdict(True, f"device {device} is used by {len(pods)} pods at once "
                             f"({', '.join(sorted(pods))})")
    return Verdict(False, f"no device is used by {wanted} pods: "
                          + "; ".join(f"{d}: {', '.join(sorted(p))}" for d, p in seen.items()))


def _node_rows(text: str) -> list[tuple[str, str, str]]:
    """``name<TAB>allocatable<TAB>driver label`` rows (a go-template prints ``<no value>``)."""
    rows = []
    for line in text.splitlines():
        if line.strip():
            name, count, driver = ([*line.split("\t"), "", ""])[:3]
            rows.append((name.strip(), count.strip(), driver.strip()))
    return rows


def driver_reported(text: str, args: dict[str, Any]) -> Verdict:
    """Every node advertising the accelerator reports a driver version (there is one)."""
    rows = [r for r in _node_rows(text) if r[1] not in _MISSING]
    if not rows:
        return Verdict(False, f"no node advertises {args.get('resource', 'the accelerator')}")
    silent = [name for name, _, driver in rows if driver in _MISSING]
    if silent:
        return Verdict(False, f"advertising the accelerator without a driver version: "
                              f"{', '.join(silent)}")
    return Verdict(True, "; ".join(f"{name}: {count} x, driver {driver}"
                                   for name, count, driver in rows))


def no_driver_no_accelerator(text: str, args: dict[str, Any]) -> Verdict:
    """No node without a driver version advertises the accelerator."""
    bare = [(name, count) for name, count, driver in _node_rows(text) if driver in _MISSING]
    wrong = [f"{name} ({count})" for name, count in bare if count not in _MISSING]
    if wrong:
        return Verdict(False, f"nodes without a driver advertise "
                              f"{args.get('resource', 'the accelerator')}: {', '.join(wrong)}")
    return Verdict(True, f"{len(bare)} nodes without a driver, none advertises the accelerator"
                         + (f" ({', '.join(n for n, _ in bare[:5])})" if bare else ""))


def shared_capacity(text: str, args: dict[str, Any]) -> Verdict:
    """``name<TAB>advertised<TAB>physical`` rows: some node advertises more units of the
    resource than it has physical devices (time-slicing replicas, MIG instances)."""
    def units(value: str) -> int:
        return int(value) if value.isdigit() else 0
    rows = [(name, units(advertised), units(physical))
            for name, advertised, physical in _node_rows(text)]
    shared = [f"{name}: {advertised} advertised on {physical} physical devices"
              for name, advertised, physical in rows if advertised > physical > 0]
    if shared:
        return Verdict(True, "; ".join(shared))
    return Verdict(False, f"no node advertises more {args.get('resource', 'units')} than it has "
                          "physical devices: " + ("; ".join(f"{n}: {a} on {p}" for n, a, p in rows)
                                                  or "no node listed"))


def device_probe(text: str, args: dict[str, Any]) -> Verdict:
    """The device probe's report inside a container: exactly ``devices`` accelerator device
    nodes.  Absence needs the probe to have run (its count line is there, so a missing shell
    or an empty answer fails) and, where it reports the visible-devices variable, a value
    that grants nothing: a runtime hook would otherwise inject devices by that variable."""
    wanted = int(args.get("devices", 1))
    counted = _PROBE_COUNT.search(text)
    if not counted:
        return Verdict(False, "the device probe reported no RESULT: ACCELERATOR_COUNT line: "
                              f"{text.strip()[:200]!r}")
    found = int(counted.group("count"))
    visible = _PROBE_VISIBLE.search(text)
    named = visible.group("value").strip() if visible else None
    shown = f"{found} device nodes" + ("" if named is None else f", visible devices {named!r}")
    if found != wanted:
        return Verdict(False, f"{found} device nodes, expected {wanted}"
                       + ("" if named is None else f"; visible devices {named!r}"))
    if wanted == 0 and named not in (None, *_NO_DEVICE_VALUES):
        return Verdict(False, f"{shown}: a container granted nothing must not name devices")
    return Verdict(True, shown)


ACCELERATORS = {
    "device_probe": device_probe,
    "new_names": new_names,
    "shared_device": shared_device,
    "driver_reported": driver_reported,
    "no_driver_no_accelerator": no_driver_no_accelerator,
    "shared_capacity": shared_capacity,
}
