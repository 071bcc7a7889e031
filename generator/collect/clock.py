"""Time for polls and waits, injectable so that replays and tests never really sleep."""

from __future__ import annotations

import threading
import time


class RealClock:
    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float, cancel: threading.Event) -> None:
        """Sleep, waking at once when the run is cancelled (Ctrl-C)."""
        cancel.wait(seconds)

    def spent(self, seconds: float) -> None:
        """A command took this long: real time has passed already."""


class VirtualClock:
    """Advances only when slept on: a replayed 5-minute poll takes no time at all."""

    def __init__(self) -> None:
        self._now = 0.0

    def now(self) -> float:
        return self._now

    def sleep(self, seconds: float, cancel: threading.Event) -> None:
        self._now += seconds

    def spent(self, seconds: float) -> None:
        """A replayed command took this long when recorded: timings and polls stay faithful."""
        self._now += seconds


Clock = RealClock | VirtualClock
