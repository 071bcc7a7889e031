"""A stand-in ``kubectl`` for running exported procedure.sh scripts without a cluster.

It replays a recorded session's answers as the tool's replay does (same normalized command,
recorded order, the last answer again when asked once more), logs every call with its stdin,
and comes with a ``sleep`` that returns at once, so polls and holds run in no time. On request
a ``k8s-ai-evidence`` on PATH runs this checkout's tool: the judge of builtin checks.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.collect.session import RUN_ID_TOKEN, Session

# bash builtins only, not Python: a procedure makes dozens of calls, each must start in
# milliseconds.  The command is normalized as the tool's replay does (session.normalize_argv:
# the run id, and generated names as session._GENERATED matches them, its lookbehind as a group).
_KUBECTL = r"""#!/usr/bin/env bash
source "$STANDIN_DIR/index.sh"
generated='^(.*[a-z0-9])-[bcdfghjklmnpqrstvwxz2456789]{5}([^A-Za-z0-9].*)?$'
key=''
for word in kubectl "$@"; do
  word=${word//"$STANDIN_RUN_ID"/<run-id>} tail=''
  while [[ $word =~ $generated ]]; do
    tail="-<gen>${BASH_REMATCH[2]}$tail" word=${BASH_REMATCH[1]}
  done
  key+="$word$tail"$'\037'
done
calls=$STANDIN_DIR/calls
read -r n <"$calls/count"
echo $((n + 1)) >"$calls/count"
printf '%s\037' kubectl "$@" >"$calls/$n.argv"
if [[ " $* " == *" -f - "* ]]; then cat >"$calls/$n.stdin"; else : >"$calls/$n.stdin"; fi
answers=${ANSWERS[$key]-}
if [ -z "$answers" ]; then
  echo "stand-in kubectl: no recorded answer for ${key//$'\037'/ }" >&2
  exit 97
fi
answers=$STANDIN_DIR/answers/$answers
read -r seen <"$answers/seen"
read -r count <"$answers/count"
echo $((seen + 1)) >"$answers/seen"
index=$((seen < count - 1 ? seen : count - 1))
IFS= read -r -d '' out <"$answers/$index.out"
IFS= read -r -d '' err <"$answers/$index.err"
read -r rc <"$answers/$index.rc"
printf '%s' "$out"
printf '%s' "$err" >&2
exit "$rc"
"""


@dataclass
class ScriptRun:
    exit_code: int
    output: str
    calls: list[dict[str, str]]

    def verdicts(self) -> dict[str, str]:
        """``PASSED``/``FAILED``/``NOT JUDGED`` per check id, as the script printed them."""
        found: dict[str, str] = {}
        for line in self.output.splitlines():
            for verdict in ("PASSED", "FAILED", "NOT JUDGED"):
                if line.startswith(f"{verdict}: "):
                    found[line.removeprefix(f"{verdict}: ")] = verdict
        return found


def run_script(script: Path, session: Session, run_id: str, folder: Path,
               before: Callable[[], object] | None = None, judge: bool = False,
               env: dict[str, str] | None = None) -> ScriptRun:
    """Run ``script`` with bash in ``folder``, answering its kubectl calls from ``session``;
    ``before`` may change the stand-in once it is written (a test's special behaviour);
    ``judge`` puts the tool on PATH, else none is there; ``env`` adds variables."""
    answers: dict[str, list[dict[str, Any]]] = {}
    for exchange in session.exchanges:
        if exchange["scope"] != "preflight":
            answers.setdefault("\x1f".join(exchange["argv"]) + "\x1f", []).append(exchange)
    (folder / "calls").mkdir(parents=True)
    (folder / "calls" / "count").write_text("0\n")
    index = ["declare -A ANSWERS=("]
    for number, (key, recorded) in enumerate(answers.items()):
        target = folder / "answers" / str(number)
        target.mkdir(parents=True)
        (target / "seen").write_text("0\n")
        (target / "count").write_text(f"{len(recorded)}\n")
        for n, exchange in enumerate(recorded):
            for suffix, value in ((".out", exchange.get("stdout") or ""),
                                  (".err", exchange.get("stderr") or ""),
                                  (".rc", f"{exchange.get('exitCode') or 0}\n")):
                (target / f"{n}{suffix}").write_text(value.replace(RUN_ID_TOKEN, run_id))
        index.append(f"  [{shlex.quote(key)}]={number}")
    (folder / "index.sh").write_text("\n".join([*index, ")", ""]))
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    (bin_dir / "kubectl").write_text(_KUBECTL)
    (bin_dir / "sleep").write_text("#!/bin/sh\nexit 0\n")
    for tool in ("kubectl", "sleep"):
        (bin_dir / tool).chmod(0o755)
    if judge:
        (bin_dir / "k8s-ai-evidence").write_text(
            f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m generator "$@"\n')
        (bin_dir / "k8s-ai-evidence").chmod(0o755)
    if before:
        before()
    variables = {"PATH": f"{bin_dir}:/usr/bin:/bin", "STANDIN_DIR": str(folder),
                 "STANDIN_RUN_ID": run_id, "HOME": str(folder),
                 "LANG": os.environ.get("LANG", "C.UTF-8"), **(env or {})}
    done = subprocess.run(["bash", str(script)], cwd=folder, env=variables, capture_output=True,
                          text=True, timeout=120, check=False)
    calls = [{"argv": (folder / "calls" / f"{n}.argv").read_text().split("\x1f")[:-1],
              "stdin": (folder / "calls" / f"{n}.stdin").read_text()}
             for n in range(int((folder / "calls" / "count").read_text()))]
    return ScriptRun(done.returncode, done.stdout + done.stderr, calls)
