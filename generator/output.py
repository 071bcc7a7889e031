"""How commands report: rich text for people (colour only on a terminal), JSON for scripts."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from typing import Any

import click
from rich.console import Console

OUTPUT_FORMATS = ("text", "json")

output_option = click.option(
    "--output",
    "output_format",
    type=click.Choice(OUTPUT_FORMATS),
    default="text",
    show_default=True,
    help="text for people, json (a stable contract) for scripts and CI.",
)


# terminal control characters (ESC starts sequences that can retitle the window, write the
# clipboard or hide text): shown as \xNN, never sent, whatever text they came with
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text from a file, a submission or a cluster, safe to print on a terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


class _PrintableConsole(Console):
    """Every string printed is made :func:`printable` first; rich adds its own colours later."""

    def render_str(self, text: str, **kwargs: Any) -> Any:
        return super().render_str(printable(text), **kwargs)


def console(stderr: bool = False) -> Console:
    """A console that colours only when writing to a terminal (and honours NO_COLOR)."""
    return _PrintableConsole(stderr=stderr, highlight=False, soft_wrap=True)


def emit(output_format: str, payload: Any, render_text: Callable[[Console], None]) -> None:
    """Print ``payload`` as JSON, or let ``render_text`` draw it for people."""
    if output_format == "json":
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        render_text(console())
