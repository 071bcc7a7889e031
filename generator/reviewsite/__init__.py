"""``review --site``: every submission, its CI verdict and what deserves a reviewer's
attention, as a static mkdocs-material site."""

from generator.reviewsite.render import ReviewSite, build_review_site

__all__ = ["ReviewSite", "build_review_site"]
