"""``./dev demo``: the whole pipeline on the shipped example, no cluster, no network.

The example workspace (``platform.yaml`` + ``evidence/`` at the project root) is copied to
``build/demo-workspace`` and collected again there by replaying its recorded sessions, and the
shipped test log is imported, so the shipped evidence is never rewritten; then validate and
build run on the fresh copy. ``--update-example`` instead re-collects the shipped example in
place (maintainers run it after changing procedures or sessions, then commit the result).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.build_pipeline import BUILD_OUTPUTS
from generator.layout import DEFAULT_OUT, PLATFORM_FILE, SiteOut, product_paths, submission_root
from generator.outputs import claim_dir

PROJECT = Path(__file__).resolve().parent.parent
SESSIONS = Path("evidence/sessions/v1.35")  # one file per requirement, plus _preflight.yaml
IMPORTS = Path("evidence/imports/v1.35")  # test logs of other runners, imported after collect
NOTES = "evidence/v1.35/*/notes.md"  # the vendor's own narrative, kept by collect
OUT = PROJECT / DEFAULT_OUT


def _run(*args: str) -> int:
    print(f"\n$ k8s-ai-evidence {' '.join(args)}", flush=True)
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=PROJECT).returncode


def _collect(workspace: Path) -> dict[str, int]:
    """Replayed collect, then the import of the shipped test logs: their exit codes."""
    return {
        "collect": _run("collect", "--workspace", str(workspace), "--replay",
                        str(workspace / SESSIONS)),
        "import": _run("import", "--workspace", str(workspace),
                       *map(str, sorted((workspace / IMPORTS).iterdir()))),
    }


def main() -> int:
    shared = PROJECT.parent / "shared" / "k8s-ai-conformance"
    if not os.environ.get("K8S_AI_CONFORMANCE_REPO") and (shared / "docs").is_dir():
        os.environ["K8S_AI_CONFORMANCE_REPO"] = str(shared)
    if "--update-example" in sys.argv[1:]:
        return 1 if any(_collect(PROJECT).values()) else 0
    workspace = OUT / "demo-workspace"
    claim_dir(OUT, (*BUILD_OUTPUTS, workspace.name), "demo: build folder")  # build's too
    shutil.rmtree(workspace, ignore_errors=True)
    for folder in (SESSIONS, IMPORTS):
        shutil.copytree(PROJECT / folder, workspace / folder)
    for notes in PROJECT.glob(NOTES):
        target = workspace / notes.relative_to(PROJECT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(notes, target)
    shutil.copyfile(PROJECT / PLATFORM_FILE, workspace / PLATFORM_FILE)
    codes = {
        **_collect(workspace),
        "validate": _run("validate", "--workspace", str(workspace)),
        "build": _run("build", "--workspace", str(workspace), "--out", str(OUT)),
    }
    site = SiteOut(OUT).site
    print("\nDemo finished (example data of a fictional platform, replayed: not evidence).")
    print("  exit codes: " + ", ".join(f"{k} {v}" for k, v in codes.items()))
    print(f"  site:         {site / 'index.html'}")
    for product in product_paths(submission_root(OUT)):
        print(f"  PRODUCT.yaml: {product}")
    print(f"  serve it:     python3 -m http.server -d {site.relative_to(PROJECT)} 8000  "
          "(then open http://127.0.0.1:8000/)")
    return 0 if site.is_dir() and not any(codes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
