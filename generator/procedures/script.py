"""Export a procedure to ``procedure.sh``: re-runnable with bash and kubectl, asserting what the
tool asserts.

The script runs every check as the engine does (``generator/collect/engine.py``): the same
commands, polls (retry until the expectation holds, or the window ends) and holds (the
expectation must hold on every attempt for the whole window), the same expectations exported
as shell tests, a setup check that fails blocking the checks after it, and the cleanup on exit.
Values a step captures are captured again at run time, validated against their ``captureAs``
kind exactly as the engine validates them, and always used quoted: never baked in, never shell.
Manifests are embedded as templates and rendered at run time with those values.

Builtin checks are judged by the tool's own code, never a second implementation of it:
``$AIC_JUDGE judge`` (``k8s-ai-evidence judge`` by default, see ``generator/commands/judge.py``)
on the step's output, with the args the engine would pass. Without that command a builtin is
judged by its shell form where it has one (``SHELL_BUILTINS``), or said not judged.

Exit codes: 0 every deciding check passed; 1 a setup, positive or negative check failed;
2 nothing failed but some expectation was not judged (no judge for a builtin, or a regex grep
cannot express): the script says which, and the tool's verdict is in result.json.
Parameters are the run's own values (namespace included), written into the script.
"""

from __future__ import annotations

import json
import math
import re
import shlex
from collections.abc import Callable, Collection
from typing import Any

from generator import __version__
from generator.procedures.builtins_accelerators import _MISSING
from generator.procedures.expect import (
    PROBE_MISSING,
    PROBE_MISSING_CODES,
    builtin_args,
    describe,
)
from generator.procedures.model import (
    CAPTURE_KINDS,
    DEFAULT_STEP_TIMEOUT,
    Check,
    Expect,
    Procedure,
    Step,
    number,
    render,
)

DECIDING = ("setup", "positive", "negative")
HEREDOC = "AIC_MANIFEST"
_SENTINEL = "\x00"  # marks a captured value's place while a template is rendered

