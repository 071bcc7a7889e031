"""How commands report: rich text for people (colour only on a terminal), JSON for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

OUTPUT_FORMATS = ("text", "json")


def console(stderr: bool = False) -> Console:
    """A console that colours only when writing to a terminal (and honours NO_COLOR).
    rich is imported here, not at start-up: JSON output never needs it."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def emit(output_format: str, payload: Any, render_text: Callable[[Console], None]) -> None:
    """Print ``payload`` as JSON, or let ``render_text`` draw it for people."""
    if output_format == "json":
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        render_text(console())
