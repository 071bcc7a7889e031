"""The console entry point: Ctrl-C is handled before anything heavy is imported, and so is
``--version`` (answered as click's version option would, without importing click).

Start-up builds only objects that live until exit (modules, classes, compiled patterns), so
the cyclic garbage collector is paused until the command is loaded
(:meth:`generator.cli.LazyGroup.get_command` resumes it): collecting during start-up finds
nothing and cost a review of the corpus a tenth of its time.
"""

from __future__ import annotations

import gc
import sys

VERSION_LINE = "k8s-ai-evidence, version {version}"  # click's "%(prog)s, version %(version)s"


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from generator import __version__

        sys.stdout.write(VERSION_LINE.format(version=__version__) + "\n")
        sys.exit(0)
    gc.disable()
    try:
        try:
            from generator.cli import main as run
        except KeyboardInterrupt:  # during start-up: the same word and code as mid-run
            sys.stderr.write("k8s-ai-evidence: interrupted\n")
            sys.exit(130)
        run()
    finally:  # for a caller in the same process (tests) whichever way the command ended
        gc.enable()