_HEADER = """#!/usr/bin/env bash
# {title}
# Requirement {requirement}, Kubernetes v{version}, variant {variant}.
# Exported by k8s-ai-evidence {tool_version} from {source}. Re-run it with bash (4.4+),
# kubectl and grep against the current kubectl context: it runs the same checks, polls and
# holds as the tool and judges each step the same way. Builtin checks are judged by the
# tool's own code, "$AIC_JUDGE judge": AIC_JUDGE names that command (by default
# k8s-ai-evidence; empty for none). Exit 0: every deciding check passed; 1: a check failed;
# 2: nothing failed, but an expectation was not judged (no judge; see result.json).
# Values captured from kubectl output are captured again here, validated, and always quoted.
# shellcheck disable=SC2016  # a literal $ in a kubectl template or regex is meant
set -uo pipefail
AIC_JUDGE=${{AIC_JUDGE-k8s-ai-evidence}}  # the judge of builtin checks: "$AIC_JUDGE judge"
if AIC_JUDGE_PATH=$(type -P -- "$AIC_JUDGE"); then  # found here, before cd: kept absolute
  case $AIC_JUDGE_PATH in /*) ;; *) AIC_JUDGE_PATH=$PWD/$AIC_JUDGE_PATH ;; esac
fi
cd "$(dirname "$0")" || exit 3
AIC_OUT=$(mktemp) AIC_ERR=$(mktemp) || exit 3
AIC_RC=0 AIC_FAILED=0 AIC_DECIDED=0 AIC_UNJUDGED=0 AIC_BLOCKED=''
AIC_ROLE='' AIC_ID='' AIC_CHECK_UNJUDGED=0

run_step() {{  # run_step MODE SPAN INTERVAL LIMIT EXPECT INPUT -- COMMAND...
  # MODE once|poll|hold; LIMIT seconds before the command is killed (with coreutils timeout,
  # where installed; a killed command fails its attempt, as in the tool); EXPECT a function
  # judging $AIC_RC, $AIC_OUT, $AIC_ERR; INPUT - or a function printing the manifest for stdin.
  # poll: until EXPECT holds; hold: EXPECT on every attempt until the window ends. As in the
  # tool, another attempt comes only if its pause still fits the window; the window counts
  # the pauses, so slow commands only lengthen it.
  local mode=$1 span=$2 interval=$3 limit=$4 expect=$5 input=$6 waited=0 ok line
  local -a kill_after=()
  shift 7
  if command -v timeout >/dev/null; then kill_after=(timeout "$limit"); fi
  while :; do
    printf '  $ %s\n' "$*"
    if [ "$input" = - ]; then "${{kill_after[@]}}" "$@" </dev/null >"$AIC_OUT" 2>"$AIC_ERR"
    else "$input" | "${{kill_after[@]}}" "$@" >"$AIC_OUT" 2>"$AIC_ERR"; fi
    AIC_RC=$?
    while IFS= read -r line; do printf '    %s\n' "$line"; done <"$AIC_OUT"
    while IFS= read -r line; do printf '    stderr: %s\n' "$line"; done <"$AIC_ERR"
    if [ "${{#kill_after[@]}}" -gt 0 ] && [ "$AIC_RC" -eq 124 ]; then
      echo "  the command timed out after ${{limit}}s"; ok=0
    elif "$expect"; then ok=1; else ok=0; fi
    case $mode in
      poll) [ "$ok" = 1 ] && return 0 ;;
      hold) [ "$ok" = 0 ] && return 1 ;;
      *) [ "$ok" = 1 ]; return ;;
    esac
    if [ $((waited + interval)) -gt "$span" ]; then [ "$ok" = 1 ]; return; fi
    sleep "$interval"
    waited=$((waited + interval))
  done
}}

probe_ran() {{  # a probe that could not run (exit 126/127, "not found") proves nothing
  case $AIC_RC in {missing_codes}) echo "  the probe could not run (exit $AIC_RC)"; return 1 ;; esac
  if grep -Eq -- {missing} "$AIC_OUT" "$AIC_ERR"; then
    echo "  the probe command is missing"; return 1
  fi
}}

tolerated() {{  # tolerated CODE ERE: a non-zero exit accepted with a known stderr line
  [ "$AIC_RC" -eq "$1" ] || return 1
  grep -Em1 -- "$2" "$AIC_ERR" | sed 's/^/  accepted: /' | grep . || return 1
}}

trimmed() {{  # trimmed FILE: its text without leading and trailing whitespace
  local text
  text=$(<"$1")
  text=${{text#"${{text%%[![:space:]]*}}"}}
  printf '%s' "${{text%"${{text##*[![:space:]]}}"}}"
}}

count_lines() {{  # count_lines ERE FILE [equals|min|max N]...: lines matching ERE within bounds
  local found
  found=$(grep -Ec -- "$1" "$2")
  shift 2
  while [ $# -gt 0 ]; do
    case $1 in
      equals) [ "$found" -eq "$2" ] ;;
      min) [ "$found" -ge "$2" ] ;;
      max) [ "$found" -le "$2" ] ;;
    esac || {{ echo "  $found lines match, expected $1 $2"; return 1; }}
    shift 2
  done
}}

unjudged() {{  # unjudged WHAT: an expectation this script cannot judge; never a pass
  echo "  NOT JUDGED IN SHELL: $1 (the tool's verdict is in result.json)"
  AIC_CHECK_UNJUDGED=1
}}

judged() {{  # judged FILE BUILTIN ARG...: the tool's own builtin check on FILE, by the judge
  local line status
  "$AIC_JUDGE_PATH" judge "${{@:2}}" <"$1" 2>&1 |
    while IFS= read -r line; do printf '  %s judge: %s\\n' "$AIC_JUDGE" "$line"; done
  status=${{PIPESTATUS[0]}}
  case $status in
    0|1) return "$status" ;;
    *) unjudged "builtin check $2: the judge did not judge it (exit $status)" ;;
  esac
}}

capture() {{  # capture NAME KIND: stdout, trimmed, validated, into variable NAME
  local value kind_re
  value=$(trimmed "$AIC_OUT")
  case $2 in
{kinds}
  esac
  if ! [[ $value =~ $kind_re ]]; then
    printf '  captured value %q is not a %s\\n' "$value" "$2"; return 1
  fi
  printf -v "$1" '%s' "$value"
}}

render() {{  # render NAME...: stdin with each ${{NAME}} replaced by its value, $$ by $
  local text name
  IFS= read -r -d '' text || true
  text=${{text//'$$'/$'\\001'}}
  for name in "$@"; do text=${{text//"\\${{$name}}"/"${{!name}}"}}; done
  printf '%s' "${{text//$'\\001'/'$'}}"
}}

check_begin() {{  # check_begin ROLE ID TITLE
  AIC_ROLE=$1 AIC_ID=$2 AIC_CHECK_UNJUDGED=0
  printf '\\n=== %s: %s: %s\\n' "$1" "$2" "$3"
  if [ -n "$AIC_BLOCKED" ]; then echo "SKIPPED: $AIC_BLOCKED"; return 1; fi
}}

check_end() {{  # check_end STATUS
  local deciding=0
  case $AIC_ROLE in setup|positive|negative) deciding=1 ;; esac
  if [ "$1" -ne 0 ]; then
    echo "FAILED: $AIC_ID"
    if [ "$deciding" = 1 ]; then AIC_FAILED=1; fi
    if [ "$AIC_ROLE" = setup ]; then AIC_BLOCKED="setup check $AIC_ID did not pass"; fi
  elif [ "$AIC_CHECK_UNJUDGED" = 1 ]; then
    echo "NOT JUDGED: $AIC_ID"
    if [ "$deciding" = 1 ]; then AIC_UNJUDGED=1; fi
  else
    echo "PASSED: $AIC_ID"
    case $AIC_ROLE in positive|negative) AIC_DECIDED=1 ;; esac
  fi
}}
"""

