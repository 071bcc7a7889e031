"""Turn a ``go test -json`` stream (test2json events) into the suite's three artifacts.

The names are the ones CNCF CI parses by exact name (``scripts/validate.go``):

- ``results.json``: the event stream itself, as the suite's README makes it
  (``go test -v ./test -json > results.json``);
- ``e2e.log``: every ``Output`` event concatenated, which is the ``go test -v`` log the README
  tees into ``e2e.log`` (its ``--- PASS/FAIL/SKIP:`` lines are what CI reads);
- ``junit.xml``: one ``<testsuite>`` per package and one ``<testcase>`` per test and subtest, as
  gotestsum writes it (a package that failed without a failing test gets a ``TestMain`` case).

The stream is read line by line: a suite run can log a lot.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from xml.etree.ElementTree import Element, ElementTree, SubElement, indent

from generator.errors import InputError
from generator.evidence.verdicts import Status
from generator.importers.formats import GO_ACTIONS, go_test_events
from generator.layout import E2E_LOG, JUNIT_XML, RESULTS_JSON

PACKAGE_CASE = "TestMain"  # a package's own failure, as a case (go test never names a test so)
_KEEP_OUTPUT = 200  # lines of a test's output kept for its JUnit failure/skip text
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # e.g. colour escapes


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


@dataclass
class TestRun:
    name: str
    package: str
    status: Status = Status.UNKNOWN  # passed, failed, skipped; unknown if the stream ended
    elapsed: float = 0.0
    output: list[str] = field(default_factory=list)


@dataclass
class PackageRun:
    name: str
    status: Status = Status.UNKNOWN
    elapsed: float = 0.0
    started: str | None = None
    tests: dict[str, TestRun] = field(default_factory=dict)

    @property
    def failed_without_test(self) -> bool:
        return self.status is Status.FAILED and not any(
            t.status is Status.FAILED for t in self.tests.values())

    def failure_case(self) -> TestRun | None:
        """A package that failed without a failing test (a build failure, a panic in TestMain,
        a flag the suite does not define) as one failed case, as gotestsum reports it; its
        output is the package's own (:func:`whole_output`)."""
        if not self.failed_without_test:
            return None
        return TestRun(PACKAGE_CASE, self.name, Status.FAILED, self.elapsed,
                       [f"package {self.name} failed without a failing test (a build failure, "
                        "a panic or a timeout)\n"])


_TYPED: dict[str, type | tuple[type, ...]] = {"Package": str, "ImportPath": str, "Test": str,
                                               "Elapsed": (int, float)}


def events(path: Path) -> Iterator[dict[str, Any]]:
    """The stream's events, each field read by name checked: an edited ``results.json`` is an
    error naming its line, never a traceback."""
    for number, event in go_test_events(path):
        for key, kind in _TYPED.items():
            value = event.get(key)
            if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
                raise InputError(f"{path}:{number}: go test -json event: {key} is a JSON "
                                 f"{type(value).__name__}, not a "
                                 f"{'string' if kind is str else 'number'}")
        yield event


def _package(event: dict[str, Any]) -> str:
    return str(event.get("Package") or event.get("ImportPath") or "")


def read_runs(stream: Path, log: TextIO | None = None) -> list[PackageRun]:
    """What ran, per package, each test's output head kept; every ``Output`` also goes to
    ``log`` (the ``e2e.log``), so the stream is read once."""
    packages: dict[str, PackageRun] = {}
    for event in events(stream):
        name = _package(event)
        package = packages.setdefault(name, PackageRun(name))
        package.started = package.started or event.get("Time")
        action, test, output = event.get("Action"), event.get("Test"), event.get("Output")
        if isinstance(output, str) and log:
            log.write(output)
        if not test:
            if action in GO_ACTIONS:
                package.status = GO_ACTIONS[action]
                package.elapsed = float(event.get("Elapsed") or 0)
            elif action == "build-fail":
                package.status = Status.FAILED
            continue
        run = package.tests.setdefault(test, TestRun(test, name))
        if isinstance(output, str) and len(run.output) < _KEEP_OUTPUT:
            run.output.append(output)
        if action in GO_ACTIONS:
            run.status, run.elapsed = GO_ACTIONS[action], float(event.get("Elapsed") or 0)
    return [p for p in packages.values() if p.name or p.tests]


def whole_output(stream: Path, tests: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The whole output of a few (package, test) pairs, which :func:`read_runs` cuts: what a
    failing test said last is what an excerpt must show (a package's own output is its
    :data:`PACKAGE_CASE`'s)."""
    found: dict[tuple[str, str], list[str]] = {key: [] for key in tests}
    for event in events(stream) if tests else ():
        key = (_package(event), str(event.get("Test") or PACKAGE_CASE))
        output = event.get("Output")
        if key in found and isinstance(output, str):
            found[key].append(output)
    return {key: "".join(lines) for key, lines in found.items()}


def convert(stream: Path, folder: Path) -> list[PackageRun]:
    """Write the three artifacts into ``folder``; return what ran, per package."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / E2E_LOG).open("w", encoding="utf-8") as log:
        runs = read_runs(stream, log)
    if stream.resolve() != (folder / RESULTS_JSON).resolve():
        shutil.copyfile(stream, folder / RESULTS_JSON)
    _write_junit(runs, folder / JUNIT_XML)
    return runs


def _write_junit(packages: list[PackageRun], path: Path) -> None:
    root = Element("testsuites")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for package in packages:
        case = package.failure_case()
        cases = [*package.tests.values(), *([case] if case else [])]
        counts = {"tests": len(cases), "failures": sum(c.status is Status.FAILED for c in cases),
                  "errors": 0, "skipped": sum(c.status is Status.SKIPPED for c in cases)}
        for key in totals:
            totals[key] += counts[key]
        suite = SubElement(root, "testsuite", {
            "name": package.name, **{k: str(v) for k, v in counts.items()},
            "time": f"{package.elapsed:.3f}", "timestamp": package.started or ""})
        for case in cases:
            element = SubElement(suite, "testcase", {"classname": package.name,
                                                     "name": _xml(case.name),
                                                     "time": f"{case.elapsed:.3f}"})
            if case.status in (Status.FAILED, Status.UNKNOWN):
                failure = SubElement(element, "failure", {
                    "message": "Failed" if case.status is Status.FAILED else
                    "the test did not finish (the run ended first)", "type": ""})
                failure.text = _xml("".join(case.output))
            elif case.status is Status.SKIPPED:
                SubElement(element, "skipped",
                           {"message": _xml("".join(case.output).strip()[:2000])})
    root.attrib.update({k: str(v) for k, v in totals.items()})
    indent(root)
    ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
