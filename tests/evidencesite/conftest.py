"""A site built once per module from the hand-made fixture tree (real mkdocs-material)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.bundle import load_bundle
from generator.evidencesite import SiteResult, build_evidence_site
from generator.productyaml import write_submission
from generator.workspace import Workspace

DATA = Path(__file__).resolve().parent.parent / "data"
FIXTURE = DATA / "evidence-tree"
CHECKLIST = DATA / "checklist" / "AIConformance-1.35.yaml"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> SiteResult:
    out = tmp_path_factory.mktemp("build")
    bundle = load_bundle(Workspace.load(FIXTURE), CHECKLIST)
    submission = write_submission(bundle, out)
    return build_evidence_site(bundle, out, strict=True, product_yaml=submission.path,
                               product_path=submission.repo_path)
