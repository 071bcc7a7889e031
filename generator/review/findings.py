"""What a review reports: findings with stable rule ids, and one report per submission."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.review.rules import RULES

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    requirement: str | None
    message: str
    line: int | None = None
    ci: str | None = None  # the exact line CNCF's validator prints, for CI-parity errors
    file: str | None = None  # for findings about a file other than the one reviewed

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None or k == "requirement"}


@dataclass
class SubmissionReport:
    path: Path
    kubernetes_version: str | None
    findings: list[Finding] = field(default_factory=list)
    online: list[Finding] | None = None  # only with --online; never changes ciValid
    display_path: str | None = None
    checkout: Path | None = None  # the cncf/k8s-ai-conformance checkout holding it, if any

    @property
    def ci_valid(self) -> bool:
        """True exactly when none of CNCF CI's offline rules fire."""
        return not any(f.severity == "error" for f in self.findings)

    def ci_lines(self) -> dict[str, list[str]]:
        """The lines CNCF's validator prints for this file, in its order (where Go iterates a
        map: metadata fields and checklist categories, in the checklist's order)."""
        ci = [f for f in self.findings
              if f.ci and f.rule in RULES and RULES[f.rule].kind in ("ci", "ci-warning")]
        return {"errors": [f.ci or "" for f in ci if f.severity == "error"],
                "warnings": [f.ci or "" for f in ci if f.severity == "warning"]}

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.line or 0,
                                                    f.rule))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.display_path or str(self.path),
            "kubernetesVersion": self.kubernetes_version,
            "ciValid": self.ci_valid,
            "findings": [f.to_json() for f in self.sorted_findings()],
            "ciLines": self.ci_lines(),
        }
        if self.online is not None:
            data["online"] = {
                "ok": not any(f.severity == "error" for f in self.online),
                "findings": [f.to_json() for f in self.online],
            }
        return data
