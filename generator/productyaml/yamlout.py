"""Write PRODUCT.yaml so that CNCF's CI (Go, yaml.v3) reads every value as we meant it.

Every string is double-quoted (JSON string syntax is valid YAML 1.2), so ``1.0``, ``yes``,
``N/A`` or ``2026-01-01`` stay strings; keys keep the official checklist's order.  The
result is read back with our yaml.v3-compatible loader and compared before it is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.layout import PRODUCT_FILE
from generator.yamldoc import load_yaml

# line breaks YAML knows but JSON leaves unescaped
_YAML_BREAKS = {"\u0085": "\\N", "\u2028": "\\L", "\u2029": "\\P"}


def quote(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)
    for char, escaped in _YAML_BREAKS.items():
        quoted = quoted.replace(char, escaped)
    return quoted


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return quote(str(value))


def _lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for key, item in value.items():
        if isinstance(item, dict):
            out += [f"{pad}{key}:", *_lines(item, indent + 2)]
        elif isinstance(item, list) and not item:
            out.append(f"{pad}{key}: []")
        elif isinstance(item, list):
            out.append(f"{pad}{key}:")
            for element in item:
                if isinstance(element, dict):
                    body = _lines(element, indent + 4)
                    out.append(f"{pad}  - {body[0].lstrip()}")
                    out += body[1:]
                else:
                    out.append(f"{pad}  - {_scalar(element)}")
        else:
            out.append(f"{pad}{key}: {_scalar(item)}")
    return out


def dump(document: dict[str, Any], header: str = "") -> str:
    """YAML text for ``document``; raises if it would not read back identically."""
    text = header + "\n".join(_lines(document, 0)) + "\n"
    if load_yaml(Path(PRODUCT_FILE), text=text).data != document:  # emitter bug guard
        raise AssertionError("PRODUCT.yaml emitter produced text that reads back differently")
    return text

