"""The Upstream suite page, built for real from runs of the stand-in go: a passing run, a
failing test, a skipped autoscaling test and a run killed at its timeout; absent without a
suite run."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build_pipeline import run_build
from generator.bundle import load_bundle
from generator.evidencesite import SiteResult, build_evidence_site
from generator.layout import RESULTS_JSON, SUITE_DIR, checkout_checklist
from tests.browser import WIDTHS, needs_chromium, shot_dir, walk
from tests.evidencesite.test_site import shown
from tests.upstream.conftest import STREAMS, suite_evidence

FLAGS = {"sandbox-runtime-class": "gvisor", "gang-job-labels": "kueue.x-k8s.io/queue-name=lq"}
RUNS = ("pass", "fail-secure", "autoscaling-skipped", "killed", "teardown-panic")


def killed_stream(folder: Path) -> Path:
    """pass.jsonl cut where TestGangScheduling/NegativeGangScheduling was running."""
    lines = (STREAMS / "pass.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if '"Action":"pass"' in line
               and '"Test":"TestGangScheduling/PositiveGangScheduling"' in line)
    (folder / "killed.jsonl").write_text("".join(lines[:cut + 1]), encoding="utf-8")
    return folder / "killed.jsonl"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, conformance_repo: Path
          ) -> dict[str, Path]:
    """Each run collected and built (with the official v1.37 checklist): name -> site."""
    built = {}
    for name in RUNS:
        root = tmp_path_factory.mktemp(name)
        with pytest.MonkeyPatch.context() as mp:
            if name == "killed":  # go hangs after the cut: the runner kills it after 1 s
                mp.setenv("GO_STANDIN_SLEEP", "60")
                mp.setattr("generator.upstream.suite.GRACE_SECONDS", -59)
                workspace = suite_evidence(root, killed_stream(root), mp, flags=FLAGS,
                                           timeoutMinutes=1)
            else:
                if name == "teardown-panic":  # as go test exits when the package failed
                    mp.setenv("GO_STANDIN_EXIT", "1")
                workspace = suite_evidence(root, STREAMS / f"{name}.jsonl", mp)
        outcome = run_build(workspace, root / "build", strict=True,
                            checklist_file=checkout_checklist(conformance_repo, "1.37"))
        built[name] = outcome.site.site_dir
    return built


def page(site: Path, path: str = "upstream-suite") -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def article(site: Path) -> str:
    """The suite page's text without the navigation and table of contents."""
    return shown(page(site).split("<article", 1)[1].split("</article>", 1)[0])


def test_a_passing_run_lists_its_tests_and_cites_the_shipped_artifacts(
        sites: dict[str, Path]) -> None:
    html = page(sites["pass"])
    text = shown(html)
    assert "54 top-level tests · 54 passed · 0 failed · 0 skipped" in text
    assert "go test -json -timeout 90m ./test -args" in text and "exit code 0" in text
    assert "results.json · junit.xml · e2e.log · suite.json · go-test.stderr.txt" in text
    for rid in ("gang_scheduling", "secure_accelerator_access", "workload_sandboxing",
                "robust_controller", "cluster_autoscaling"):
        assert f'href="&#46;&#46;/requirements/{rid}/"' in html, rid
    assert "Shipped beside PRODUCT.yaml" in text
    assert "file://results.json#TestGangScheduling" in text
    assert 'class="depth-1"><td><span class="subtest">NegativeGangScheduling' in html
    assert "Output of failed tests" not in text and "Not run" not in text
    folder = sites["pass"] / "upstream-suite"
    assert sorted(p.name for p in folder.iterdir()) == [
        "e2e.log", "go-test.stderr.txt", "index.html", "junit.xml.txt", "results.json",
        "suite.json"]  # XML, which a browser could run, is published as text


