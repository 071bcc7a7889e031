"""Click options shared by several commands, kept out of the domain modules they feed."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from generator.layout import DEFAULT_OUT
from generator.output import OUTPUT_FORMATS

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
    @click.option("--checklist", "checklist_file", type=click.Path(dir_okay=False, path_type=Path),
                  help="An official AIConformance-1.NN.yaml file to use as is.")
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return command(*args, **kwargs)

    return wrapper
