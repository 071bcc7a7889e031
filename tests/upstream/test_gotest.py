"""The go test -json stream as the suite's artifacts, read the way CNCF's validator reads them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.upstream.gotest import convert, read_runs
from tests.upstream.conftest import STREAMS

_RESULT_LINE = re.compile(r"^\s*--- (PASS|FAIL|SKIP): (\S+)")  # validate.go's e2e.log reading


def _events(*events: dict) -> str:
    return "".join(json.dumps({"Package": "p", **e}) + "\n" for e in events)


def test_e2e_log_is_the_verbose_log_and_junit_holds_every_test(tmp_path: Path) -> None:
    runs = convert(STREAMS / "fail-secure.jsonl", tmp_path)
    log = (tmp_path / "e2e.log").read_text(encoding="utf-8")
    outputs = "".join(json.loads(line).get("Output", "") for line in
                      (STREAMS / "fail-secure.jsonl").read_text(encoding="utf-8").splitlines())
    assert log == outputs
    results = {m.group(2): m.group(1) for line in log.splitlines()
               if (m := _RESULT_LINE.match(line))}
    assert results["TestSecureAcceleratorAccess/NegativeIsolationTest"] == "FAIL"
    assert results["TestWorkloadSandboxing"] == "PASS"
    suite = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "2"  # the subtest and its parent
    failing = [c for c in suite.iter("testcase") if c.find("failure") is not None]
    assert "sees accelerator devices" in (failing[-1].find("failure").text or "")
    assert runs[0].status == "failed"


def test_a_package_failure_without_a_failing_test_is_a_junit_testmain_failure(
        tmp_path: Path) -> None:
    stream = tmp_path / "panic.jsonl"
    stream.write_text(_events(
        {"Action": "start"}, {"Action": "run", "Test": "TestA"},
        {"Action": "output", "Test": "TestA", "Output": "=== RUN   TestA\n"},
        {"Action": "output", "Output": "panic: test timed out after 1m0s\x1b[0m\n"},
        {"Action": "output", "Output": "FAIL\tp\t60.012s\n"},
        {"Action": "fail", "Elapsed": 60.012}), encoding="utf-8")
    convert(stream, tmp_path / "out")
    cases = {c.get("name"): c for c in ET.parse(tmp_path / "out" / "junit.xml").iter("testcase")}
    assert cases["TestMain"].find("failure") is not None
    assert cases["TestA"].find("failure").get("message").startswith("the test did not finish")
    assert "\x1b" not in (tmp_path / "out" / "junit.xml").read_text(encoding="utf-8")


def test_skips_are_junit_skipped_with_the_suites_reason(tmp_path: Path) -> None:
    convert(STREAMS / "autoscaling-skipped.jsonl", tmp_path)
    case = next(c for c in ET.parse(tmp_path / "junit.xml").iter("testcase")
                if c.get("name") == "TestAcceleratorClusterAutoscaling")
    assert "set -autoscaler-node-pool-label" in case.find("skipped").get("message")


def test_an_edited_stream_is_an_error_naming_its_line(tmp_path: Path) -> None:
    (tmp_path / "results.json").write_text(_events({"Action": "run", "Test": "TestA"},
                                                   {"Action": "pass", "Test": ["<b>"]}))
    with pytest.raises(InputError, match=r"results\.json:2: go test -json event: Test is a "
                                         r"JSON list, not a string"):
        read_runs(tmp_path / "results.json")
