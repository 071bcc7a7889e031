"""Click options shared by several commands, kept out of the domain modules they feed."""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from generator.layout import DEFAULT_OUT
from generator.output import OUTPUT_FORMATS


class InputFile(click.Path):
    """An existing regular file to read: a FIFO or a device passes ``click.Path(exists=True)``
    but would block the read forever, so it is refused here with the option's one-line error."""

    def __init__(self, path_type: type | None = Path) -> None:
        super().__init__(exists=True, dir_okay=False, path_type=path_type)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None
                ) -> Any:
        path = super().convert(value, param, ctx)
        if not stat.S_ISREG(os.stat(path).st_mode):
            self.fail(f"{click.format_filename(path)!r} is not a regular file (a FIFO, socket "
                      "or device)", param, ctx)
        return path


output_option = click.option(
    "--output",
    "output_format",
    type=click.Choice(OUTPUT_FORMATS),
    default="text",
    show_default=True,
    help="text for people, json (a stable contract) for scripts and CI.",
)

workspace_option = click.option(
    "--workspace", "workspace_dir", type=click.Path(file_okay=False, path_type=Path),
    default=Path("."), show_default=True, help="Folder holding platform.yaml and evidence/.")


def out_option(text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--out``: build's output folder."""
    return click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=DEFAULT_OUT, show_default=True, help=text)


def checklist_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Adds ``--checklist`` and ``--conformance-repo`` to a command."""

    @click.option("--conformance-repo", type=click.Path(file_okay=False, path_type=Path),
                  help="A checkout of cncf/k8s-ai-conformance; its docs/ holds the checklists.")
    @click.option("--checklist", "checklist_file", type=InputFile(),
                  help="An official AIConformance-1.NN.yaml file to use as is.")
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return command(*args, **kwargs)

    return wrapper