_FOOTER = """
if [ "$AIC_FAILED" = 1 ]; then echo "RESULT: failed"; exit 1; fi
if [ "$AIC_UNJUDGED" = 1 ] || [ "$AIC_DECIDED" = 0 ]; then
  echo "RESULT: not every check was judged (see NOT JUDGED); the tool's verdicts: result.json"
  exit 2
fi
echo "RESULT: passed"
"""


class NotExportable(ValueError):
    """A regular expression POSIX ERE (grep -E) cannot express."""


_ERE_SPECIAL = set(".[]()*+?{}|^$\\")
_CLASS_ESCAPES = {"s": "[:space:]", "d": "0-9", "w": "[:alnum:]_"}
_ESCAPES = {"s": "[[:space:]]", "S": "[^[:space:]]", "d": "[0-9]", "D": "[^0-9]",
            "w": "[[:alnum:]_]", "W": "[^[:alnum:]_]", "t": "\t", "b": r"\b"}


def ere(pattern: str) -> str:
    """A Python ``re`` pattern as a POSIX extended regular expression with the same matches
    per line (greedy and lazy quantifiers find the same lines); raises NotExportable."""
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if in_class and nxt in _CLASS_ESCAPES:
                out.append(_CLASS_ESCAPES[nxt])
            elif not in_class and nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
            elif not in_class and nxt in "123456789":
                out.append("\\" + nxt)  # a back-reference: GNU and BSD grep -E have them
            elif nxt.isalnum() or (in_class and nxt in "]-^\\"):
                raise NotExportable(f"\\{nxt} in /{pattern}/")
            else:  # an escaped ERE special stays escaped; GNU grep warns on any other
                out.append("\\" + nxt if nxt in _ERE_SPECIAL and not in_class else nxt)
            i += 2
            continue
        if in_class:
            in_class = char != "]" or out[-1] in ("[", "[^")
        elif char == "[":
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^")
                i += 2
                if pattern.startswith("]", i):
                    out.append("]")
                    i += 1
                continue
        elif char == "(" and pattern.startswith("(?", i):
            if not pattern.startswith("(?:", i):
                raise NotExportable(f"{pattern[i:i + 3]} in /{pattern}/")
            out.append("(")
            i += 3
            continue
        elif char == "?" and out and out[-1] in ("*", "+", "?", "}"):
            i += 1  # lazy quantifier: the same lines match
            continue
        out.append(char)
        i += 1
    return "".join(out)


class _Shell:
    """Turns templated text into bash words, keeping captured values as quoted variables."""

    def __init__(self, params: dict[str, Any], captured: dict[str, str]) -> None:
        self.captured = captured
        self.params = {**params, **{n: f"{_SENTINEL}{n}{_SENTINEL}" for n in captured}}

    def text(self, template: str, where: str, scope: dict[str, Any] | None = None) -> str:
        return render(template, scope or self.params, where)

    def word(self, text: str) -> str:
        """Rendered text as one bash word: literal parts quoted, captured values as "${x}"."""
        parts = text.split(_SENTINEL)
        words = [shlex.quote(p) if i % 2 == 0 else f'"${{{p}}}"' for i, p in enumerate(parts)]
        return "".join(w for i, w in enumerate(words) if i % 2 or parts[i]) or "''"

    def shown(self, text: str) -> str:
        """Rendered text for people (comments, messages): captured values as ${name}."""
        return re.sub(f"{_SENTINEL}([A-Za-z0-9]+){_SENTINEL}", r"${\1}", text)

    def pattern(self, regex: str) -> str:
        return self.word(ere(regex))


