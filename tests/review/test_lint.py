"""One test per reviewer lint rule: it fires on the smell and stays quiet on the clean file."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.review import review_paths
from generator.review.revisions import rule_set
from tests.review.builders import EXECUTED, checkout, product, requirement


def rules(tmp_path: Path, doc, version: str = "1.34", ci_rules: str | None = None
          ) -> dict[str, list]:
    checkout(tmp_path, doc, version)
    [report] = review_paths([tmp_path], rules=rule_set(ci_rules))
    found: dict[str, list] = {}
    for finding in report.findings:
        found.setdefault(finding.rule, []).append(finding)
    return found


def test_clean_submission_has_no_findings(tmp_path: Path) -> None:
    assert rules(tmp_path, product()) == {}


def smell(**changes):
    def apply(doc):
        for rid, fields in changes.items():
            requirement(doc, rid).update(fields)
        return doc
    return apply


CASES = {
    "description-changed": smell(dra_support={"description": "Our own words."}),
    "level-changed": smell(dra_support={"level": "SHOULD"}),
    "must-without-evidence": smell(ai_inference={"evidence": []}),
    "must-without-notes": smell(ai_inference={"notes": " "}),
    "documentation-only": smell(ai_inference={"evidence": ["https://docs.example.com/gateway"]}),
    "unpinned-github-link": smell(ai_inference={
        "evidence": ["https://github.com/example/ev/blob/main/run.log"]}),
    "moving-docs-link": smell(ai_inference={
        "evidence": [EXECUTED, "https://docs.example.com/latest/gateway"]}),
    "other-version-evidence": smell(ai_inference={
        "evidence": ["https://example.com/evidence/v1.33/run.log"]}),
    "private-host": smell(ai_inference={
        "evidence": [EXECUTED, "https://docs.google.com/document/d/abc/edit"]}),
    "dra-device-plugin-notes": smell(dra_support={
        "notes": "We ship the NVIDIA device plugin exposing nvidia.com/gpu."}),
    "conditional-must-contradicted": smell(cluster_autoscaling={
        "notes": "The platform does not provide an autoscaler."}),
    "conditional-must-na": smell(cluster_autoscaling={"status": "N/A",
                                                      "notes": "On-premises only."}),
    "na-without-reason": smell(gpu_sharing={"status": "N/A", "notes": "N/A", "evidence": []}),
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fires(tmp_path: Path, rule: str) -> None:
    found = rules(tmp_path, CASES[rule](product()))
    assert rule in found, found
    finding = found[rule][0]
    assert finding.severity == "warning"
    assert finding.line and finding.message


def test_lint_never_changes_the_ci_verdict(tmp_path: Path) -> None:
    checkout(tmp_path, CASES["documentation-only"](product()))
    [report] = review_paths([tmp_path])
    assert report.ci_valid


def test_unknown_duplicate_and_misplaced_ids(tmp_path: Path) -> None:
    doc = product()
    doc["spec"]["networking"].append(dict(requirement(doc, "dra_support")))
    doc["spec"]["networking"].append({"id": "made_up", "level": "MUST", "status": "Implemented"})
    found = rules(tmp_path, doc)
    assert {"unknown-requirement", "duplicate-requirement", "misplaced-requirement"} <= set(found)


def test_dra_on_133_is_flagged_as_beta(tmp_path: Path) -> None:
    assert "dra-beta" in rules(tmp_path, product("1.33"), "1.33")


def test_metadata_lint(tmp_path: Path) -> None:
    doc = product(kubernetesVersion="v1.35", contactEmailAddress="nobody",
                  websiteUrl="not a url", productLogoUrl="https://fixture.example.com/l.svg?x=1")
    found = rules(tmp_path, doc)
    assert {"version-mismatch", "invalid-email", "invalid-url"} <= set(found)
    assert "logo-format" not in found  # an SVG behind a query string is still an SVG


@pytest.mark.parametrize("ci_rules", ["2026-09", "b2c8969"])
def test_a_png_logo_is_lint_never_a_ci_error(tmp_path: Path, ci_rules: str) -> None:
    """No validator revision checks the logo's format (the check never reached main)."""
    found = rules(tmp_path, product(productLogoUrl="https://example.com/logo.png"),
                  ci_rules=ci_rules)
    assert set(found) == {"logo-format"}


def test_relative_png_logo_is_linted_though_ci_passes_it(tmp_path: Path) -> None:
    found = rules(tmp_path, product(productLogoUrl="images/logo.png"))
    assert "logo-format" in found and "ci-logo-format" not in found


def test_identical_notes_across_products(tmp_path: Path) -> None:
    shared_notes = "We run the upstream cluster autoscaler with GPU node groups, as documented."
    for name in ("alpha", "beta"):
        doc = product()
        requirement(doc, "cluster_autoscaling")["notes"] = shared_notes
        checkout(tmp_path, doc, name=name)
    reports = review_paths([tmp_path])
    assert all(any(f.rule == "duplicate-notes" for f in r.findings) for r in reports)


def test_local_evidence_escaping_or_linked_is_flagged(tmp_path: Path) -> None:
    doc = product()
    requirement(doc, "ai_inference")["evidence"] = ["../../../../etc/passwd", "link.log"]
    path = checkout(tmp_path, doc)
    (path.parent / "real.log").write_text("ok\n")
    (path.parent / "link.log").symlink_to("real.log")
    found = rules(tmp_path, doc)
    assert "ci-evidence-path-escapes" in found and "evidence-path-escapes" not in found
    assert "evidence-symlink" in found
    before_hybrid = rules(tmp_path, doc, ci_rules="b2c8969")  # CI let the escape pass
    assert "evidence-path-escapes" in before_hybrid
    assert "ci-evidence-path-escapes" not in before_hybrid


def test_in_pr_page_with_commands_counts_as_executed(tmp_path: Path) -> None:
    doc = product()
    requirement(doc, "ai_inference")["evidence"] = ["gateway.md"]
    path = checkout(tmp_path, doc)
    page = "# Gateway\n```\nkubectl get gateway\nNAME  READY\n```\n"
    (path.parent / "gateway.md").write_text(page)
    assert "documentation-only" not in rules(tmp_path, doc)
    (path.parent / "gateway.md").write_text("# Gateway\nWe support the Gateway API.\n")
    assert "documentation-only" in rules(tmp_path, doc)


def test_file_links_are_read_as_ci_reads_them(tmp_path: Path) -> None:
    """file://, the own vX.Y/<dir>/ prefix and #fragments name the file beside PRODUCT.yaml."""
    doc = product()
    requirement(doc, "ai_inference")["evidence"] = ["file://v1.34/fp/gateway.md#TestGateway"]
    requirement(doc, "dra_support")["evidence"] = ["file://dra.md"]
    path = checkout(tmp_path, doc)
    (path.parent / "gateway.md").write_text("# Gateway\n```\nkubectl get gateway\nNAME\n```\n")
    (path.parent / "real.md").write_text("# DRA\n```\nkubectl get deviceclass\nNAME\n```\n")
    (path.parent / "dra.md").symlink_to("real.md")
    found = rules(tmp_path, doc)
    assert [f.requirement for f in found["documentation-only"]] == ["dra_support"]
    assert [f.requirement for f in found["evidence-symlink"]] == ["dra_support"]
