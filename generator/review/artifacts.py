"""Test artifacts as CNCF's validator reads them (hybrid verification, validate.go since 2026-09).

Only files named exactly junit.xml, results.json or e2e.log (any case) are artifacts. Each is
read into test name -> outcome with the validator's rules: a later result never downgrades a
failure, a test without an exact entry aggregates its subtests (``name/...``), and a parse
problem carries the validator's own error text where Go's is reproducible.
"""

from __future__ import annotations

import json
import os
import re
import stat
import string
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, BinaryIO


class Outcome(Enum):
    UNKNOWN = "not found"
    PASS = "passed"
    FAIL = "failed"
    SKIP = "skipped"


GO_TRIM_SPACE = ("\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
                 "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")  # TrimSpace
ARTIFACT_NAMES = {"junit.xml": "junit", "results.json": "go-test-json", "e2e.log": "e2e-log"}
_RE2_SPACE = "\t\n\f\r "  # \s in Go's regexp
_E2E_RESULT = re.compile(rf"^[{_RE2_SPACE}]*--- (PASS|FAIL|SKIP): ([^{_RE2_SPACE}]+)")
_EVENT_FIELDS = ("Action", "Package", "Test")
_FIRST_ELEMENT = re.compile(r"<[A-Za-z_]")
_UNPARSED = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)
_ENTITY = re.compile(r"&(?!(?:lt|gt|amp|apos|quot|#[0-9]+|#x[0-9a-fA-F]+);)[A-Za-z_][\w.-]*;")


class _Object(list):
    """A JSON object as its (key, value) pairs, in order."""


class ArtifactError(Exception):
    """The validator's reason for rejecting an artifact (the text inside its parentheses)."""


@dataclass
class ArtifactReport:
    tests: dict[str, Outcome] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def record(self, name: str, outcome: Outcome) -> None:
        if self.tests.get(name) is Outcome.FAIL:
            return
        self.tests[name] = outcome
        if outcome is Outcome.FAIL:
            self.failures.append(name)

    def outcome_for(self, name: str) -> Outcome:
        if name in self.tests:
            return self.tests[name]
        subtests = [o for n, o in self.tests.items() if n.startswith(name + "/")]
        if not subtests:
            return Outcome.UNKNOWN
        if Outcome.FAIL in subtests:
            return Outcome.FAIL
        return Outcome.SKIP if all(o is Outcome.SKIP for o in subtests) else Outcome.PASS


def artifact_kind(path: str) -> str | None:
    return ARTIFACT_NAMES.get(os.path.basename(path).lower())


def parse_artifact(path: Path, shown: str, kind: str) -> ArtifactReport:
    """Parse ``path`` (``shown`` is the path as CI names it in errors); the line-based kinds
    are streamed, so a huge log costs no more memory than its longest line."""
    try:
        if stat.S_ISFIFO(mode := os.stat(path).st_mode) or stat.S_ISCHR(mode) or (
                stat.S_ISBLK(mode) or stat.S_ISSOCK(mode)):
            # git cannot hold these, so CI never meets one; reading could block for ever
            raise ArtifactError(f"open {shown}: not a regular file (not read)")
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise ArtifactError(f"open {shown}: {_errno_text(exc)}") from None
    except ValueError:  # a NUL byte in the path: the syscall's EINVAL
        raise ArtifactError(f"open {shown}: invalid argument") from None
    reading = {"junit": "parsing JUnit XML", "go-test-json": "reading go test JSON",
               "e2e-log": "reading e2e log"}[kind]
    try:
        with os.fdopen(fd, "rb") as handle:
            if kind == "junit":
                return _junit(handle.read())
            lines = _scan_lines(handle, reading)
            return _go_test_json(lines) if kind == "go-test-json" else _e2e_log(lines)
    except OSError as exc:
        raise ArtifactError(f"{reading}: read {shown}: {_errno_text(exc)}") from None


def _errno_text(exc: OSError) -> str:
    """Go's syscall error text: strerror in lower case (``no such file or directory``)."""
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


_MAX_LINE = 16 * 1024 * 1024  # the validator's bufio.Scanner buffer