def _expectation(name: str, expect: Expect, shell: _Shell, scope: dict[str, Any],
                 where: str) -> list[str]:
    """``expect`` as a bash function: 0 when the attempt is judged as the engine judges it."""
    try:
        tests = _tests(expect, shell, scope, where)
    except NotExportable as exc:
        why = shell.shown(f"{exc} (not expressible in grep -E)")
        tests = ["probe_ran", f"unjudged {shlex.quote(why)}"]
    body = [f"  {t} || return 1" for t in tests[:-1]] + [f"  {tests[-1]}"]
    comment = shell.shown(describe(expect, scope)).replace("\n", " ")
    return [f"{name}() {{  # expect {comment}", *body, "}"]


def _tests(expect: Expect, shell: _Shell, scope: dict[str, Any], where: str) -> list[str]:
    def tpl(text: str) -> str:
        return shell.text(text, where, scope)

    stream = '"$AIC_OUT"' if expect.stream == "stdout" else '"$AIC_ERR"'
    tests = ["probe_ran"]
    exit_test = {"any": "", "nonzero": '[ "$AIC_RC" -ne 0 ]'}.get(
        str(expect.exit_code), f'[ "$AIC_RC" -eq {expect.exit_code} ]')
    if exit_test and expect.tolerate:
        exit_test = (f"{{ {exit_test} || tolerated {expect.tolerate.exit_code} "
                     f"{shell.pattern(tpl(expect.tolerate.stderr))}; }}")
    tests += [exit_test] if exit_test else []
    if expect.equals is not None:
        tests.append(f'[ "$(trimmed {stream})" = {shell.word(tpl(expect.equals))} ]')
    if expect.regex:
        tests.append(f"grep -Eq -- {shell.pattern(tpl(expect.regex))} {stream}")
    if expect.not_regex:
        tests.append(f"! grep -Eq -- {shell.pattern(tpl(expect.not_regex))} {stream}")
    if expect.count:
        bounds = " ".join(f"{k} {shell.word(tpl(str(v)))}" for k, v in expect.count.items()
                          if k != "regex")
        tests.append(f"count_lines {shell.pattern(tpl(expect.count['regex']))} {stream} {bounds}")
    if expect.builtin:
        tests.append(_builtin(expect.builtin["name"], builtin_args(expect.builtin, tpl),
                              stream, shell))
    return tests


# Once, before the checks of a script with a builtin check: which judge runs them, said.
_JUDGE = """if [ -n "$AIC_JUDGE_PATH" ]; then
  echo "builtin checks: judged by $AIC_JUDGE_PATH ($("$AIC_JUDGE_PATH" --version 2>&1))"
else
  echo "builtin checks: no judge (AIC_JUDGE=$AIC_JUDGE is not a command on PATH): each is" \\
    "judged by its shell form if it has one, else not judged"
fi
"""


def _builtin(name: str, args: dict[str, Any], stream: str, shell: _Shell) -> str:
    """The judge runs the builtin when there is one, else its shell form, else it is said not
    judged. Args the script knows go as JSON; those holding a value captured at run time go
    as ``--arg NAME=TEXT``, one quoted word each: captured text stays data."""
    captured = {k: v for k, v in args.items() if isinstance(v, str) and _SENTINEL in v}
    literal = {k: v for k, v in args.items() if k not in captured}
    words = ["judged", stream, shlex.quote(name)]
    words += ["--args", shlex.quote(json.dumps(literal))] if literal else []
    words += [f"--arg {shell.word(f'{k}={v}')}" for k, v in captured.items()]
    export = SHELL_BUILTINS.get(name)
    otherwise = (export(args, stream, shell) if export else
                 f"unjudged {shlex.quote(f'builtin check {name}: no judge')}")
    return f'if [ -n "$AIC_JUDGE_PATH" ]; then {" ".join(words)}; else {otherwise}; fi'


def _api_served(args: dict[str, Any], stream: str, shell: _Shell) -> str:
    """builtins.api_served: ``kubectl api-versions`` lists group/ga, or the group at beta
    only (the tool caps the requirement at Partially Implemented then; said, not judged)."""
    group, ga = shell.word(re.escape(args["group"])), shell.word(args.get("ga", "v1"))
    return (f"{{ grep -qx -- {group}/{ga} {stream} || {{ grep -q -- ^{group}/ {stream} && "
            f"echo '  served only below its GA version: at most Partially Implemented'; }}; }}")


