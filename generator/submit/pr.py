"""The pull request's title and body, with the program's pre-submission checklist marked from
what the tool knows: satisfied, not satisfied, or (honestly) cannot tell."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from generator import __version__
from generator.catalog import upstream_tests
from generator.layout import E2E_LOG, JUNIT_XML, RESULTS_JSON
from generator.review import SubmissionReport
from generator.review.artifacts import artifact_kind
from generator.review.ci_rules import LOGO_SUFFIXES
from generator.review.revisions import hybrid

State = Literal["satisfied", "not satisfied", "cannot tell"]
TERMS = ("https://github.com/cncf/k8s-ai-conformance/blob/main/terms-conditions/"
         "Certified_AI_Platform.md")


@dataclass(frozen=True)
class Item:
    text: str
    state: State
    note: str = ""

    def markdown(self) -> str:
        box = "x" if self.state == "satisfied" else " "
        note = f" ({self.state}: {self.note})" if self.note else ""
        return f"- [{box}] {self.text}{note}"


def title(metadata: dict[str, Any]) -> str:
    return (f"Add {metadata.get('platformName')} {metadata.get('platformVersion')} "
            f"for Kubernetes AI Conformance {metadata.get('kubernetesVersion')}")


def checklist(metadata: dict[str, Any], report: SubmissionReport, product_path: str,
              spec: dict[str, Any] | None = None) -> list[Item]:
    logo = str(metadata.get("productLogoUrl") or "")
    repo_url = metadata.get("repoUrl")
    errors = sum(f.severity == "error" for f in report.findings)
    musts = [f for f in report.findings  # cluster_autoscaling may be N/A: a CI warning only
             if f.rule in ("ci-must-not-implemented", "ci-conditional-must-status")]
    items = [
        Item(f"`{product_path}` passes CNCF CI's offline checks against this repository's "
             "checklist", "satisfied" if report.ci_valid else "not satisfied",
             "" if report.ci_valid else f"{errors} error(s); run k8s-ai-evidence review"),
        Item("Every MUST requirement is Implemented (N/A only where CI allows it)",
             "not satisfied" if musts else "satisfied",
             ", ".join(f.requirement or "" for f in musts)),
        Item(f"The vendor has read and accepts the [terms and conditions]({TERMS})",
             "cannot tell", "only the vendor can confirm this"),
        Item("productLogoUrl is a vector logo (SVG, EPS or AI) showing the product name",
             "satisfied" if logo.lower().endswith(LOGO_SUFFIXES) else "not satisfied",
             "" if logo.lower().endswith(LOGO_SUFFIXES) else f"{logo or 'missing'}"),
        Item("repoUrl points at the source repository if the product is open source",
             "satisfied" if repo_url else "cannot tell",
             "" if repo_url else "no repoUrl: add one if the product is open source"),
        Item("vendorName exactly matches a CNCF member on landscape.cncf.io/members",
             "cannot tell", "not checked offline; run k8s-ai-evidence review --online"),
    ]
    if hybrid(str(metadata.get("kubernetesVersion") or "")):
        items.append(_artifacts_item(spec or {}))
    return items


def _artifacts_item(spec: dict[str, Any]) -> Item:
    """v1.37+: requirements the upstream suite covers cite its artifacts (instructions.md)."""
    covered = upstream_tests()
    missing = [item.get("id") for items in spec.values() for item in items or []
               if item.get("id") in covered and item.get("status") == "Implemented"
               and not any(artifact_kind(str(link).split("#", 1)[0])
                           for link in item.get("evidence") or [])]
    return Item("Requirements covered by the upstream AI conformance suite cite its test "
                f"artifacts ({E2E_LOG}, {JUNIT_XML} or {RESULTS_JSON}) in the submission folder",
                "not satisfied" if missing else "satisfied",
                f"no artifact for {', '.join(map(str, missing))}; run collect --upstream-suite"
                if missing else "")


def body(document: dict[str, Any], report: SubmissionReport, product_path: str) -> str:
    metadata = document.get("metadata") or {}
    lines = [
        f"## {metadata.get('platformName')} {metadata.get('platformVersion')} "
        f"({metadata.get('vendorName')})", "",
        f"- Kubernetes version: {metadata.get('kubernetesVersion')}",
        f"- Submission: `{product_path}`",
        f"- Documentation: {metadata.get('documentationUrl', 'not given')}", "",
        "### Requirements", "",
        "| Requirement | Level | Status | Evidence |", "|---|---|---|---|",
    ]
    for items in (document.get("spec") or {}).values():
        for item in items or []:
            count = len(item.get("evidence") or [])
            lines.append(f"| `{item.get('id')}` | {item.get('level')} | "
                         f"{item.get('status') or '(not claimed)'} | {count} link(s) |")
    lines += ["", "### Pre-submission checklist", "",
              *(i.markdown() for i in checklist(metadata, report, product_path,
                                                document.get("spec") or {})), "",
              f"Prepared with k8s-ai-evidence {__version__}: every claim above links the "
              "executed evidence."]
    return "\n".join(lines) + "\n"
