"""PRODUCT.yaml notes written from what the evidence shows, never from what it does not.

A reviewer reads dozens of submissions: notes name the component and its version, what
passed (positive and negative) and when, so the claim can be checked against the site.
"""

from __future__ import annotations

from generator.bundle import Bundle, RequirementView
from generator.evidence.model import Role
from generator.evidence.verdicts import Status


def components_for(bundle: Bundle, view: RequirementView) -> list[str]:
    """Run components whose name matches one of the catalog's known solutions."""
    solutions = [s.lower() for s in (view.entry.solutions if view.entry else ())]
    run = bundle.tree.run
    found = []
    for component in (run.probe.components if run else None) or ():
        name = component.name.lower()
        if any(s in name or name in s for s in solutions):
            found.append(f"{component.name} {component.version}" if component.version
                         else component.name)
    return found


def generated_notes(bundle: Bundle, view: RequirementView) -> str:
    own: str | None = bundle.workspace.requirement_config(view.id).get("notes")
    if own:
        return own
    if view.declaration:
        return f"Declared {view.declaration.status}: {view.declaration.reason}"
    if not view.evidence:
        return "No evidence collected yet; nothing is claimed."
    run = bundle.tree.run
    server = (run.server_version if run else None) or bundle.workspace.tag
    parts = [_verdicts(view)]
    components = components_for(bundle, view)
    if components:
        parts.append("Components: " + ", ".join(components) + ".")
    when = view.evidence.result.finished_at or (run.finished_at if run else "unknown date")
    tool = run.tool.version if run else "unknown"
    parts.append(f"Executed on Kubernetes {server} on {when[:10]} by k8s-ai-evidence {tool}; "
                 "commands, outputs and the procedure are on the linked page.")
    if bundle.workspace.is_example:
        parts.insert(0, "EXAMPLE DATA of a fictional platform, not a real submission.")
    return " ".join(parts)


def _verdicts(view: RequirementView) -> str:
    sentences = []
    for role in (Role.POSITIVE, Role.NEGATIVE):
        checks = view.checks_of(role)
        passed = [c.check.title for c in checks if c.check.status is Status.PASSED]
        others = [f"{c.check.title} ({c.check.status})" for c in checks
                  if c.check.status is not Status.PASSED]
        if passed:
            sentences.append(f"Passed {role}: " + "; ".join(passed) + ".")
        if others:
            sentences.append(f"Not passed {role}: " + "; ".join(others) + ".")
    return " ".join(sentences) or f"Result: {view.reason}."
