"""The console entry point: Ctrl-C is handled before anything heavy is imported."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from generator.cli import main as run
    except KeyboardInterrupt:  # during start-up: the same word and code as mid-run
        sys.stderr.write("k8s-ai-evidence: interrupted\n")
        sys.exit(130)
    run()
