"""Live progress on stderr: one line per requirement (current step, elapsed, checks so far)."""

from __future__ import annotations

import threading
from types import TracebackType

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from generator.evidence.verdicts import Status


class LiveProgress:
    """A rich display when stderr is a terminal; silent otherwise (CI logs, --output json)."""

    def __init__(self, requirements: list[str], console: Console) -> None:
        self._progress = Progress(SpinnerColumn(), TextColumn("{task.fields[name]:<28}"),
                                  TimeElapsedColumn(), TextColumn("{task.fields[counts]}"),
                                  TextColumn("{task.description}"), console=console,
                                  disable=not console.is_terminal)
        self._tasks: dict[str, TaskID] = {}
        self._lock = threading.Lock()
        self._names = requirements

    def __enter__(self) -> LiveProgress:
        self._progress.start()
        for name in self._names:
            self._tasks[name] = self._progress.add_task("waiting", name=name, counts="", total=None)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._progress.stop()

    def __call__(self, requirement: str, step: str, passed: int, failed: int) -> None:
        ok, bad = Status.PASSED, Status.FAILED
        counts = f"[{ok.colour}]{passed} {ok}[/]" + (f" [{bad.colour}]{failed} {bad}[/]"
                                                      if failed else "")
        with self._lock:
            task = self._tasks.get(requirement)
            if task is not None:
                self._progress.update(task, description=step, counts=counts)
