"""How commands report: rich text for people (colour only on a terminal), JSON for scripts."""

from __future__ import annotations

import json
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


def console(stderr: bool = False) -> Console:
    """A console that colours only when writing to a terminal (and honours NO_COLOR)."""
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def emit(output_format: str, payload: Any, render_text: Callable[[Console], None]) -> None:
    """Print ``payload`` as JSON, or let ``render_text`` draw it for people."""
    if output_format == "json":
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        render_text(console())
