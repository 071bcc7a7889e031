"""``judge``: a builtin on captured output with the tool's own code, exit 0/1 as its verdict,
exit 2 with one line for what it cannot judge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.procedures.builtins import BUILTINS

PODS = json.dumps({"items": [{"metadata": {"name": "a"}, "spec": {"nodeName": "n1"}},
                             {"metadata": {"name": "b"}, "spec": {}}]})


@pytest.mark.parametrize(("words", "args"), [
    (["--args", '{"min": 1}'], {"min": 1}),
    (["--args", '{"min": 2}'], {"min": 2}),
    (["--args", '{"min": 2}', "--arg", "min=1"], {"min": "1"}),  # a captured value: text
    (["--arg", "max=0"], {"max": "0"}),
])
def test_the_verdict_is_the_builtins(run_cli, words: list[str], args: dict[str, object]
                                     ) -> None:
    result = run_cli("judge", "pods_bound", *words, stdin=PODS)
    verdict = BUILTINS["pods_bound"](PODS, args)
    assert (result.exit_code, result.stderr) == (0 if verdict.ok else 1, "")
    assert result.stdout == f"{'passed' if verdict.ok else 'failed'}: {verdict.message}\n"


def test_output_from_a_file(run_cli, tmp_path: Path) -> None:
    (tmp_path / "out").write_text("resource.k8s.io/v1beta1\n")
    result = run_cli("judge", "api_served", tmp_path / "out", "--args",
                     '{"group": "resource.k8s.io", "ga": "v1"}')
    assert result.exit_code == 0 and "at most Partially Implemented" in result.stdout


@pytest.mark.parametrize(("args", "says"), [
    (["no_such_check"], "unknown builtin 'no_such_check' (known: api_served, "),
    (["pods_bound", "--args", "{min: 1"], "--args: not JSON: "),
    (["pods_bound", "--args", "[1]"], "--args: expected a JSON object, not list"),
    (["pods_bound", "--arg", "min"], "--arg 'min': expected NAME=TEXT"),
    (["pods_bound", "--arg", "min=one"], "pods_bound: bad args {\"min\": \"one\"}: ValueError("),
    (["new_names"], "new_names: bad args {}: KeyError('baseline')"),
    (["pods_bound", "missing.txt"], "missing.txt: No such file or directory"),
])
def test_what_cannot_be_judged_is_one_line_and_exit_2(run_cli, tmp_path: Path,
                                                       args: list[str], says: str) -> None:
    result = run_cli("judge", *args, stdin=PODS, cwd=tmp_path)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"k8s-ai-evidence: error: {says}"), result.stderr
