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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from generator.layout import E2E_LOG, JUNIT_XML, RESULTS_JSON
from generator.review import golang

if TYPE_CHECKING:  # loaded by _junit: most reviews meet no junit.xml
    import xml.etree.ElementTree as ET


class Outcome(Enum):
    UNKNOWN = "not found"
    PASS = "passed"
    FAIL = "failed"
    SKIP = "skipped"


ARTIFACT_NAMES = {JUNIT_XML: "junit", RESULTS_JSON: "go-test-json", E2E_LOG: "e2e-log"}
_READING = {"junit": "parsing JUnit XML", "go-test-json": "reading go test JSON",
            "e2e-log": "reading e2e log"}  # how the validator's errors start, per kind
_E2E_RESULT = re.compile(rf"^[{golang.RE2_SPACE}]*--- (PASS|FAIL|SKIP): ([^{golang.RE2_SPACE}]+)")
_EVENT_FIELDS = ("Action", "Package", "Test")
class _Object(list[tuple[str, Any]]):
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
        raise ArtifactError(f"open {shown}: {golang.errno_text(exc)}") from None
    except ValueError:  # a NUL byte in the path: the syscall's EINVAL
        raise ArtifactError(f"open {shown}: invalid argument") from None
    try:
        with os.fdopen(fd, "rb") as handle:
            return read_artifact(handle, kind)
    except OSError as exc:
        raise ArtifactError(f"{_READING[kind]}: read {shown}: {golang.errno_text(exc)}") from None


def read_artifact(handle: BinaryIO, kind: str) -> ArtifactReport:
    """An open artifact's report: also how build judges the very bytes it ships and cites."""
    if kind == "junit":
        return _junit(handle.read())
    lines = _scan_lines(handle, _READING[kind])
    return _go_test_json(lines) if kind == "go-test-json" else _e2e_log(lines)


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
    import xml.etree.ElementTree as ET

    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    root: ET.Element | None = None
    open_tags: list[str] = []
    error: ET.ParseError | None = None
    try:
        parser.feed(data)
        for event in parser.read_events():
            element = event[1] if len(event) > 1 else None
            if not isinstance(element, ET.Element):
                continue
            if event[0] == "start":
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
    entity = golang.xml_unknown_entity(data)
    if entity and (error is None or error.position[0] >= entity[0]):
        raise ArtifactError(f"parsing JUnit XML: XML syntax error on line {entity[0]}: invalid "
                            f"character entity {entity[1]}")
    if root is None:
        raise ArtifactError(f"parsing JUnit XML: {golang.xml_error(data, error, open_tags)}")
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


def _go_test_json(lines: Iterable[str]) -> ArtifactReport:
    report = ArtifactReport()
    package_failures = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip(golang.TRIM_SPACE)
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
        value = json.loads(line, object_pairs_hook=_Object, parse_constant=golang.reject_constant)
    except json.JSONDecodeError as exc:
        raise ArtifactError(f"{where}: {golang.json_syntax_error(line, exc)}") from None
    except golang.JsonConstant:
        raise ArtifactError(f"{where}: {golang.json_constant_error(line)}") from None
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


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object" if isinstance(value, _Object) else "array"


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
