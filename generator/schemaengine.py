"""A small validator for the JSON Schema 2020-12 keywords our schemas use, yielding exactly
what ``jsonschema`` yields (instance path and failing keyword, in the same order).

Why: importing jsonschema and building its validators costs several times a whole ``review``
of the CNCF corpus, and nearly every document checked is valid.  This engine decides validity
and finds the violations; jsonschema is imported only to word a violation's message, that
is, only when a document is invalid and a person will read why.  A schema using a keyword or
format outside this subset is refused by :func:`supports`, and ``generator.schemas`` leaves
it to jsonschema entirely.  ``tests/test_schemaengine.py`` holds the two to the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

Path = tuple[str | int, ...]
Issue = tuple[Path, str]  # (instance path, failing keyword) as jsonschema reports them

# every assertion keyword of 2020-12: a schema using one we do not implement is not ours
_ASSERTIONS = frozenset({
    "$dynamicRef", "$ref", "additionalProperties", "allOf", "anyOf", "const", "contains",
    "dependentRequired", "dependentSchemas", "enum", "exclusiveMaximum", "exclusiveMinimum",
    "format", "if", "items", "maxItems", "maxLength", "maxProperties", "maximum", "minItems",
    "minLength", "minProperties", "minimum", "multipleOf", "not", "oneOf", "pattern",
    "patternProperties", "prefixItems", "properties", "propertyNames", "required", "type",
    "unevaluatedItems", "unevaluatedProperties", "uniqueItems"})
_SCHEMA_MAPS = ("properties", "$defs", "patternProperties", "dependentSchemas")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SUBSCHEMAS = ("additionalProperties", "items", "propertyNames", "not", "if", "then", "else",
               "contains")


def _is_integer(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, float) and value.is_integer())


_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": _is_integer,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
}


def _regex(text: str) -> bool:
    try:
        re.compile(text)
    except re.error:
        return False
    return True


# A subset of RFC 3986's URI grammar (scheme "://" reg-name [":" port] path-abempty
# ["?" query] ["#" fragment]) that matches nearly every URL met: what it matches is a URI,
# anything else is left to rfc3986_validator, whose grammar compiles slowly on import.
_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
_PLAIN_URI = re.compile(
    rf"[A-Za-z][A-Za-z0-9+.\-]*://(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{{2}})*"
    rf"(?::[0-9]*)?(?:/{_PCHAR}*)*(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?")


def _uri(text: str) -> bool:
    if _PLAIN_URI.fullmatch(text):
        return True
    from rfc3986_validator import validate_rfc3986  # type: ignore[import-untyped]

    return bool(validate_rfc3986(text, rule="URI"))


def _date_time(text: str) -> bool:
    from rfc3339_validator import validate_rfc3339  # type: ignore[import-untyped]

    return bool(validate_rfc3339(text.upper()))


# jsonschema's checkers for these formats (uri: rfc3986_validator, date-time:
# rfc3339_validator), with the format libraries this project installs
_FORMATS: dict[str, Callable[[str], bool]] = {
    "email": lambda text: "@" in text, "regex": _regex, "uri": _uri, "date-time": _date_time}


def supports(schema: Any) -> bool:
    """True when every keyword and format of ``schema`` is one this engine implements."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict):
        return False
    if any(k in _ASSERTIONS and k not in _KEYWORDS for k in schema):
        return False
    if "format" in schema and schema["format"] not in _FORMATS:
        return False
    if "$ref" in schema and not str(schema["$ref"]).startswith("#/$defs/"):
        return False
    children = [schema[k] for k in _SUBSCHEMAS if k in schema]
    children += [s for k in _SCHEMA_MAPS for s in (schema.get(k) or {}).values()]
    children += [s for k in _SCHEMA_LISTS for s in schema.get(k) or ()]
    return all(supports(child) for child in children)


def _equal(one: Any, two: Any) -> bool:
    """jsonschema's equality: ``True`` is not ``1``, containers compare element-wise."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return one.keys() == two.keys() and all(_equal(one[k], two[k]) for k in one)
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    return bool(one == two)


@cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


Check = Callable[[Any, Path, list[Issue]], None]  # appends the instance's issues to the list
Factory = Callable[["Engine", Any, dict[str, Any]], Check]


class Engine:
    """One schema compiled into nested checks (closures, not a dict walk per document);
    ``#/$defs/<name>`` references resolve in the schema's own ``$defs``."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.defs = schema.get("$defs", {})
        self._compiled: dict[int, Check] = {}
        self._check = self.compile(schema)

    def issues(self, instance: Any) -> list[Issue]:
        found: list[Issue] = []
        self._check(instance, (), found)
        return found

    def compile(self, schema: Any) -> Check:
        if id(schema) in self._compiled:
            return self._compiled[id(schema)]
        if schema is True:
            check: Check = _nothing
        elif schema is False:
            def check(instance: Any, path: Path, out: list[Issue]) -> None:
                out.append((path, "None"))  # jsonschema's keyword for a false schema
        else:
            parts = [factory(self, value, schema) for keyword, value in schema.items()
                     if (factory := _KEYWORDS.get(keyword))]

            def check(instance: Any, path: Path, out: list[Issue]) -> None:
                for part in parts:
                    part(instance, path, out)
        self._compiled[id(schema)] = check
        return check


def _nothing(instance: Any, path: Path, out: list[Issue]) -> None:
    return None


def _valid(check: Check, instance: Any) -> bool:
    found: list[Issue] = []
    check(instance, (), found)
    return not found


def _type(engine: Engine, value: Any, schema: dict[str, Any]) -> Check:
    tests = [_TYPES[t] for t in (value if isinstance(value, list) else [value])]

    def check(instance: Any, path: Path, out: list[Issue]) -> None:
        for test in tests:
            if test(instance):
                return
        out.append((path, "type"))
    return check


