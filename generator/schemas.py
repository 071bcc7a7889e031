"""JSON Schemas (Draft 2020-12) for every file the tool reads or writes, with format checks.

Errors name the file, the field path and the line, because a reviewer or vendor must be able
to jump straight to the offending value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from generator.errors import InputError
from generator.resources import resource_dir
from generator.yamldoc import YamlDocument


@dataclass(frozen=True)
class SchemaIssue:
    path: tuple[str | int, ...]
    message: str
    keyword: str  # the failing JSON Schema keyword: type, required, format, ...

    @property
    def field(self) -> str:
        return format_path(self.path)


def format_path(path: tuple[str | int, ...]) -> str:
    """``('spec', 'security', 0, 'evidence')`` -> ``spec.security[0].evidence``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


@cache
def validator(name: str) -> Draft202012Validator:
    path = resource_dir("schemas") / f"{name}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    schema = _inline_local_refs(schema, schema.get("$defs", {}))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _inline_local_refs(node: Any, defs: dict[str, Any]) -> Any:
    """Replace ``{"$ref": "#/$defs/x"}`` by its target: jsonschema's ref lookups dominate the
    cost of validating many small documents, and our schemas are not recursive."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/") and len(node) == 1:
            return _inline_local_refs(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline_local_refs(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_local_refs(v, defs) for v in node]
    return node


def schema_issues(data: Any, name: str) -> list[SchemaIssue]:
    """Every violation of schema ``name``, deepest path first within document order."""
    errors = sorted(validator(name).iter_errors(data), key=lambda e: [str(p) for p in e.path])
    return [SchemaIssue(tuple(e.absolute_path), e.message, str(e.validator)) for e in errors]


def validate_document(doc: YamlDocument, name: str) -> None:
    """Raise one clear InputError for the first violation (file:line: field: message)."""
    issues = schema_issues(doc.data, name)
    if issues:
        first = issues[0]
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        where = f"{doc.path}:{doc.line(*first.path)}"
        raise InputError(f"{where}: {first.field}: {first.message}{more}")


def validate_file_data(path: Path, data: Any, name: str) -> None:
    """Validate data the tool is about to write (or just read as JSON) against its schema."""
    issues = schema_issues(data, name)
    if issues:
        first = issues[0]
        raise InputError(f"{path}: {first.field}: {first.message}")
