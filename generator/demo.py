"""``./dev demo``: the whole pipeline on the shipped example, no cluster, no network.

The example workspace (``platform.yaml`` + ``evidence/`` at the project root) is copied to
``build/demo-workspace`` and collected again there by replaying its recorded sessions, so the
shipped evidence is never rewritten; then validate and build run on the fresh copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SESSIONS = Path("evidence/sessions/v1.35")  # one file per requirement, plus _preflight.yaml
OUT = PROJECT / "build"


def _run(*args: str) -> int:
    print(f"\n$ k8s-ai-evidence {' '.join(args)}", flush=True)
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=PROJECT).returncode


def main() -> int:
    shared = PROJECT.parent / "shared" / "k8s-ai-conformance"
    if not os.environ.get("K8S_AI_CONFORMANCE_REPO") and (shared / "docs").is_dir():
        os.environ["K8S_AI_CONFORMANCE_REPO"] = str(shared)
    workspace = OUT / "demo-workspace"
    shutil.rmtree(workspace, ignore_errors=True)
    shutil.copytree(PROJECT / SESSIONS, workspace / SESSIONS)
    shutil.copyfile(PROJECT / "platform.yaml", workspace / "platform.yaml")
    codes = {
        "collect": _run("collect", "--workspace", str(workspace), "--replay",
                        str(workspace / SESSIONS)),
        "validate": _run("validate", "--workspace", str(workspace)),
        "build": _run("build", "--workspace", str(workspace), "--out", str(OUT)),
    }
    site = OUT / "site"
    print("\nDemo finished (example data of a fictional platform, replayed: not evidence).")
    print("  exit codes: " + ", ".join(f"{k} {v}" for k, v in codes.items()))
    print(f"  site:         {site / 'index.html'}")
    for product in sorted((OUT / "submission").glob("v*/*/PRODUCT.yaml")):
        print(f"  PRODUCT.yaml: {product}")
    print(f"  serve it:     python3 -m http.server -d {site.relative_to(PROJECT)} 8000  "
          "(then open http://127.0.0.1:8000/)")
    return 0 if site.is_dir() else 1


if __name__ == "__main__":
    sys.exit(main())
