"""Collection procedures are data: per checklist version, per requirement, one YAML per variant.

The names below are loaded on first use (PEP 562): ``k8s-ai-evidence judge``, run by
procedure.sh once per builtin check, needs the builtins, not the loader and its schemas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.procedures.loader import load_procedure, procedure_requirements
    from generator.procedures.model import Check, Expect, Procedure, Step

_MODULES = {"load_procedure": "loader", "procedure_requirements": "loader", "Check": "model",
            "Expect": "model", "Procedure": "model", "Step": "model"}
__all__ = ["Check", "Expect", "Procedure", "Step", "load_procedure", "procedure_requirements"]


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