def _new_names(args: dict[str, Any], stream: str, shell: _Shell) -> str:
    """builtins_accelerators.new_names: words of the output not in ``baseline``; ``want``
    added needs one, none needs none."""
    program = ('BEGIN { n = split(base, b, " "); for (i = 1; i <= n; i++) old[b[i]] = 1 }'
               ' { for (i = 1; i <= NF; i++) if (!($i in old)) added[$i] = 1 }'
               ' END { for (k in added) { c++; print "  new: " k }'
               ' exit (want == "added") ? (c == 0) : (c > 0) }')
    return (f"awk -v base={shell.word(str(args['baseline']))} "
            f"-v want={shell.word(str(args.get('want', 'added')))} {shlex.quote(program)} {stream}")


# ``name<TAB>count<TAB>value`` rows as builtins_accelerators._node_rows reads them
_ROWS = ("function t(v) { gsub(/^[[:space:]]+|[[:space:]]+$/, \"\", v); return v } "
         "function m(v) { v = t(v); return " + " || ".join(f'v == "{value}"' for value in _MISSING)
         + " } ")
_ROW_CHECKS = {
    # driver_reported: some node advertises the accelerator, each such node has a driver
    "driver_reported": '$0 ~ /[^[:space:]]/ && !m($2) { seen++; if (m($3)) { bad++; '
                       'print "  no driver version: " t($1) } } END { exit !(seen && !bad) }',
    # no_driver_no_accelerator: no node without a driver advertises it
    "no_driver_no_accelerator": '$0 ~ /[^[:space:]]/ && m($3) && !m($2) { bad++; '
                                'print "  advertised without a driver: " t($1) } '
                                'END { exit bad > 0 }',
    # shared_capacity: some node advertises more units than physical devices (> 0)
    "shared_capacity": 'function u(v) { v = t(v); return v ~ /^[0-9]+$/ ? v + 0 : 0 } '
                       '$0 ~ /[^[:space:]]/ && u($2) > u($3) && u($3) > 0 { ok = 1; '
                       'print "  " t($1) ": " u($2) " on " u($3) } END { exit !ok }',
}


def _rows(name: str) -> Callable[[dict[str, Any], str, _Shell], str]:
    def export(args: dict[str, Any], stream: str, shell: _Shell) -> str:
        return f"awk -F '\\t' {shlex.quote(_ROWS + _ROW_CHECKS[name])} {stream}"
    return export


# Builtins with a shell form (POSIX grep and awk), for a reviewer without the judge; any other
# is then reported as not judged (exit 2).  Each is held to the Python builtin by
# tests/procedures/test_exported_script.py.
SHELL_BUILTINS: dict[str, Callable[[dict[str, Any], str, _Shell], str]] = {
    "api_served": _api_served,
    "new_names": _new_names,
    **{name: _rows(name) for name in _ROW_CHECKS},
}


def _seconds(value: float | str | None, params: dict[str, Any], where: str) -> int:
    return math.ceil(number(value, params, 0, where))


