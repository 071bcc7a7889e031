"""Exit codes and the one error type every command raises for a clean one-line failure.

The codes are part of the tool's contract (README and ``--help`` list them):
CI scripts branch on them, so they never change meaning.
"""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # checks ran and something failed (findings, failed requirements)
    BAD_INPUT = 2  # bad invocation, unreadable or invalid input
    ENVIRONMENT = 3  # checklist not found, cluster unreachable, kubectl missing


EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 checks ran and something failed; "
    "2 bad invocation or unreadable/invalid input; "
    "3 environment problem (checklist not found, cluster unreachable, kubectl missing)."
)


class ToolError(Exception):
    """A failure the user can act on: printed as one line, never as a traceback."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, message: str, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class InputError(ToolError):
    """Unreadable or invalid input: names the file, the field or the line."""

    exit_code = ExitCode.BAD_INPUT


class EnvironmentProblem(ToolError):
    """Something outside the input is missing: a checklist, a cluster, a binary."""

    exit_code = ExitCode.ENVIRONMENT
