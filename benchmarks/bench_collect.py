"""Collection benchmarks: concurrency (max, not sum) and flat memory while streaming 100 MB.

Run: .venv/bin/python benchmarks/bench_collect.py   (prints ratios measured in this run)
"""

from __future__ import annotations

import copy
import resource
import sys
import tempfile
import time
from pathlib import Path

from generator.collect.kubectl import LiveRunner, Request
from generator.collect.orchestrate import Collection, CollectOptions, select
from generator.collect.redact import Redactor
from generator.collect.session import Session
from generator.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = ROOT / "evidence" / "sessions" / "v1.35"
STEP_SECONDS = 0.05
PLATFORM = """kubernetesVersion: v1.35
productDir: bench
metadata: {platformName: Bench, platformVersion: "1", vendorName: Bench}
"""

def _collect(tmp: Path, session_path: Path, parallel: int) -> float:
    root = tmp / f"ws-{parallel}"
    root.mkdir()
    (root / "platform.yaml").write_text(PLATFORM)
    workspace = Workspace.load(root)
    options = CollectOptions(replay=(session_path,), parallel=parallel, honour_durations=True)
    start = time.perf_counter()
    Collection(workspace, options).run(select(workspace, ()))
    return time.perf_counter() - start

def concurrency(tmp: Path) -> None:
    """Every replayed command waits STEP_SECONDS; three requirements, one by one vs together."""
    session = Session.load_all([SESSIONS])
    timed = copy.deepcopy(session)
    for exchange in timed.exchanges:
        exchange["durationSeconds"] = 0.0 if exchange["scope"] == "preflight" else STEP_SECONDS
    path = tmp / "timed.yaml"
    timed.save(path)
    per_scope: dict[str, int] = {}
    for exchange in timed.exchanges:
        per_scope[exchange["scope"]] = per_scope.get(exchange["scope"], 0) + 1
    per_scope.pop("preflight")
    longest = max(per_scope.values()) * STEP_SECONDS
    total = sum(per_scope.values()) * STEP_SECONDS
    sequential = _collect(tmp, path, 1)
    parallel = _collect(tmp, path, len(per_scope))
    print(f"concurrency: {len(per_scope)} requirements, recorded waits sum {total:.2f}s, "
          f"max {longest:.2f}s")
    print(f"  --parallel 1: {sequential:.2f}s   --parallel {len(per_scope)}: {parallel:.2f}s   "
          f"parallel/sequential = {parallel / sequential:.2f}   parallel/max = "
          f"{parallel / longest:.2f}   (about 1 means 'max, not sum')")

def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def _stream(tmp: Path, megabytes: int) -> tuple[float, int]:
    """A 'kubectl' (python here) printing ``megabytes`` MB of log lines, captured by LiveRunner."""
    script = (f"import sys\nline = ('x' * 99 + '\\n') * 10000\n"
              f"for _ in range({megabytes} * 1024 * 1024 // len(line)): sys.stdout.write(line)\n")
    runner = LiveRunner(sys.executable, Redactor.from_workspace())
    request = Request("bench", ["kubectl", "-c", script], None, 600, tmp, f"{megabytes}.out",
                      f"{megabytes}.err")
    before = _peak_rss_mb()
    execution = runner.run(request)
    return _peak_rss_mb() - before, execution.stdout.bytes

def memory(tmp: Path) -> None:
    small_growth, small = _stream(tmp, 1)
    big_growth, big = _stream(tmp, 100)
    print(f"memory: peak RSS {_peak_rss_mb():.0f} MB; streamed {small / 1e6:.0f} MB -> "
          f"peak RSS grew {small_growth:.1f} MB; "
          f"streamed {big / 1e6:.0f} MB -> peak RSS grew {big_growth:.1f} MB "
          f"(growth / output = {big_growth / (big / 1024 / 1024):.3f})")

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        memory(Path(folder))  # first, while the peak-RSS high-water mark is still low
        concurrency(Path(folder))
