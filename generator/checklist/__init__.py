"""The official checklist: loaded at run time, never copied into the project."""

from generator.checklist.model import Checklist, Requirement, normalize_version
from generator.checklist.resolve import resolve_checklist

__all__ = ["Checklist", "Requirement", "normalize_version",
           "resolve_checklist"]
