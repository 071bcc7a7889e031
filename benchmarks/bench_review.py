"""Offline review of the whole shared corpus versus a plain load-and-parse of the same files.

Goal: the full review of ~60 submissions in well under a second. Prints both timings (best of
several runs, measured here in one process) and their ratio.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml
from timing import best_of

from generator.review import review_paths

REPO = Path(os.environ.get("K8S_AI_CONFORMANCE_REPO",
                           Path(__file__).resolve().parents[2] / "shared" / "k8s-ai-conformance"))
RUNS = 7



def main() -> int:
    if not (REPO / "docs").is_dir():
        print(f"bench_review: skipped, no checkout at {REPO}")
        return 0
    files = sorted(REPO.glob("v*/*/PRODUCT.yaml"))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    plain = best_of(lambda: [yaml.load(f.read_text(), Loader=loader) for f in files], RUNS)
    review_paths([REPO])  # warm caches (schemas, catalog) as a long-lived process would have
    full = best_of(lambda: review_paths([REPO]), RUNS)
    print(f"bench_review: {len(files)} submissions; plain load+parse {plain * 1000:.1f} ms, "
          f"full offline review {full * 1000:.1f} ms, ratio {full / plain:.1f}x; "
          f"goal: review well under 1 s -> {'met' if full < 0.5 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
