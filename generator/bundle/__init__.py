"""A workspace read as a whole: platform.yaml, evidence tree and checklist, per requirement."""

from generator.bundle.model import Bundle, CheckView, RequirementView, load_bundle

__all__ = ["Bundle", "CheckView", "RequirementView", "load_bundle"]
