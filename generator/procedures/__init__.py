"""Collection procedures are data: per checklist version, per requirement, one YAML per variant."""

from generator.procedures.loader import load_procedure, procedure_requirements
from generator.procedures.model import Check, Expect, Procedure, Step

__all__ = ["Check", "Expect", "Procedure", "Step", "load_procedure", "procedure_requirements"]