def test_the_overview_and_the_pages_it_fed_link_the_page(sites: dict[str, Path]) -> None:
    index = page(sites["pass"], ".")
    assert 'href="upstream-suite/"' in index and "54 passed, 0 failed, 0 skipped" in shown(index)
    gang = page(sites["pass"], "requirements/gang_scheduling")
    assert '<p class="suite-link">' in gang and 'href="../../upstream-suite/"' in gang
    assert "suite-link" not in page(sites["pass"], "requirements/ai_inference")


def test_a_failing_test_shows_its_output_and_the_artifacts_are_not_shipped(
        sites: dict[str, Path]) -> None:
    text = article(sites["fail-secure"])
    assert "53 passed · 1 failed" in text
    assert "Not shipped" in text and "they hold failing tests (TestSecureAcceleratorAccess" in text
    failures = text.split("Output of failed tests")[1]
    assert "TestSecureAcceleratorAccess/NegativeIsolationTest · failed · 14.07 s" in failures
    assert "sees accelerator devices: /dev/nvidia0" in failures
    assert '<mark class="decisive"' in page(sites["fail-secure"]).split("failure-1")[-1]


def test_a_skipped_test_is_listed_and_not_cited(sites: dict[str, Path]) -> None:
    text = article(sites["autoscaling-skipped"])
    assert "SkippedTestAcceleratorClusterAutoscaling (a test skips when its flags are unset" in text
    assert "file://results.json#TestGangScheduling" in text
    assert "#TestAcceleratorClusterAutoscaling" not in text


def test_a_killed_run_says_so_and_shows_the_unfinished_test(sites: dict[str, Path]) -> None:
    text = article(sites["killed"])
    assert "killed at the timeout" in text and "1 did not finish" in text
    assert "Not runTestWorkloadSandboxing (Workload sandboxing): the run never started" in text
    failures = text.split("Output of failed tests")[1]
    assert "TestGangScheduling/NegativeGangScheduling · did not finish" in failures
    assert "=== RUN   TestGangScheduling/NegativeGangScheduling" in failures
    assert "TestGangScheduling · did not finish" not in failures  # its subtest explains it
    assert "Not shipped" in text  # junit.xml marks the unfinished test failed


def test_a_package_that_failed_without_a_failing_test_shows_its_own_output(
        sites: dict[str, Path]) -> None:
    """Every test passed, then TestMain panicked: the page shows the package's own output
    under the case junit.xml gives it, and the artifacts are not shipped."""
    text = article(sites["teardown-panic"])
    assert "the package failed without a failing test" in text
    failures = text.split("Output of failed tests")[1]
    assert "TestMain · failed" in failures
    assert "panic: cleanup: namespace aic-suite still terminating" in failures
    assert '<mark class="decisive"' in page(sites["teardown-panic"]).split("failure-1")[-1]
    assert "Not shipped" in text


def test_no_page_without_a_suite_run(built_site: SiteResult) -> None:
    assert not (built_site.site_dir / "upstream-suite").exists()
    assert "upstream-suite/" not in page(built_site.site_dir, ".")  # nor in the navigation


@needs_chromium
@pytest.mark.parametrize("run", ["fail-secure", "killed"])
def test_the_page_fits_both_widths(sites: dict[str, Path], tmp_path: Path, run: str) -> None:
    result = walk(sites[run], shot_dir(tmp_path, f"suite-{run}"), full_page={"upstream-suite"},
                  only={"upstream-suite"})
    assert result.sideways == [] and result.errors == [] and result.outside == []
    assert f"upstream-suite@{WIDTHS['desktop']}" not in result.inner
    assert len(result.shots) == 2 and all(p.stat().st_size for p in result.shots)


def test_a_run_without_its_results_says_so(tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as mp:
        workspace = suite_evidence(tmp_path, STREAMS / "pass.jsonl", mp)
    (workspace.evidence_dir / SUITE_DIR / RESULTS_JSON).unlink()
    build_evidence_site(load_bundle(workspace), tmp_path / "build", strict=True)
    text = article(tmp_path / "build" / "site")
    assert "results.json is missing from the evidence folder" in text
    assert "54 top-level tests · 54 passed" in text  # suite.json still says what ran
