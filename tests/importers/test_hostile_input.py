"""Hostile or broken test logs: one line naming the file (and line), exit 2, nothing written;
a huge report is streamed and capped, never held whole."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

GO_EVENT = '{"Action": "pass", "Test": "TestGangScheduling", "Package": "p", "Elapsed": 1}\n'


@pytest.mark.parametrize(("name", "content", "words"), [
    ("bad-time.xml", '<testsuite><testcase name="TestGangScheduling" time="abc"/></testsuite>',
     "test duration 'abc' is not a number"),
    ("html.xml", "<html><body>not junit</body></html>", "not JUnit XML (root element <html>"),
    ("broken.xml", "<testsuite><testcase name='x'></testsuite>", ":1: invalid JUnit XML"),
    ("list.json", '{"Action": "run"}\n[1, 2]\n', "list.json:2: not a go test -json event (a JSON "
     "list"),
    ("number.json", '{"Action": "run"}\n123\n', "number.json:2: not a go test -json event"),
    ("test-list.json", '{"Action": "pass", "Test": ["a"]}\n', "test-list.json:1: go test -json "
     "event with a non-string Test"),
    ("elapsed.json", GO_EVENT.replace('"Elapsed": 1', '"Elapsed": "abc"'),
     "elapsed.json:1: test duration 'abc' is not a number"),
])
def test_broken_logs_are_one_line_errors_and_write_nothing(workspace: Path, run_cli,
                                                           name: str, content: str,
                                                           words: str) -> None:
    source = workspace / name
    source.write_text(content)
    result = run_cli("import", source, "--workspace", workspace, "--requirement",
                     "gang_scheduling")
    assert result.exit_code == 2, result.stdout
    assert words in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (workspace / "evidence").exists()


def test_a_file_of_no_known_format_among_several_is_said_before_any_import(
        workspace: Path, run_cli) -> None:
    """A failed command must not leave the files before the bad one imported."""
    good, bad = workspace / "go.json", workspace / "notes.txt"
    good.write_text(GO_EVENT)
    bad.write_text("meeting notes\n")
    result = run_cli("import", good, bad, "--workspace", workspace)
    assert result.exit_code == 2 and "notes.txt: not a JUnit XML" in result.stderr
    assert not (workspace / "evidence").exists()


def test_a_bad_duration_leaves_no_record_that_breaks_later_runs(workspace: Path, run_cli
                                                                ) -> None:
    bad = workspace / "bad.json"
    bad.write_text(GO_EVENT.replace('"Elapsed": 1', '"Elapsed": "abc"'))
    assert run_cli("import", bad, "--workspace", workspace).exit_code == 2
    good = workspace / "good.json"
    good.write_text(GO_EVENT)
    assert run_cli("import", good, "--workspace", workspace).exit_code == 0
    assert run_cli("validate", "--workspace", workspace).exit_code != 2


def test_too_many_tests_for_one_requirement_are_refused(workspace: Path, run_cli) -> None:
    source = workspace / "many.xml"
    source.write_text("<testsuite>" + "<testcase name='t'/>" * 5001 + "</testsuite>")
    result = run_cli("import", source, "--workspace", workspace, "--requirement",
                     "gang_scheduling")
    assert result.exit_code == 2 and "more than 5,000 tests map to gang_scheduling" in \
        result.stderr
    assert not (workspace / "evidence").exists()


def test_a_large_junit_report_is_streamed(tmp_path: Path) -> None:
    """60 MB of test cases parse in bounded memory (a whole-tree parser takes ~30x the file)."""
    report = tmp_path / "big.xml"
    case = "<testcase classname='c' name='TestSomething' time='0.1'><skipped message='s'/>" \
           "</testcase>\n"
    with report.open("w") as handle:
        handle.write("<testsuites><testsuite>")
        for _ in range(60 * 1024 * 1024 // len(case)):
            handle.write(case)
        handle.write("</testsuite></testsuites>")
    script = ("import resource, sys; from pathlib import Path;"
              "from generator.importers.formats import parse;"
              f"n = sum(1 for _ in parse(Path({str(report)!r}), 'junit'));"
              "print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2]).stdout.split()
    count, peak_mb = int(out[0]), int(out[1])
    assert count > 500_000
    assert peak_mb < 150, f"peak RSS {peak_mb} MB for a 60 MB report"
