"""Check submissions as CNCF CI does (errors) and as a careful reviewer would (warnings)."""

from generator.review.engine import review_paths, review_product, summary
from generator.review.findings import Finding, SubmissionReport

__all__ = ["Finding", "SubmissionReport", "review_paths", "review_product", "summary"]