class _Exporter:
    def __init__(self, procedure: Procedure, params: dict[str, Any],
                 manifest_template: Callable[[str], str]) -> None:
        self.procedure, self.template = procedure, manifest_template
        captured = {s.capture: s.capture_as for c in procedure.checks for s in c.steps
                    if s.capture}
        self.shell = _Shell({k: v for k, v in params.items() if k not in captured}, captured)
        self.functions: list[str] = []
        self.expectations: dict[str, str] = {}  # a function's body -> its name, defined once
        self.count = 0

    def _step(self, step: Step) -> str:
        where = f"{self.procedure.path} step {step.id}"
        self.count += 1
        scope = step.scope(self.shell.params, where)
        function = _expectation(f"expect_{self.count}", step.expect, self.shell, scope, where)
        expect = self.expectations.setdefault("\n".join(function[1:]), f"expect_{self.count}")
        if expect == f"expect_{self.count}":  # the first step judged this way defines it
            self.functions += function
        stdin = "-"
        if step.apply:
            stdin = f"manifest_{self.count}"
            text = self.shell.text(self.template(step.apply), where, scope)
            names = sorted(set(text.split(_SENTINEL)[1::2]))
            body = self.shell.shown(text.replace("$", "$$")) if names else text
            if f"\n{HEREDOC}\n" in f"\n{body}\n":
                raise ValueError(f"{where}: {step.apply} contains a line {HEREDOC}")
            command = f"render {' '.join(names)}" if names else "cat"
            self.functions += [f"{stdin}() {{  # {step.apply}"
                               + (", with the values captured by this run" if names else ""),
                               f"  {command} <<'{HEREDOC}'", body.rstrip("\n"), HEREDOC, "}"]
        window = step.poll or step.hold or {}
        mode = "poll" if step.poll else "hold" if step.hold else "once"
        span = _seconds(window.get("timeout", window.get("duration")), scope, where)
        interval = _seconds(window.get("interval"), scope, where) if window else 0
        argv = [self.shell.word(w) for w in step.argv(scope, where)]
        limit = _seconds(step.timeout or DEFAULT_STEP_TIMEOUT, scope, where)
        line = f"run_step {mode} {span} {interval} {limit} {expect} {stdin} -- {' '.join(argv)}"
        if step.capture:
            line += f" && capture {step.capture} {step.capture_as}"
        if step.diagnostics:
            diagnose = "; ".join(
                " ".join(self.shell.word(w) for w in Step(step.id, run=c).argv(scope, where))
                for c in step.diagnostics)
            line = f"{{ {line} || {{ echo '  diagnostics:'; {diagnose}; false; }}; }}"
        return line

    def check(self, check: Check, indent: str = "") -> list[str]:
        begin = f"check_begin {check.role} {check.id} {shlex.quote(check.title)}"
        if check.skip_unless and not self.shell.params.get(check.skip_unless):
            reason = shlex.quote(f"SKIPPED: parameter {check.skip_unless} is not set")
            return [f"{indent}{begin} && echo {reason}"]
        steps = [self._step(step) for step in check.steps]
        body = [f"{indent}  {s} &&" for s in steps[:-1]] + [f"{indent}  {steps[-1]}"]
        return [f"{indent}if {begin}; then", *body, f"{indent}  check_end $?", f"{indent}fi"]

    def cleanup(self, check: Check) -> list[str]:
        lines = ["cleanup() {", "  echo; echo '=== cleanup'"]
        lines += [f"  {self._step(step)} || true" for step in check.steps]
        return [*lines, '  rm -f "$AIC_OUT" "$AIC_ERR"', "}"]


def export_script(procedure: Procedure, checks: list[Check], cleanup: Check,
                  params: dict[str, Any], manifest_template: Callable[[str], str]) -> str:
    """``checks`` include the engine's namespace setup; ``cleanup`` runs from an EXIT trap."""
    exporter = _Exporter(procedure, params, manifest_template)
    kinds = "\n".join(f"    {kind}) kind_re={shlex.quote(regex)} ;;"
                      for kind, regex in CAPTURE_KINDS.items())
    header = _HEADER.format(
        title=procedure.title, requirement=procedure.requirement, version=procedure.version,
        variant=procedure.variant, source=procedure.path.name, kinds=kinds,
        tool_version=__version__,
        missing_codes="|".join(str(c) for c in sorted(PROBE_MISSING_CODES)),
        missing=shlex.quote(ere(PROBE_MISSING.pattern)))
    captured = sorted(exporter.shell.captured)
    body = ["# captured again by this run, empty until then (render reads them by name)",
            "# shellcheck disable=SC2034",
            " ".join(f"{name}=''" for name in captured), ""] if captured else []
    body += [*exporter.cleanup(cleanup), "trap cleanup EXIT", "trap 'exit 130' INT TERM", ""]
    if any(step.expect.builtin for check in [*checks, cleanup] for step in check.steps):
        body.append(_JUDGE)
    for check in checks:
        body += [*exporter.check(check), ""]
    return "\n".join([header, *exporter.functions, "", *body, _FOOTER])


def shell_line(step: Step, params: dict[str, Any], where: str,
               captured: Collection[str] = ()) -> str:
    """One step as the dry-run plan shows it: the command, its window, its capture; values
    ``captured`` at run time appear as procedure.sh uses them, ``"${name}"``."""
    shell = _Shell({k: v for k, v in params.items() if k not in captured},
                   dict.fromkeys(captured, ""))
    params = step.scope(shell.params, where)
    line = " ".join(shell.word(w) for w in step.argv(params, where))
    if step.apply:
        line += f" < manifests/{step.manifest_file()}"
    window = step.poll or step.hold
    if window:
        interval = number(window["interval"], params, 1, where)
        span = number(window.get("timeout", window.get("duration")), params, 0, where)
        line = f"{'poll' if step.poll else 'hold'} {span:g} {interval:g} {line}"
    if step.capture:
        line = f"{step.capture}=$({line})"
    return line
