"""Plain and tagged YAML scalars as Go's yaml.v3 decodes them into an untyped target.

YAML 1.2 core schema as yaml.v3 implements it: only ``true``/``false`` spellings are booleans
(``yes``/``on`` stay strings), integers follow Go's ``strconv.ParseInt`` with base 0 (``010``
is octal), and timestamps are not strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

PLAIN_TAG = "!plain"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"

_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_SPECIAL_FLOATS = {
    **{v: float("nan") for v in (".nan", ".NaN", ".NAN")},
    **{s + v: float(s + "inf") for s in ("", "+", "-") for v in (".inf", ".Inf", ".INF")},
}
_GO_INT = re.compile(r"[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")
_GO_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_TIMESTAMP_RE = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}"
    r"(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?"
)


@dataclass(frozen=True)
class Timestamp:
    """A plain scalar yaml.v3 reads as a time: not a string to CI (quote it to make one)."""

    text: str

    def __str__(self) -> str:
        return self.text


# the Python types an explicitly tagged scalar's text must decode to
_EXPECTED: dict[str, tuple[type, ...]] = {
    _NULL: (type(None),), _BOOL: (bool,), _INT: (int,), _FLOAT: (int, float),
    _TIMESTAMP: (Timestamp,),
}


def scalar_value(node: yaml.ScalarNode) -> Any:
    """Value of a scalar as yaml.v3 decodes it into an untyped (``interface{}``) target.

    Raises ValueError for an explicit tag its text does not fit (``!!null 1.0``), as Go does.
    """
    if node.tag == PLAIN_TAG:
        return _plain_value(node.value)
    expected = _EXPECTED.get(node.tag)
    if expected is None:
        return node.value
    value = _plain_value(node.value)
    if not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected):
        raise ValueError(f"cannot decode !!{node.tag.rsplit(':', 1)[-1]} `{node.value}`")
    return float(value) if node.tag == _FLOAT and isinstance(value, int | float) else value


def _plain_value(text: str) -> Any:
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    if not text or not (text[0].isdigit() or text[0] in "+-."):
        return text
    if _TIMESTAMP_RE.fullmatch(text):
        return Timestamp(text)
    digits = text.replace("_", "")
    if _GO_INT.fullmatch(digits):
        return _go_int(digits)
    if _GO_FLOAT.fullmatch(digits):
        return float(digits)
    return text


def _go_int(digits: str) -> int:
    sign = -1 if digits.startswith("-") else 1
    body = digits.lstrip("+-").lower()
    if body.startswith(("0x", "0o", "0b")):
        return sign * int(body, 0)
    if len(body) > 1 and body.startswith("0"):
        return sign * int(body, 8)
    return sign * int(body)
