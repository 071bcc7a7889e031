"""Each runner's format is detected from content and parsed into the same test records."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import InputError
from generator.importers.formats import detect, parse
from tests.conftest import DATA

FIXTURES = DATA / "importers"
GO_RESULTS = {
    "TestSecureAcceleratorAccess/pod_without_request_sees_no_device": "passed",
    "TestSecureAcceleratorAccess": "passed",
    "TestGangScheduling": "failed",
    "TestAcceleratorClusterAutoscaling": "skipped",
}


@pytest.mark.parametrize(("name", "fmt"), [
    ("go-test.json", "go-test-json"), ("go-test-v.log", "go-test-v"),
    ("gotestsum-junit.xml", "junit"), ("ginkgo-junit.xml", "junit"),
])
def test_format_is_detected_from_content(name: str, fmt: str) -> None:
    assert detect(FIXTURES / name) == fmt


@pytest.mark.parametrize("name", ["go-test.json", "go-test-v.log", "gotestsum-junit.xml"])
def test_go_suite_results_agree_across_formats(name: str) -> None:
    path = FIXTURES / name
    cases = {c.name: c for c in parse(path, detect(path))}
    assert {n: cases[n].status for n in GO_RESULTS} == GO_RESULTS
    assert cases["TestGangScheduling"].seconds == 60.0


def test_failure_messages_are_kept() -> None:
    path = FIXTURES / "go-test.json"
    cases = {c.name: c for c in parse(path, "go-test-json")}
    assert "context deadline exceeded" in cases["TestGangScheduling"].message
    ginkgo = {c.name: c for c in parse(FIXTURES / "ginkgo-junit.xml", "junit")}
    failed = next(c for n, c in ginkgo.items() if "Gang Scheduling" in n)
    assert failed.status == "failed" and failed.message.startswith("Timed out after 45.001s.")


def test_unknown_content_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "results.txt"
    bogus.write_text("hello\n")
    with pytest.raises(InputError, match="not a JUnit XML"):
        detect(bogus)
    broken = tmp_path / "junit.xml"
    broken.write_text("<testsuites><testsuite>")
    with pytest.raises(InputError, match="invalid JUnit XML"):
        list(parse(broken, "junit"))


def test_real_sonobuoy_junit_parses(conformance_repo: Path) -> None:
    path = conformance_repo / "v1.33" / "daocloud" / "junit_01.xml"
    cases = list(parse(path, detect(path)))
    assert len(cases) == 7148
    assert sum(c.status == "skipped" for c in cases) == 7136


@pytest.mark.parametrize(("name", "role"), [
    ("TestSecureAcceleratorAccess/pod_without_request_sees_no_device", "negative"),
    ("[It] Secure Accelerator Access nvidia device plugin can not access devices", "negative"),
    ("TestSecureAcceleratorAccess/pod_with_one_gpu_sees_exactly_one", "positive"),
])
def test_negative_cases_are_recognised_in_go_and_ginkgo_names(name: str, role: str) -> None:
    from generator.importers.mapping import role_of

    assert role_of(name) == role
