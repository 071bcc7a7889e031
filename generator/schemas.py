"""JSON Schemas (Draft 2020-12) for every file the tool reads or writes, with format checks.

Errors name the file, the field path and the line, because a reviewer or vendor must be able
to jump straight to the offending value.  Documents are checked by
:mod:`generator.schemaengine`; jsonschema (slow to import) words the messages, and checks
alone any schema that uses a keyword the engine does not implement.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import InputError
from generator.resources import resource_dir
from generator.schemaengine import Engine, supports
from generator.yamldoc import YamlDocument

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator


@dataclass(frozen=True)
class SchemaIssue:
    path: tuple[str | int, ...]
    keyword: str  # the failing JSON Schema keyword: type, required, format, ...
    data: Any = field(default=None, repr=False, compare=False)  # the document, for the message
    schema: str = field(default="", repr=False, compare=False)
    index: int = field(default=0, repr=False, compare=False)  # its place among the issues

    @property
    def field(self) -> str:
        return format_path(self.path)

    @cached_property
    def message(self) -> str:
        """jsonschema's wording, asked for only when someone reads it."""
        errors = _sorted_errors(self.schema, self.data)
        if self.index < len(errors) and _key(errors[self.index]) == (self.path, self.keyword):
            return str(errors[self.index].message)
        return next((e.message for e in errors if _key(e) == (self.path, self.keyword)),
                    f"fails {self.keyword}")


def format_path(path: tuple[str | int, ...]) -> str:
    """``('spec', 'security', 0, 'evidence')`` -> ``spec.security[0].evidence``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


@cache
def load_schema(name: str) -> dict[str, Any]:
    path = resource_dir("schemas") / f"{name}.schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@cache
def engine(name: str) -> Engine | None:
    schema = load_schema(name)
    return Engine(schema) if supports(schema) else None


@cache
def validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(_inline_local_refs(schema, schema.get("$defs", {})),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


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


def _key(error: Any) -> tuple[tuple[str | int, ...], str]:
    return tuple(error.absolute_path), str(error.validator)


def _sorted_errors(name: str, data: Any) -> list[Any]:
    return sorted(validator(name).iter_errors(data), key=lambda e: [str(p) for p in e.path])


def schema_issues(data: Any, name: str) -> list[SchemaIssue]:
    """Every violation of schema ``name``, deepest path first within document order."""
    checker = engine(name)
    found = (checker.issues(data) if checker else
             [_key(e) for e in _sorted_errors(name, data)])
    found.sort(key=lambda issue: [str(p) for p in issue[0]])  # stable, as jsonschema's order
    return [SchemaIssue(path, keyword, data, name, index)
            for index, (path, keyword) in enumerate(found)]


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
