"""Timing shared by the benchmarks: the best of several runs, measured in this process."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(action: Callable[[], object], runs: int) -> float:
    """Seconds of the fastest of ``runs`` calls: the least disturbed by a busy machine."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)
