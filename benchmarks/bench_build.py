"""``build`` of the example versus a plain ``mkdocs build`` of the same generated Markdown.

Goal: our overhead (reading the tree, rendering, PRODUCT.yaml, review, raw files, link check)
under 30% of the mkdocs build itself, and the whole build under 3 s.  Uses the shipped
example when present, else the test fixture tree.  Best of several runs, in one process.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from timing import best_of

from generator.bundle import load_bundle
from generator.evidencesite import build_evidence_site
from generator.productyaml import write_submission
from generator.review import review_product
from generator.workspace import Workspace

PROJECT = Path(__file__).resolve().parents[1]
FIXTURE = PROJECT / "tests" / "data" / "evidence-tree"
FIXTURE_CHECKLIST = PROJECT / "tests" / "data" / "checklist" / "AIConformance-1.35.yaml"
RUNS = 5



def full_build(workspace: Workspace, checklist: Path | None, out: Path) -> None:
    bundle = load_bundle(workspace, checklist)
    submission = write_submission(bundle, out)
    assert bundle.checklist
    review_product(submission.path, bundle.checklist, submission.repo_path)
    build_evidence_site(bundle, out, product_yaml=submission.path,
                        product_path=submission.repo_path)


def main() -> int:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    example = (PROJECT / "platform.yaml").is_file() and (PROJECT / "evidence").is_dir()
    root = PROJECT if example else FIXTURE
    repo = os.environ.get("K8S_AI_CONFORMANCE_REPO")
    checklist = None if example and repo else FIXTURE_CHECKLIST
    workspace = Workspace.load(root)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        full_build(workspace, checklist, out)  # warm imports and caches
        ours = best_of(lambda: full_build(workspace, checklist, out), RUNS)
        config = out / "mkdocs.yml"
        plain = best_of(lambda: mkdocs_build(load_config(str(config), site_dir=str(
            out / "plain-site"))), RUNS)
    overhead = ours / plain - 1
    print(f"bench_build ({'example' if example else 'fixture'} tree): build {ours:.3f} s, "
          f"plain mkdocs build {plain:.3f} s, ratio {ours / plain:.2f} "
          f"(overhead {overhead:.0%}; goals: overhead < 30%, build < 3 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
