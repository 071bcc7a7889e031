"""``k8s-ai-evidence judge BUILTIN``: one builtin check on captured output.

Exported ``procedure.sh`` scripts call it, so a builtin is judged by the tool's own code rather
than by a shell twin of it. The script substitutes its parameters and captured values itself:
the args arrive final, as the engine passes them (``expect.evaluate``), and nothing is rendered
here. Captured values come as ``--arg NAME=TEXT`` words, so bash never writes JSON around them.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from generator.errors import EXIT_CODES_HELP, ExitCode, InputError
from generator.output import printable
from generator.procedures.builtins import BUILTINS
from generator.procedures.expect import capped_text


@click.command("judge", help="Judge captured output with one builtin check, exactly as collect "
               "does: OUTPUT (a file, or - for stdin, the default) is read as an expectation "
               "reads a stream, the args are the builtin's after parameter substitution. Prints "
               "'passed: WHY' or 'failed: WHY'. procedure.sh calls it for its builtin checks."
               f"\n\n{EXIT_CODES_HELP} Exit 1: the check failed; 2: an unknown builtin or bad "
               "args.")
@click.argument("builtin")
@click.argument("output", default="-", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--args", "args_json", default="{}", metavar="JSON",
              help="The builtin's args, a JSON object.")
@click.option("--arg", "text_args", multiple=True, metavar="NAME=TEXT",
              help="One string arg, over --args (repeatable): how procedure.sh passes a "
              "value captured at run time, as data.")
@click.pass_context
def judge_command(ctx: click.Context, builtin: str, output: str, args_json: str,
                  text_args: tuple[str, ...]) -> None:
    check = BUILTINS.get(builtin)
    if check is None:
        raise InputError(f"unknown builtin {builtin!r} (known: {', '.join(sorted(BUILTINS))})")
    args = _args(args_json, text_args)
    text = _read(output)
    try:
        verdict = check(text, args)
    except (KeyError, TypeError, ValueError) as exc:  # a missing or malformed arg
        raise InputError(f"{builtin}: bad args {json.dumps(args)}: {exc!r}") from exc
    click.echo(f"{'passed' if verdict.ok else 'failed'}: {printable(verdict.message)}")
    ctx.exit(ExitCode.OK if verdict.ok else ExitCode.FAILED)


def _args(args_json: str, text_args: tuple[str, ...]) -> dict[str, Any]:
    try:
        args = json.loads(args_json)
    except json.JSONDecodeError as exc:
        raise InputError(f"--args: not JSON: {exc}") from exc
    if not isinstance(args, dict):
        raise InputError(f"--args: expected a JSON object, not {type(args).__name__}")
    for item in text_args:
        name, equals, text = item.partition("=")
        if not (name and equals):
            raise InputError(f"--arg {printable(item)!r}: expected NAME=TEXT")
        args[name] = text
    return args


def _read(output: str) -> str:
    if output == "-":
        return capped_text(sys.stdin.buffer)
    try:
        with open(output, "rb") as handle:
            return capped_text(handle)
    except OSError as exc:
        raise InputError(f"{output}: {exc.strerror}") from exc
