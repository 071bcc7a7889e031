"""No planted secret reaches any written byte: evidence tree, run record, imported files, site,
search index and a ``--record`` session (tests/data/secrets/planted.yaml)."""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

import yaml

from generator.collect.kubectl import LiveRunner, Request
from generator.collect.redact import Redactor
from generator.collect.session import RecordingRunner, Session
from tests.collect.conftest import EXAMPLE_SESSIONS, THREE, make_workspace
from tests.collect.test_redact_corpus import ALL_SECRETS, ALL_TEXT

CHECKLIST = Path(__file__).resolve().parents[1] / "data" / "checklist" / "AIConformance-1.35.yaml"
PROBE_SECRET = "plantedProbeLabelToken"
NODE = "gpu-worker-0"


def _leaks(root: Path, secrets: list[str]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_text(encoding="utf-8", errors="replace")
            shown = html.unescape(html.unescape(data))  # pages escape what they show
            found += [f"{path.relative_to(root)}: {s}" for s in secrets
                      if s in data or s in shown]
    return found


def _inputs(folder: Path) -> tuple[Path, Path, Path]:
    folder.mkdir()
    session = Session.load_all([EXAMPLE_SESSIONS])
    for exchange in session.exchanges:
        if exchange["scope"] in THREE:
            exchange["stderr"] = (exchange.get("stderr") or "") + ALL_TEXT
    session.probe["nodes"][0]["labels"]["example.com/access-token"] = PROBE_SECRET
    session.save(folder / "session.yaml")
    junit = folder / "junit.xml"
    body = html.escape(ALL_TEXT)
    junit.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="s" tests="1">'
        f'<testcase name="[AIConformance] DRA Support works" time="1">'
        f'<failure message="{body.replace(chr(10), "&#xA;")}">{body}</failure>'
        "</testcase></testsuite></testsuites>\n", encoding="utf-8")
    gotest = folder / "go-test.json"
    lines = [{"Action": "run", "Test": "TestDRASupport"},
             *({"Action": "output", "Test": "TestDRASupport", "Output": line}
               for line in ALL_TEXT.splitlines(keepends=True)),
             {"Action": "fail", "Test": "TestDRASupport", "Elapsed": 1.0}]
    gotest.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return folder / "session.yaml", junit, gotest


def test_no_planted_secret_in_evidence_site_or_search_index(run_cli, tmp_path: Path) -> None:
    session, junit, gotest = _inputs(tmp_path / "inputs")
    workspace = make_workspace(tmp_path / "ws").root
    platform = yaml.safe_load((workspace / "platform.yaml").read_text())
    platform["redact"] = [{"name": "nodes", "pattern": r"gpu-worker-\d+", "replacement": "gpu-n"}]
    (workspace / "platform.yaml").write_text(yaml.safe_dump(platform))
    collect = run_cli("collect", "--workspace", workspace, "--replay", session)
    assert collect.exit_code in (0, 1), collect.stderr
    for source in (junit, gotest):
        imported = run_cli("import", source, "--workspace", workspace,
                           "--requirement", "dra_support")
        assert imported.exit_code == 1, imported.stderr  # the planted test failed
    build = run_cli("build", "--workspace", workspace, "--checklist", CHECKLIST,
                    "--out", tmp_path / "out")
    assert build.exit_code in (0, 1), build.stderr
    assert (tmp_path / "out/site/search/search_index.json").is_file()
    imported_dir = workspace / "evidence/v1.35/dra_support/imported"
    assert {p.name for p in imported_dir.iterdir()} >= {"junit.xml", "go-test.json"}
    index = (tmp_path / "out/site/search/search_index.json").read_text()
    assert "aws_access_key_id" in index  # the planted output was captured and published
    assert "aws_access_key_id" in (imported_dir / "junit.xml").read_text()
    for root in (workspace, tmp_path / "out"):
        assert not _leaks(root, [*ALL_SECRETS, PROBE_SECRET, NODE])
    environment = (tmp_path / "out/site/environment/index.html").read_text()
    assert "gpu-n" in html.unescape(environment)


def test_no_planted_secret_in_a_recorded_session(tmp_path: Path) -> None:
    """``collect --record``: outputs and command words as the session file keeps them."""
    (tmp_path / "planted.txt").write_text(ALL_TEXT, encoding="utf-8")
    session = Session("v1.35")
    redactor = Redactor.from_workspace()
    recorder = RecordingRunner(LiveRunner(sys.executable, redactor), session, "abc123",
                               redactor)
    code = f"import sys; sys.stdout.write(open({str(tmp_path / 'planted.txt')!r}).read())"
    recorder.run(Request("dra_support", ["kubectl", "-c", code, "--token", "plantedArgvToken",
                                         "--password=plantedArgvPassword"],
                         None, 30, tmp_path / "req", "o.txt", "e.txt"))
    session.save(tmp_path / "session.yaml")
    recorded = (tmp_path / "session.yaml").read_text(encoding="utf-8")
    assert "aws_access_key_id" in recorded  # the output was recorded, masked
    assert not _leaks(tmp_path / "req", ALL_SECRETS)
    assert not [s for s in [*ALL_SECRETS, "plantedArgvToken", "plantedArgvPassword"]
                if s in recorded]
