"""Which URLs of a submission CNCF CI fetches, and how it words each failure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.review.ci_rules import K8S_CONFORMANCE_URL, METADATA_FIELDS, metadata_value
from generator.review.submission import Submission


@dataclass(frozen=True)
class Checked:
    url: str
    field: str  # "metadata.websiteUrl" or "evidence"
    requirement: str | None
    line: int | None

    def ci_line(self, error: str) -> str:
        """CI's own error line for this URL."""
        if self.requirement is not None:
            return f"Invalid evidence URL for '{self.requirement}': {self.url} ({error})"
        name = self.field.removeprefix("metadata.")
        if name == "k8sConformanceUrl":
            return f"k8sConformanceUrl is not accessible: {self.url} ({error})"
        return f"Invalid URL in metadata {name}: {self.url} ({error})"


def metadata_urls(sub: Submission) -> Iterator[Checked]:
    """String values starting with http, as CI picks them (placeholders and a malformed
    k8sConformanceUrl are reported offline and not fetched)."""
    metadata = sub.metadata if isinstance(sub.metadata, dict) else {}
    for name, _ in METADATA_FIELDS:
        key, value = metadata_value(metadata, name)
        if not isinstance(value, str) or (value.startswith("[") and value.endswith("]")):
            continue
        if name == "k8sConformanceUrl":
            if not K8S_CONFORMANCE_URL.fullmatch(value):
                continue
        elif not value.startswith("http"):
            continue
        yield Checked(value, f"metadata.{name}", None, sub.line("metadata", key))


def evidence_urls(sub: Submission) -> Iterator[Checked]:
    """http(s) evidence of each requirement; for an id listed twice only the last counts."""
    last = {(e.category, e.id): e for e in sub.entries}
    for entry in last.values():
        for index, link in enumerate(entry.evidence):
            if link.startswith(("http://", "https://")):
                yield Checked(link, "evidence", entry.id,
                              sub.line("spec", entry.category, entry.index, "evidence", index))


def checked_urls(sub: Submission) -> list[Checked]:
    return [*metadata_urls(sub), *evidence_urls(sub)]