def _properties(engine: Engine, value: Any, schema: dict[str, Any]) -> Check:
    children = [(name, engine.compile(subschema)) for name, subschema in value.items()]

    def check(instance: Any, path: Path, out: list[Issue]) -> None:
        if isinstance(instance, dict):
            for name, child in children:
                if name in instance:
                    child(instance[name], (*path, name), out)
    return check


def _additional(engine: Engine, value: Any, schema: dict[str, Any]) -> Check:
    known = schema.get("properties", {})
    child = engine.compile(value) if isinstance(value, dict) else None

    def check(instance: Any, path: Path, out: list[Issue]) -> None:
        if not isinstance(instance, dict):
            return
        extras = [name for name in instance if name not in known]
        if child is not None:
            for name in extras:
                child(instance[name], (*path, name), out)
        elif value is False and extras:
            out.append((path, "additionalProperties"))
    return check


def _required(engine: Engine, value: Any, schema: dict[str, Any]) -> Check:
    def check(instance: Any, path: Path, out: list[Issue]) -> None:
        if isinstance(instance, dict):
            out.extend((path, "required") for name in value if name not in instance)
    return check


def _dependent_required(engine: Engine, value: Any, schema: dict[str, Any]) -> Check:
    def check(instance: Any, path: Path, out: list[Issue]) -> None:
        if isinstance(instance, dict):
            for name, needed in value.items():
                if name in instance:
                    out.extend((path, "dependentRequired") for o in needed if o not in instance)
    return check


def _ref(engine: Engine, value: Any, schema: dict[str, Any]) -> Check:
    target = engine.defs[value.removeprefix("#/$defs/")]

    def check(instance: Any, path: Path, out: list[Issue]) -> None:
        engine.compile(target)(instance, path, out)  # compiled on first use: refs may recurse
    return check


def _items(engine: Engine, value: Any, schema: dict[str, Any]) -> Check:
    child = engine.compile(value) if value is not False else None

    def check(instance: Any, path: Path, out: list[Issue]) -> None:
        if not isinstance(instance, list):
            return
        if child is None:
            if instance:
                out.append((path, "items"))
            return
        for index, item in enumerate(instance):
            child(item, (*path, index), out)
    return check


def _property_names(engine: Engine, value: Any, schema: dict[str, Any]) -> Check:
    child = engine.compile(value)

    def check(instance: Any, path: Path, out: list[Issue]) -> None:
        if isinstance(instance, dict):
            for name in instance:
                found: list[Issue] = []
                child(name, (), found)
                out.extend((path, keyword) for _, keyword in found)  # at the object's path
    return check


def _if(engine: Engine, value: Any, schema: dict[str, Any]) -> Check:
    test = engine.compile(value)
    then = engine.compile(schema["then"]) if "then" in schema else None
    otherwise = engine.compile(schema["else"]) if "else" in schema else None

    def check(instance: Any, path: Path, out: list[Issue]) -> None:
        branch = then if _valid(test, instance) else otherwise
        if branch is not None:
            branch(instance, path, out)
    return check


def _not(engine: Engine, value: Any, schema: dict[str, Any]) -> Check:
    child = engine.compile(value)

    def check(instance: Any, path: Path, out: list[Issue]) -> None:
        if _valid(child, instance):
            out.append((path, "not"))
    return check


def _any_of(engine: Engine, value: Any, schema: dict[str, Any]) -> Check:
    children = [engine.compile(subschema) for subschema in value]

    def check(instance: Any, path: Path, out: list[Issue]) -> None:
        if not any(_valid(child, instance) for child in children):
            out.append((path, "anyOf"))
    return check


def _one_of(engine: Engine, value: Any, schema: dict[str, Any]) -> Check:
    children = [engine.compile(subschema) for subschema in value]

    def check(instance: Any, path: Path, out: list[Issue]) -> None:
        if sum(_valid(child, instance) for child in children) != 1:
            out.append((path, "oneOf"))
    return check


def _when(fails: Callable[[Any, Any], bool], keyword: str) -> Factory:
    """A keyword that judges the instance itself: one issue at its path when it fails."""
    def factory(engine: Engine, value: Any, schema: dict[str, Any]) -> Check:
        def check(instance: Any, path: Path, out: list[Issue]) -> None:
            if fails(value, instance):
                out.append((path, keyword))
        return check
    return factory


def _number(instance: Any) -> bool:
    return _TYPES["number"](instance)


_KEYWORDS: dict[str, Factory] = {
    "type": _type, "properties": _properties, "additionalProperties": _additional,
    "required": _required, "dependentRequired": _dependent_required, "$ref": _ref,
    "items": _items, "propertyNames": _property_names, "if": _if, "not": _not,
    "anyOf": _any_of, "oneOf": _one_of,
    "pattern": _when(lambda p, i: isinstance(i, str) and not _pattern(p).search(i), "pattern"),
    "format": _when(lambda f, i: isinstance(i, str) and not _FORMATS[f](i), "format"),
    "enum": _when(lambda e, i: not any(_equal(each, i) for each in e), "enum"),
    "const": _when(lambda c, i: not _equal(i, c), "const"),
    "minLength": _when(lambda n, i: isinstance(i, str) and len(i) < n, "minLength"),
    "minItems": _when(lambda n, i: isinstance(i, list) and len(i) < n, "minItems"),
    "minProperties": _when(lambda n, i: isinstance(i, dict) and len(i) < n, "minProperties"),
    "minimum": _when(lambda n, i: _number(i) and i < n, "minimum"),
    "exclusiveMinimum": _when(lambda n, i: _number(i) and i <= n, "exclusiveMinimum"),
}