def _scan_lines(handle: BinaryIO, reading: str) -> Iterator[str]:
    """bufio.ScanLines: split on \\n, drop one trailing \\r; a line of 16 MiB or more (the
    validator's buffer, also at the end of the file) stops the scan with its error."""
    while chunk := handle.readline(_MAX_LINE):
        if len(chunk) == _MAX_LINE and not chunk.endswith(b"\n"):
            raise ArtifactError(f"{reading}: bufio.Scanner: token too long")
        line = chunk.removesuffix(b"\n").removesuffix(b"\r")
        yield line.decode("utf-8", "replace")


def _junit(data: bytes) -> ArtifactReport:
    """Only the first element is decoded, whatever its name; suites nest to any depth."""
    parser = ET.XMLPullParser(events=("start", "end"))
    root: ET.Element | None = None
    open_tags: list[str] = []
    error: ET.ParseError | None = None
    try:
        parser.feed(data)
        for event, element in parser.read_events():
            if event == "start":
                open_tags.append(element.tag)
                continue
            open_tags.pop()
            if not open_tags:
                root = element
                break
        if root is None:
            parser.close()
    except ET.ParseError as exc:
        error = exc
    entity = _unknown_entity(data)
    if entity and (error is None or error.position[0] >= entity[0]):
        raise ArtifactError(f"parsing JUnit XML: XML syntax error on line {entity[0]}: invalid "
                            f"character entity {entity[1]}")
    if root is None:
        raise ArtifactError(f"parsing JUnit XML: {_go_xml_error(data, error, open_tags)}")
    report = ArtifactReport()

    def walk(node: ET.Element) -> None:
        for case in node.findall("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                report.record(case.get("name", ""), Outcome.FAIL)
            elif case.find("skipped") is not None:
                report.record(case.get("name", ""), Outcome.SKIP)
            else:
                report.record(case.get("name", ""), Outcome.PASS)
        for suite in node.findall("testsuite"):
            walk(suite)

    walk(root)
    if not report.tests:
        raise ArtifactError("parsing JUnit XML: no <testcase> elements found")
    return report


def _unknown_entity(data: bytes) -> tuple[int, str] | None:
    """Go knows only the five predefined entities and ignores a DTD's declarations, so the
    first other reference after the DTD is an error (which expat would expand or reject)."""
    if b"&" not in data:
        return None
    text = _UNPARSED.sub(lambda m: "\n" * m.group(0).count("\n"),
                         data.decode("utf-8", "replace"))  # lines kept for the line number
    start = _FIRST_ELEMENT.search(text)
    reference = _ENTITY.search(text, start.start() if start else 0)
    if reference is None:
        return None
    return text.count("\n", 0, reference.start()) + 1, reference.group(0)


def _go_xml_error(data: bytes, error: ET.ParseError | None, open_tags: list[str]) -> str:
    """encoding/xml's words where they are predictable."""
    if error is None or b"<" not in data:
        return "EOF"  # Go skips text until the first element: without one it reaches EOF
    line, column = error.position
    if str(error).startswith("no element found"):
        lines = data.count(b"\n") + 1
        return f"XML syntax error on line {lines}: unexpected EOF"
    if str(error).startswith("mismatched tag") and open_tags:
        text = data.decode("utf-8", "replace").split("\n")[line - 1][column:]
        closing = re.match(r"[^\s>/]+", text)
        if closing:
            return (f"XML syntax error on line {line}: element <{open_tags[-1]}> closed by "
                    f"</{closing.group(0)}>")
    return f"XML syntax error on line {line}: {error}"


def _go_test_json(lines: Iterable[str]) -> ArtifactReport:
    report = ArtifactReport()
    package_failures = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip(GO_TRIM_SPACE)
        if not line:
            continue
        event = _go_event(line, number)
        outcome = {"pass": Outcome.PASS, "fail": Outcome.FAIL, "skip": Outcome.SKIP}.get(
            event["Action"])
        if outcome is None:
            continue
        if event["Test"] == "":
            if outcome is Outcome.FAIL:
                package_failures.append(event["Package"])
            continue
        report.record(event["Test"], outcome)
    if not report.failures:
        report.failures = [f"package {package}" for package in package_failures]
    if not report.tests and not report.failures:
        raise ArtifactError("parsing go test JSON: no test events found")
    return report


def _go_event(line: str, number: int) -> dict[str, str]:
    """json.Unmarshal into {Action, Package, Test string}: keys match case-insensitively,
    the last one wins, other keys are ignored, null leaves a field empty."""
    where = f"parsing go test JSON at line {number}"
    try:
        value = json.loads(line, object_pairs_hook=_Object, parse_constant=_go_constant)
    except json.JSONDecodeError as exc:
        raise ArtifactError(f"{where}: {_go_syntax_error(line, exc)}") from None
    except _Constant:
        raise ArtifactError(f"{where}: {_constant_error(line)}") from None
    if value is None:
        return dict.fromkeys(_EVENT_FIELDS, "")
    if not isinstance(value, _Object):
        raise ArtifactError(f"{where}: json: cannot unmarshal {_json_kind(value)} into Go value "
                            "of type main.goTestEvent")
    event = dict.fromkeys(_EVENT_FIELDS, "")
    for key, item in value:
        name = next((f for f in _EVENT_FIELDS if f.lower() == key.lower()), None)
        if name is None or item is None:
            continue
        if not isinstance(item, str):
            raise ArtifactError(f"{where}: json: cannot unmarshal {_json_kind(item)} into Go "
                                f"struct field goTestEvent.{name} of type string")
        event[name] = item
    return event


class _Constant(Exception):
    """NaN, Infinity or -Infinity, which Python reads and Go rejects."""


def _go_constant(name: str) -> Any:
    raise _Constant(name)


def _constant_error(line: str) -> str:
    """Go's error at the first NaN or Infinity outside strings."""
    for index, char in _outside_strings(line):
        if line.startswith(("NaN", "Infinity"), index):
            return f"invalid character '{char}' looking for beginning of value"
        if line.startswith("-Infinity", index):
            return "invalid character 'I' in numeric literal"
    return "invalid character looking for beginning of value"


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object" if isinstance(value, _Object) else "array"


def _go_syntax_error(line: str, exc: json.JSONDecodeError) -> str:
    """encoding/json's words for Python's syntax errors (it names the offending byte)."""
    if exc.pos >= len(line) or exc.msg.startswith("Unterminated string"):
        return "unexpected end of JSON input"
    char = _go_char(line[exc.pos])
    if exc.msg.startswith("Invalid \\escape"):
        return f"invalid character {_go_char(line[exc.pos + 1])} in string escape code"
    if exc.msg.startswith("Invalid \\uXXXX"):
        bad = next(c for c in line[exc.pos + 2:exc.pos + 6] if c not in string.hexdigits)
        return f"invalid character {_go_char(bad)} in \\u hexadecimal character escape"
    if exc.msg.startswith("Expecting ',' delimiter"):
        after = "object key:value pair" if _innermost(line, exc.pos) == "{" else "array element"
        return f"invalid character {char} after {after}"
    words = {"Expecting property name": "looking for beginning of object key string",
             "Expecting ':' delimiter": "after object key",
             "Extra data": "after top-level value",
             "Invalid control character": "in string literal"}
    return f"invalid character {char} " + next(
        (w for m, w in words.items() if exc.msg.startswith(m)), "looking for beginning of value")


def _innermost(line: str, pos: int) -> str:
    """The bracket ({ or [) open at ``pos``."""
    stack = []
    for index, char in _outside_strings(line):
        if index >= pos:
            break
        if char in "{[":
            stack.append(char)
        elif char in "}]" and stack:
            stack.pop()
    return stack[-1] if stack else ""


def _outside_strings(line: str) -> Iterator[tuple[int, str]]:
    in_string = escaped = False
    for index, char in enumerate(line):
        if not in_string:
            in_string = char == '"'
            yield index, char
        elif escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            in_string = False


_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
               "\t": "\\t", "\v": "\\v", "\\": "\\\\", "'": "\\'"}


def _go_char(char: str) -> str:
    """Go's quoteChar: the first byte of the character, as the rune of that value."""
    byte = char.encode("utf-8", "surrogatepass")[0]
    shown = chr(byte)
    if shown in _GO_ESCAPES:
        shown = _GO_ESCAPES[shown]
    elif not shown.isprintable():
        shown = f"\\x{byte:02x}" if byte < 0x80 else f"\\u{byte:04x}"
    return f"'{shown}'"


def _e2e_log(lines: Iterable[str]) -> ArtifactReport:
    report = ArtifactReport()
    for line in lines:
        match = _E2E_RESULT.match(line)
        if match:
            report.record(match.group(2), {"PASS": Outcome.PASS, "FAIL": Outcome.FAIL,
                                           "SKIP": Outcome.SKIP}[match.group(1)])
    if not report.tests:
        raise ArtifactError("parsing e2e log: no '--- PASS/FAIL/SKIP:' result lines found")
    return report
