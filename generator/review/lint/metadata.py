"""Lint of the metadata block: version folder, logo, e-mail and URL syntax."""

from __future__ import annotations

from collections.abc import Iterator

from generator.review.ci_rules import LOGO_SUFFIXES, metadata_value
from generator.review.findings import Finding
from generator.review.submission import Submission

_FORMAT_RULES = {"contactEmailAddress": "invalid-email", "contact_email_address": "invalid-email"}


def findings(sub: Submission, ci: list[Finding]) -> Iterator[Finding]:
    metadata = sub.metadata
    if not isinstance(metadata, dict):
        return
    ci_lines = {f.line for f in ci}
    _, declared = metadata_value(metadata, "kubernetesVersion")
    folder = sub.version_tag
    if isinstance(declared, str) and folder and declared.strip() != folder:
        yield Finding("version-mismatch", "warning", None,
                      f"metadata.kubernetesVersion is {declared!r} but the folder is {folder}",
                      sub.line("metadata", "kubernetesVersion"))
    key, logo = metadata_value(metadata, "productLogoUrl")
    line = sub.line("metadata", key)
    if isinstance(logo, str) and logo and line not in ci_lines:
        path = logo.split("?", 1)[0].split("#", 1)[0].lower()
        if not path.endswith(LOGO_SUFFIXES):
            yield Finding("logo-format", "warning", None,
                          f"productLogoUrl {logo!r} is not an SVG, AI or EPS file", line)
    for issue in sub.format_issues:
        if len(issue.path) != 2 or issue.path[0] != "metadata":
            continue
        line = sub.line(*issue.path)
        if line in ci_lines:
            continue  # CI already complains about this value
        name = str(issue.path[1])
        rule = _FORMAT_RULES.get(name, "invalid-url")
        what = "an e-mail address" if rule == "invalid-email" else "a valid http(s) URL"
        yield Finding(rule, "warning", None,
                      f"metadata.{name} {metadata.get(name)!r} is not {what}", line)
