"""Parse the test-log formats conformance runners write, detected from content, not name.

Every parser yields :class:`TestCase` records in file order; the files can be large (a Sonobuoy
JUnit with thousands of skipped cases), so go test streams are read line by line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.etree.ElementTree import ParseError

from generator.errors import InputError
from generator.evidence.verdicts import Status

_GO_V_RESULT = re.compile(r"^\s*--- (PASS|FAIL|SKIP): (\S+)(?: \(([\d.]+)s\))?")
GO_ACTIONS = {"pass": Status.PASSED, "fail": Status.FAILED, "skip": Status.SKIPPED}  # test2json
_GO_VERDICTS = {action.upper(): status for action, status in GO_ACTIONS.items()}  # go test -v


@dataclass(frozen=True)
class TestCase:
    name: str
    status: Status  # passed, failed or skipped
    seconds: float | None
    message: str | None = None
    classname: str | None = None


def detect(path: Path) -> str:
    """``junit``, ``go-test-json`` or ``go-test-v``, from the first bytes of the file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if head.startswith("<"):
        return "junit"
    if head.startswith("{") and '"Action"' in head:
        return "go-test-json"
    if re.search(r"^(=== RUN|--- (PASS|FAIL|SKIP)|PASS$|FAIL\s|ok\s)", head, re.M):
        return "go-test-v"
    raise InputError(f"{path}: not a JUnit XML, go test -json or go test -v log")


def parse(path: Path, fmt: str) -> Iterator[TestCase]:
    return {"junit": _junit, "go-test-json": _go_json, "go-test-v": _go_verbose}[fmt](path)


def _junit(path: Path) -> Iterator[TestCase]:
    """Stream ``<testcase>`` elements (at any nesting depth) and drop each once read, so a
    200 MB report costs what one test case does."""
    depth = 0
    try:
        for event, element in ElementTree.iterparse(path, events=("start", "end")):
            tag = element.tag.rpartition("}")[2]
            if event == "start":
                if depth == 0 and tag not in ("testsuites", "testsuite"):
                    raise InputError(f"{path}: not JUnit XML (root element <{tag}>, expected "
                                     "<testsuites> or <testsuite>)")
                depth += 1
                continue
            depth -= 1
            if tag == "testcase":
                yield _junit_case(path, element)
                element.clear()
    except ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise InputError(f"{path}:{line}: invalid JUnit XML: {exc.msg}") from exc


def _junit_case(path: Path, element: ElementTree.Element) -> TestCase:
    status, message = Status.PASSED, None
    for child in element:
        tag = child.tag.rpartition("}")[2]
        if tag in ("failure", "error"):
            status, message = Status.FAILED, child.get("message") or child.text
            break
        if tag == "skipped":
            status, message = Status.SKIPPED, child.get("message")
    return TestCase(element.get("name") or "", status, _seconds(path, element.get("time")),
                    _first_line(message), element.get("classname"))


def _seconds(path: Path, value: object, line: int | None = None) -> float | None:
    """A duration as runners write it (``"1.5"``, ``1.5``, ``"1,234.5"``); nonsense is an error
    of the file, never a value passed on."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        value = "bool"
    try:
        seconds = float(str(value).replace(",", ""))
    except ValueError:
        where = f"{path}:{line}" if line else str(path)
        raise InputError(f"{where}: test duration {str(value)[:40]!r} is not a number") from None
    return seconds if seconds >= 0 and seconds == seconds else None


def go_test_events(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``go test -json`` events with their line numbers, each checked to be a JSON object."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                event = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not a go test -json event: {exc.msg}") from exc
            if not isinstance(event, dict):
                raise InputError(f"{path}:{number}: not a go test -json event (a JSON "
                                 f"{type(event).__name__}, expected an object)")
            yield number, event


def _go_json(path: Path) -> Iterator[TestCase]:
    """Final action per test; output of failed tests kept as their message."""
    outcomes: dict[str, TestCase] = {}
    output: dict[str, list[str]] = {}
    for number, event in go_test_events(path):
        test, action = event.get("Test"), event.get("Action")
        if not test:
            continue
        if not isinstance(test, str) or not isinstance(action, str | None):
            raise InputError(f"{path}:{number}: go test -json event with a non-string "
                             "Test or Action")
        if action == "output":
            lines = output.setdefault(test, [])
            if len(lines) < 50:
                lines.append(str(event.get("Output", "")).rstrip())
        elif action in GO_ACTIONS:
            status = GO_ACTIONS[action]
            lines = output.pop(test, [])
            message = _failure_text(lines) if status is not Status.PASSED else None
            package = event.get("Package")
            outcomes[test] = TestCase(test, status, _seconds(path, event.get("Elapsed"),
                                                             number),
                                      message, package if isinstance(package, str) else None)
    yield from outcomes.values()


def _go_verbose(path: Path) -> Iterator[TestCase]:
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            match = _GO_V_RESULT.match(line)
            if match:
                verdict, name, seconds = match.groups()
                yield TestCase(name, _GO_VERDICTS[verdict], float(seconds) if seconds else None)


def _failure_text(lines: list[str]) -> str | None:
    useful = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith(
        ("=== ", "--- "))]
    return " | ".join(useful[-3:])[:500] if useful else None


def _first_line(text: str | None) -> str | None:
    if not text:
        return None
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:500] or None
