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
from xml.etree.ElementTree import ParseError

from junitparser import Error, Failure, JUnitXml, Skipped, TestSuite

from generator.errors import InputError
from generator.evidence.model import Status

_GO_V_RESULT = re.compile(r"^\s*--- (PASS|FAIL|SKIP): (\S+)(?: \(([\d.]+)s\))?")
_GO_ACTIONS = {"pass": Status.PASSED, "fail": Status.FAILED, "skip": Status.SKIPPED}
_GO_VERDICTS = {action.upper(): status for action, status in _GO_ACTIONS.items()}  # go test -v


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
    try:
        xml = JUnitXml.fromfile(str(path))
    except (ParseError, ValueError) as exc:
        raise InputError(f"{path}: invalid JUnit XML: {exc}") from exc
    suites = [xml] if isinstance(xml, TestSuite) else list(xml)
    for suite in suites:
        for case in suite:
            results = case.result
            status, message = Status.PASSED, None
            for result in results:
                if isinstance(result, Failure | Error):
                    status, message = Status.FAILED, result.message or result.text
                    break
                if isinstance(result, Skipped):
                    status, message = Status.SKIPPED, result.message
            yield TestCase(case.name or "", status, case.time, _first_line(message),
                           case.classname)


def _go_json(path: Path) -> Iterator[TestCase]:
    """Final action per test; output of failed tests kept as their message."""
    outcomes: dict[str, TestCase] = {}
    output: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                event = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not a go test -json event: {exc.msg}") from exc
            test = event.get("Test")
            if not test:
                continue
            action = event.get("Action")
            if action == "output":
                lines = output.setdefault(test, [])
                if len(lines) < 50:
                    lines.append(event.get("Output", "").rstrip())
            elif action in _GO_ACTIONS:
                status = _GO_ACTIONS[action]
                lines = output.pop(test, [])
                message = _failure_text(lines) if status is not Status.PASSED else None
                outcomes[test] = TestCase(test, status, event.get("Elapsed"), message,
                                          event.get("Package"))
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
