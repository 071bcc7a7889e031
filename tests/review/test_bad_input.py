"""Hostile and broken submissions: each gets a clear finding, never a traceback or a hang."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.review.builders import checkout, product, requirement

BAD_FILES: dict[str, bytes] = {
    "malformed": b"metadata:\n  platformName: [unclosed\nspec: {}\n",
    "wrong-types": b"metadata: [1, 2]\nspec: nothing\n",
    "alias-bomb": b"metadata:\n  a: &a [x,x,x,x,x,x,x,x,x,x]\n"
    + b"".join(f"  l{i}: &l{i} [{','.join([f'*{p}'] * 10)}]\n".encode()
               for i, p in enumerate(["a", "l0", "l1", "l2", "l3", "l4", "l5", "l6"])),
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "non-utf8": b"metadata:\n  platformName: caf\xe9\n",
    "duplicate-keys": b"metadata: {}\nspec: {}\nmetadata: {}\n",
}

EXPECTED_RULE = {
    "malformed": "ci-unloadable", "wrong-types": "ci-unloadable", "alias-bomb": "ci-unloadable",
    "binary": "ci-unloadable", "non-utf8": "ci-unloadable", "duplicate-keys": "ci-unloadable",
    "huge": "unreadable",
}


@pytest.mark.timeout(60)
def test_every_bad_file_is_reported_and_the_review_goes_on(tmp_path: Path, run_cli) -> None:
    good = checkout(tmp_path, product(), name="good")
    for name, data in BAD_FILES.items():
        target = checkout(tmp_path, product(), name=name)
        target.write_bytes(data)
    huge = checkout(tmp_path, product(), name="huge")
    with huge.open("wb") as handle:
        handle.write(b"# padding\n" * 5_300_000)  # ~50 MB
    escaping = product()
    requirement(escaping, "ai_inference")["evidence"] = ["../../../../../../../etc/passwd"]
    checkout(tmp_path, escaping, name="escaping")

    result = run_cli("review", tmp_path, "--output", "json")

    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    reports = {Path(s["path"]).parent.name: s for s in json.loads(result.stdout)["submissions"]}
    assert reports["good"]["ciValid"] is True
    assert good.exists()
    for name, rule in EXPECTED_RULE.items():
        assert reports[name]["ciValid"] is False, name
        assert {f["rule"] for f in reports[name]["findings"]} == {rule}, name
        assert reports[name]["findings"][0]["message"]
    escape_rules = {f["rule"] for f in reports["escaping"]["findings"]}
    assert "ci-evidence-path-escapes" in escape_rules  # CI rejects it since hybrid verification
    assert "evidence-path-escapes" not in escape_rules  # so lint does not repeat it


def test_errors_name_the_line(tmp_path: Path, run_cli) -> None:
    doc = product()
    requirement(doc, "ai_inference")["evidence"] = "N/A"
    path = checkout(tmp_path, doc)
    result = run_cli("review", path, "--output", "json")
    [finding] = json.loads(result.stdout)["submissions"][0]["findings"]
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1)
                if "evidence: N/A" in text)
    assert finding["rule"] == "ci-unloadable" and finding["line"] == line
    assert "spec.networking[0].evidence" in finding["message"]


def test_symlinked_product_file_is_reviewed_as_its_target(tmp_path: Path, run_cli) -> None:
    real = checkout(tmp_path, product(), name="real")
    linked = tmp_path / "v1.34" / "linked"
    linked.mkdir()
    (linked / "PRODUCT.yaml").symlink_to(real)
    result = run_cli("review", tmp_path, "--output", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["submissions"]) == 2


@pytest.mark.timeout(30)
def test_a_fifo_named_like_an_artifact_is_not_read(tmp_path: Path) -> None:
    """git cannot hold a FIFO, so CI never meets one; reading it would block for ever."""
    from generator.review import review_paths

    doc = product()
    requirement(doc, "ai_inference")["evidence"] = ["e2e.log"]
    path = checkout(tmp_path, doc)
    os.mkfifo(path.parent / "e2e.log")
    [report] = review_paths([tmp_path])
    [finding] = [f for f in report.findings if f.rule == "ci-artifact-invalid"]
    assert "not a regular file" in finding.message
