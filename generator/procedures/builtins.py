"""Checks that need real logic, by name: unit-tested Python instead of an expression language.

Each takes the step's output text and its templated ``args`` and returns a Verdict.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from generator.evidence.verdicts import Conformance
from generator.procedures.builtins_accelerators import ACCELERATORS
from generator.procedures.builtins_dataplane import DATAPLANE
from generator.procedures.builtins_dra import DRA
from generator.procedures.builtins_pods import PODS
from generator.procedures.builtins_sandbox import SANDBOX
from generator.procedures.verdict import Verdict


def api_served(text: str, args: dict[str, Any]) -> Verdict:
    """``kubectl api-versions``: the group served at its GA version, or only at beta (capped)."""
    group, ga = args["group"], args.get("ga", "v1")
    served = sorted(line.split("/", 1)[1] for line in text.split()
                    if line.startswith(f"{group}/"))
    if ga in served:
        return Verdict(True, f"{group}/{ga} is served (versions: {', '.join(served)})")
    if served:
        return Verdict(True, f"{group} is served only at {', '.join(served)}, not {ga}: "
                       f"at most {Conformance.PARTIALLY_IMPLEMENTED}",
                       limit=Conformance.PARTIALLY_IMPLEMENTED)
    return Verdict(False, f"{group} is not served at any version")


def _bound(text: str) -> tuple[list[str], list[str]]:
    """Names of pods with and without a node, from ``kubectl get pods -o json``."""
    try:
        items = json.loads(text).get("items", [])
    except (json.JSONDecodeError, AttributeError) as exc:
        raise ValueError("expected the JSON of a pod list (kubectl get pods -o json)") from exc
    bound = [p["metadata"]["name"] for p in items if (p.get("spec") or {}).get("nodeName")]
    unbound = [p["metadata"]["name"] for p in items if not (p.get("spec") or {}).get("nodeName")]
    return bound, unbound


def pods_bound(text: str, args: dict[str, Any]) -> Verdict:
    """N of M pods bound to a node: ``min``/``max`` bound pods (all-or-nothing gangs)."""
    try:
        bound, unbound = _bound(text)
    except ValueError as exc:
        return Verdict(False, str(exc))
    low, high = int(args.get("min", 0)), args.get("max")
    summary = f"{len(bound)} of {len(bound) + len(unbound)} pods bound to a node"
    if bound:
        summary += f" ({', '.join(bound[:5])}{', ...' if len(bound) > 5 else ''})"
    if len(bound) < low:
        return Verdict(False, f"{summary}; expected at least {low}")
    if high is not None and len(bound) > int(high):
        return Verdict(False, f"{summary}; expected at most {high}")
    return Verdict(True, summary)


BUILTINS: dict[str, Callable[[str, dict[str, Any]], Verdict]] = {
    "api_served": api_served,
    "pods_bound": pods_bound,
    **ACCELERATORS,
    **DATAPLANE,
    **DRA,
    **PODS,
    **SANDBOX,
}

