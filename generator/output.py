"""How commands report: rich text for people (colour only on a terminal), JSON for scripts."""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

OUTPUT_FORMATS = ("text", "json")


# terminal control characters (ESC starts sequences that can retitle the window, write the
# clipboard or hide text): shown as \xNN, never sent, whatever text they came with
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text from a file, a submission or a cluster, safe to print on a terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


@functools.cache
def _printable_console() -> type[Console]:
    from rich.console import Console

    class PrintableConsole(Console):
        """Every string printed is made :func:`printable` first; rich adds its colours later."""

        def render_str(self, text: str, **kwargs: Any) -> Any:
            return super().render_str(printable(text), **kwargs)

    return PrintableConsole


def console(stderr: bool = False) -> Console:
    """A console that colours only when writing to a terminal (and honours NO_COLOR), and
    prints control characters as text. rich is imported here, not at start-up: JSON output
    never needs it."""
    return _printable_console()(stderr=stderr, highlight=False, soft_wrap=True)


def emit(output_format: str, payload: Any, render_text: Callable[[Console], None]) -> None:
    """Print ``payload`` as JSON, or let ``render_text`` draw it for people."""
    if output_format == "json":
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        render_text(console())
