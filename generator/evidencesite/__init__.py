"""The reviewer-facing evidence site: Markdown from templates, built with mkdocs-material."""

from generator.evidencesite.build import SiteResult, build_evidence_site

__all__ = ["SiteResult", "build_evidence_site"]
