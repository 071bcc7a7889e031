"""Builtins about workload sandboxes: which kernel a pod runs on, compared with its node's.

The probe prints ``release=`` (``uname -r``), ``boot_id=`` and ``version=`` lines, as the
upstream suite's TestWorkloadSandboxing reads them; the node reports the host's own release
and boot id in ``status.nodeInfo``.  A plain (runc) container shares the host kernel, so it
sees exactly those; a sandbox with a kernel of its own (gVisor's Sentry, a Kata guest VM)
does not.
"""

from __future__ import annotations

from typing import Any

from generator.procedures.verdict import Verdict

_FIELDS = (("release", "hostRelease"), ("boot_id", "hostBootId"))


def _probe(text: str) -> dict[str, str]:
    seen: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() in ("release", "boot_id", "version"):
            value = value.strip()
            seen[key.strip()] = "" if value == "unknown" else value
    return seen


def kernel_identity(text: str, args: dict[str, Any]) -> Verdict:
    """``expect: same`` (a plain pod: release and boot id both the node's) or ``differs``
    (a sandbox: at least one readable field differs; a field the pod cannot read is ignored,
    as upstream does, but the release must be readable)."""
    seen = _probe(text)
    if not seen.get("release"):
        return Verdict(False, "the probe printed no kernel release (release=...)")
    pairs = [(name, seen.get(name, ""), str(args.get(host) or "")) for name, host in _FIELDS]
    shown = "; ".join(f"{name} {mine or 'unreadable'} (node: {node or '?'})"
                      for name, mine, node in pairs)
    if args.get("expect") == "same":
        same = all(mine and mine == node for _, mine, node in pairs)
        return Verdict(same, f"the pod sees the node's kernel: {shown}" if same
                       else f"the pod does not see the node's kernel: {shown}")
    differing = [name for name, mine, node in pairs if mine and node and mine != node]
    if differing:
        return Verdict(True, f"a kernel of its own ({', '.join(differing)} differ): {shown}; "
                       f"{seen.get('version', '')}".rstrip("; "))
    return Verdict(False, f"the pod sees the node's own kernel, no sandbox boundary: {shown}")


SANDBOX = {"kernel_identity": kernel_identity}
