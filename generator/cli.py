"""The ``k8s-ai-evidence`` command line: one group, one module per subcommand, loaded lazily."""

from __future__ import annotations

import gc
import importlib
import sys

import click

from generator import __version__
from generator.commands import COMMANDS
from generator.errors import EXIT_CODES_HELP, ExitCode, ToolError
from generator.output import printable


class LazyGroup(click.Group):
    """A group whose subcommands are imported when invoked (or listed by ``--help``), so
    start-up costs one command's imports, not all of them."""

    def __init__(self, *args: object, lazy: dict[str, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, _, name = self.lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), name)
            if not isinstance(command, click.Command) or command.name != cmd_name:
                raise RuntimeError(f"{self.lazy[cmd_name]} is not the command {cmd_name!r}")
            self.add_command(command)
            _start_up_done()
        return super().get_command(ctx, cmd_name)


def _start_up_done() -> None:
    """Resume the collector :mod:`generator.entry` paused, leaving what start-up built out of
    every later collection (it lives until exit)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


@click.group(
    cls=LazyGroup, lazy=COMMANDS,
    help="Executed, captured, checked and readable evidence for CNCF Kubernetes AI "
    f"Conformance.\n\n{EXIT_CODES_HELP}",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="k8s-ai-evidence")
def cli() -> None:
    pass


def main() -> None:
    """Run the CLI; a ToolError becomes one line on stderr and its documented exit code."""
    try:
        code = cli.main(standalone_mode=False, prog_name="k8s-ai-evidence")
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("k8s-ai-evidence: interrupted", err=True)
        sys.exit(130)
    except click.exceptions.NoArgsIsHelpError as exc:  # a bare group: its help
        exc.show()
        sys.exit(ExitCode.BAD_INPUT)
    except click.ClickException as exc:  # one line like every other error, not click's three
        ctx = exc.ctx if isinstance(exc, click.UsageError) else None
        see = f" (see '{ctx.command_path} --help')" if ctx else ""
        _error(exc.format_message() + see, ExitCode.BAD_INPUT)
    except ToolError as exc:
        _error(str(exc), exc.exit_code)
    except OSError as exc:  # a full disk, a read-only workspace: the machine, not the input
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"{where}{exc.strerror or exc}", ExitCode.ENVIRONMENT)
    sys.exit(code or ExitCode.OK)


def _error(message: str, code: ExitCode) -> None:
    click.echo(f"k8s-ai-evidence: error: {printable(message)}", err=True)
    sys.exit(code)
