"""Evaluate a step's expectation against one attempt's exit code and captured output.

Expectations read at most EXPECT_MAX_BYTES of a stream: a step printing 100 MB is kept in
full on disk, but only its beginning is held in memory to be judged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from string import Template
from typing import Any, BinaryIO

from generator.procedures.builtins import BUILTINS
from generator.procedures.model import Expect, render
from generator.procedures.verdict import Verdict

EXPECT_MAX_BYTES = 8 * 1024 * 1024

# A probe that could not run proves nothing, whatever the expectation (absence included).
# 126/127 are the shell's "cannot execute" / "not found" (POSIX 2.8.2); kubectl exec exits with
# the container command's code (kubernetes/kubectl pkg/cmd/util/helpers.go checkErr:
# utilexec.ExitError -> handleErr(msg, ExitStatus())).  The texts: bash "bash: line 1: X:
# command not found", dash "sh: 1: X: not found", busybox "sh: X: not found", and the runtime's
# 'OCI runtime exec failed: ... exec: "X": executable file not found in $PATH' (runc reports
# Go's exec.ErrNotFound, via kubectl exec or a pod's status).
PROBE_MISSING_CODES = frozenset({126, 127})
PROBE_MISSING = re.compile(r"command not found|executable file not found"
                           r"|^(?:\S+: )+(?:\d+: )?\S+: not found$", re.MULTILINE)


def read_capped(path: Path) -> str:
    with path.open("rb") as handle:
        return capped_text(handle)


def capped_text(handle: BinaryIO) -> str:
    """What an expectation reads of a stream: its first EXPECT_MAX_BYTES, as UTF-8 (``judge``
    reads procedure.sh's captured output the same way)."""
    return handle.read(EXPECT_MAX_BYTES).decode("utf-8", errors="replace")


def describe(expect: Expect, params: dict[str, Any] | None = None) -> str:
    """The expectation in words (with parameters filled in where known), for people."""
    if params is not None:
        return Template(describe(expect)).safe_substitute({k: str(v) for k, v in params.items()})
    parts = [{"any": "any exit code", "nonzero": "a non-zero exit code"}.get(
        str(expect.exit_code), f"exit code {expect.exit_code}")]
    on = "" if expect.stream == "stdout" else " on stderr"
    if expect.equals is not None:
        parts.append(f"output{on} is {expect.equals!r}")
    if expect.regex:
        parts.append(f"a line{on} matches /{expect.regex}/")
    if expect.not_regex:
        parts.append(f"no line{on} matches /{expect.not_regex}/")
    if expect.count:
        bounds = ", ".join(f"{k} {v}" for k, v in expect.count.items() if k != "regex")
        parts.append(f"lines{on} matching /{expect.count['regex']}/: {bounds}")
    if expect.builtin:
        parts.append(f"builtin check {expect.builtin['name']}")
    if expect.tolerate:
        parts.append(f"exit code {expect.tolerate.exit_code} is accepted when a stderr line "
                     f"matches /{expect.tolerate.stderr}/")
    return "; ".join(parts)


def probe_missing(exit_code: int, stdout: str, stderr: str) -> str | None:
    """Why the probe did not run (exit 126/127, "command not found"), or None."""
    if exit_code in PROBE_MISSING_CODES:
        return f"exit code {exit_code}: the probe command could not be run"
    found = PROBE_MISSING.search(stderr) or PROBE_MISSING.search(stdout)
    return f"the probe command is missing: {found.group(0)[:200]!r}" if found else None


def _exit_ok(expected: int | str, actual: int) -> bool:
    if expected == "any":
        return True
    if expected == "nonzero":
        return actual != 0
    return actual == expected


def _count_verdict(text: str, count: dict[str, Any]) -> Verdict | None:
    regex = re.compile(count["regex"], re.MULTILINE)
    found = sum(1 for line in text.splitlines() if regex.search(line))
    bounds = {k: int(v) for k, v in count.items() if k != "regex"}
    bad = (("equals" in bounds and found != bounds["equals"])
           or ("min" in bounds and found < bounds["min"])
           or ("max" in bounds and found > bounds["max"]))
    if bad:
        want = ", ".join(f"{k} {v}" for k, v in bounds.items())
        return Verdict(False, f"{found} lines match /{count['regex']}/, expected {want}")
    return None


def evaluate(expect: Expect, params: dict[str, Any], exit_code: int | None, timed_out: bool,
             stdout: Path, stderr: Path, where: str) -> Verdict:
    """Judge one attempt; ``expect`` is rendered with ``params`` first."""
    if timed_out:
        return Verdict(False, "the command timed out")
    if exit_code is None:
        return Verdict(False, "the command did not run")

    def tpl(value: str) -> str:
        return render(value, params, where)

    out, err = read_capped(stdout), read_capped(stderr)
    if missing := probe_missing(exit_code, out, err):
        return Verdict(False, f"{missing}; this proves nothing either way: fix the image or "
                              "command parameters")
    tolerated = ""
    if not _exit_ok(expect.exit_code, exit_code):
        line = (next((line for line in err.splitlines()
                      if re.search(tpl(expect.tolerate.stderr), line)), None)
                if expect.tolerate and expect.tolerate.exit_code == exit_code else None)
        if line is None:
            return Verdict(False, f"exit code {exit_code}, expected {expect.exit_code}")
        tolerated = f" (exit code {exit_code} accepted: {line.strip()[:300]})"
    verdict = _judge_output(expect, out if expect.stream == "stdout" else err, tpl)
    if verdict.ok and verdict.message == "":
        verdict = Verdict(True, describe(expect, params))
    return Verdict(verdict.ok, verdict.message + tolerated, verdict.limit)


def _judge_output(expect: Expect, text: str, tpl: Callable[[str], str]) -> Verdict:
    """The output expectations, in order; an ok verdict with no message means all held."""
    if expect.equals is not None and text.strip() != tpl(expect.equals):
        return Verdict(False, f"output is {text.strip()[:200]!r}, expected {tpl(expect.equals)!r}")
    if expect.regex and not re.search(tpl(expect.regex), text, re.MULTILINE):
        return Verdict(False, f"no line matches /{tpl(expect.regex)}/")
    if expect.not_regex and (found := re.search(tpl(expect.not_regex), text, re.MULTILINE)):
        return Verdict(False, f"unexpected output {found.group(0)[:200]!r}")
    if expect.count:
        counted = _count_verdict(text, {k: tpl(str(v)) if k != "regex" else tpl(v)
                                        for k, v in expect.count.items()})
        if counted:
            return counted
    if expect.builtin:
        return BUILTINS[expect.builtin["name"]](text, builtin_args(expect.builtin, tpl))
    return Verdict(True, "")


def builtin_args(builtin: dict[str, Any], tpl: Callable[[str], str]) -> dict[str, Any]:
    """A builtin's args as it receives them: its string args rendered, others as written
    (procedure.sh hands the judge the same, with run-time captures as quoted words)."""
    return {k: tpl(v) if isinstance(v, str) else v for k, v in (builtin.get("args") or {}).items()}


_DESCRIBED_PATTERN = re.compile(
    r"(?:a line|lines)(?P<stderr> on stderr)? (?:matches|matching) /(?P<regex>.*)/(?::.*)?")
_DESCRIBED_EQUALS = re.compile(r"output(?P<stderr> on stderr)? is (?P<literal>'.*'|\".*\")")


def described_patterns(description: str) -> list[tuple[str, re.Pattern[str]]]:
    """The inverse of :func:`describe` for what a reader looks for in the output: per stream,
    the patterns whose matching lines decided the step (an unreadable one is skipped)."""
    found: list[tuple[str, re.Pattern[str]]] = []
    for part in description.split("; "):
        if match := _DESCRIBED_PATTERN.fullmatch(part):
            source = match["regex"]
        elif match := _DESCRIBED_EQUALS.fullmatch(part):
            source = "^" + re.escape(match["literal"][1:-1]) + "$"
        else:
            continue
        try:
            found.append(("stderr" if match["stderr"] else "stdout", re.compile(source)))
        except re.error:
            continue
    return found
