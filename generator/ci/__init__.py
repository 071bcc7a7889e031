"""Scheduled evidence in the vendor's own CI: workflows that ``init --ci`` writes."""

from __future__ import annotations

from pathlib import Path

import jinja2

from generator import __version__
from generator.review.revisions import hybrid

QUARANTINE_FILE = "QUARANTINED"  # in build's output: the run failed, never submit it
GITHUB_WORKFLOW = Path(".github/workflows/ai-conformance-evidence.yml")
GITIGNORED = ("build/", ".upstream-suite/")  # what the workflow writes but never commits
_TEMPLATES = Path(__file__).parent


def github_workflow(version: str) -> str:
    """The workflow for a workspace of Kubernetes ``version`` (e.g. ``1.35``)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES), undefined=jinja2.StrictUndefined,
        block_start_string="[%", block_end_string="%]", variable_start_string="[[",
        variable_end_string="]]", trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, autoescape=False)
    return environment.get_template("github-evidence.yml").render(
        version=version, tag=f"v{version}", tool_requirement=f"k8s-ai-evidence=={__version__}",
        quarantine_file=QUARANTINE_FILE, upstream_suite=hybrid(f"v{version}"))
