"""The ``k8s-ai-evidence`` command line: one group, one module per subcommand."""

from __future__ import annotations

import sys

import click

from generator import __version__
from generator.commands import COMMANDS
from generator.errors import EXIT_CODES_HELP, ExitCode, ToolError


@click.group(
    help="Executed, captured, checked and readable evidence for CNCF Kubernetes AI "
    f"Conformance.\n\n{EXIT_CODES_HELP}",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="k8s-ai-evidence")
def cli() -> None:
    pass


for command in COMMANDS:
    cli.add_command(command)


def main() -> None:
    """Run the CLI; a ToolError becomes one line on stderr and its documented exit code."""
    try:
        code = cli.main(standalone_mode=False, prog_name="k8s-ai-evidence")
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("k8s-ai-evidence: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.BAD_INPUT)
    except ToolError as exc:
        click.echo(f"k8s-ai-evidence: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:  # a full disk, a read-only workspace: the machine, not the input
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"k8s-ai-evidence: error: {where}{exc.strerror or exc}", err=True)
        sys.exit(ExitCode.ENVIRONMENT)
    sys.exit(code or ExitCode.OK)
