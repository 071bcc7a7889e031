"""Builtins about what DRA drivers publish as device attributes in their ResourceSlices.

Versions are compared as numbers: a driver publishes a semantic version (``580.105.8``, patch
``0`` added when missing) while the vendor's tool in the pod prints its own form
(``580.105.08``), and both name the same installed driver.
"""

from __future__ import annotations

import re
from typing import Any

from generator.procedures.builtins_accelerators import _MISSING, _node_rows
from generator.procedures.verdict import Verdict

_NUMBERS = re.compile(r"^v?(\d+(?:\.\d+)*)")
_QUERY_LINE = re.compile(r"^(?P<version>v?\d[\w.+-]*)\s*,\s*(?P<device>\S.*)$")


def same_version(a: str, b: str) -> bool:
    """``580.105.08`` is ``580.105.8``, ``570.86`` is ``570.86.0``; non-numeric: as text."""
    def numbers(text: str) -> tuple[int, ...] | str:
        found = _NUMBERS.match(text.strip())
        if not found:
            return text.strip()
        parts = [int(p) for p in found.group(1).split(".")]
        while len(parts) > 1 and parts[-1] == 0:
            parts.pop()
        return tuple(parts)
    return numbers(a) == numbers(b)


def slice_attribute_reported(text: str, args: dict[str, Any]) -> Verdict:
    """``node<TAB>device<TAB>value`` rows of a driver's ResourceSlices: there is a device,
    and every device publishes the ``attribute``, so every node with the driver's devices
    reports it."""
    attribute = args.get("attribute", "the attribute")
    rows = _node_rows(text)
    if not rows:
        return Verdict(False, "the driver publishes no device in any ResourceSlice")
    silent = [f"{node}/{device}" for node, device, value in rows if value in _MISSING]
    if silent:
        return Verdict(False, f"devices without {attribute}: {', '.join(silent[:8])}"
                              + (", ..." if len(silent) > 8 else ""))
    per_node: dict[str, dict[str, int]] = {}
    for node, _, value in rows:
        values = per_node.setdefault(node, {})
        values[value] = values.get(value, 0) + 1
    return Verdict(True, "; ".join(
        f"{node}: " + ", ".join(f"{count} devices with {attribute} {value}"
                                for value, count in values.items())
        for node, values in per_node.items()))


def query_version_matches(text: str, args: dict[str, Any]) -> Verdict:
    """``<version>, <device>`` lines of a driver query in a pod: exactly ``devices`` of them
    (default 1, the pod's claim), each reporting ``version`` (compared as numbers)."""
    expected, wanted = str(args["version"]), int(args.get("devices", 1))
    found = [m for line in text.splitlines() if (m := _QUERY_LINE.match(line.strip()))]
    if len(found) != wanted:
        return Verdict(False, f"the query lists {len(found)} devices, expected {wanted}: "
                              f"{text.strip()[:200]!r}")
    wrong = [m.group(0) for m in found if not same_version(m.group("version"), expected)]
    if wrong:
        return Verdict(False, f"driver {', '.join(wrong)} in the pod, but the ResourceSlice "
                              f"publishes {expected}")
    return Verdict(True, f"the pod's {', '.join(m.group('device') for m in found)} runs driver "
                         f"{found[0].group('version')}, the version published ({expected})")


DRA = {
    "slice_attribute_reported": slice_attribute_reported,
    "query_version_matches": query_version_matches,
}
