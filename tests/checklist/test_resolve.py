"""Checklist resolution order, the exit-3 message, and fetching into the cache."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.checklist import resolve_checklist
from generator.checklist.fetch import fetch_checklist
from generator.errors import EnvironmentProblem, ExitCode, InputError
from tests.conftest import DATA

FIXTURE = DATA / "checklist" / "AIConformance-1.35.yaml"


def repo_with_checklist(root: Path) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / FIXTURE.name).write_bytes(FIXTURE.read_bytes())
    return root


def test_order_file_then_repo_then_env_then_cache(tmp_path: Path, monkeypatch, isolated_cache):
    env_repo = repo_with_checklist(tmp_path / "env")
    flag_repo = repo_with_checklist(tmp_path / "flag")
    monkeypatch.setenv("K8S_AI_CONFORMANCE_REPO", str(env_repo))
    assert "--checklist" in resolve_checklist("v1.35", FIXTURE, flag_repo).source
    assert "--conformance-repo" in resolve_checklist("1.35", None, flag_repo).source
    assert "$K8S_AI_CONFORMANCE_REPO" in resolve_checklist("v1.35").source
    monkeypatch.delenv("K8S_AI_CONFORMANCE_REPO")
    cached = isolated_cache / "checklists" / FIXTURE.name
    cached.parent.mkdir(parents=True)
    cached.write_bytes(FIXTURE.read_bytes())
    checklist = resolve_checklist("v1.35")
    assert "(cache)" in checklist.source
    assert [r.id for r in checklist.requirements][:2] == ["dra_support", "gpu_sharing"]


def test_missing_checklist_is_exit_3_saying_how_to_provide_one(monkeypatch) -> None:
    monkeypatch.delenv("K8S_AI_CONFORMANCE_REPO", raising=False)
    with pytest.raises(EnvironmentProblem) as info:
        resolve_checklist("v1.35")
    assert info.value.exit_code == ExitCode.ENVIRONMENT
    for hint in ("--checklist", "--conformance-repo", "K8S_AI_CONFORMANCE_REPO", "checklist fetch"):
        assert hint in str(info.value)


def test_a_named_checkout_without_the_checklist_is_never_swapped_for_another_source(
        tmp_path: Path, monkeypatch) -> None:
    """--conformance-repo names the checkout to judge by: a typo or an old checkout must not
    silently judge by $K8S_AI_CONFORMANCE_REPO or the cache instead."""
    monkeypatch.setenv("K8S_AI_CONFORMANCE_REPO", str(repo_with_checklist(tmp_path / "env")))
    with pytest.raises(InputError, match=r"--conformance-repo .*no-checkout: no such folder"):
        resolve_checklist("v1.35", None, tmp_path / "no-checkout")
    (tmp_path / "old-checkout").mkdir()
    with pytest.raises(EnvironmentProblem) as info:
        resolve_checklist("v1.35", None, tmp_path / "old-checkout")
    looked = tmp_path / "old-checkout" / "docs" / FIXTURE.name
    assert f"(looked at --conformance-repo: {looked})." in str(info.value)


def test_checklist_for_another_version_is_refused(tmp_path: Path) -> None:
    wrong = tmp_path / "AIConformance-1.34.yaml"
    wrong.write_bytes(FIXTURE.read_bytes())
    with pytest.raises(InputError, match=r"checklist is for v1\.35"):
        resolve_checklist("v1.34", wrong)


@pytest.fixture
def docs_server(tmp_path: Path) -> Iterator[str]:
    (tmp_path / FIXTURE.name).write_bytes(FIXTURE.read_bytes())
    (tmp_path / "AIConformance-1.99.yaml").write_text("not: [a, checklist\n")
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_fetch_fills_the_cache_atomically(docs_server: str, isolated_cache: Path,
                                          monkeypatch) -> None:
    monkeypatch.delenv("K8S_AI_CONFORMANCE_REPO", raising=False)
    fetched = fetch_checklist("1.35", docs_server)
    assert "cache" in fetched.source
    assert resolve_checklist("v1.35").requirements == fetched.requirements
    with pytest.raises(InputError, match="not a checklist"):
        fetch_checklist("1.99", docs_server)
    assert not (isolated_cache / "checklists" / "AIConformance-1.99.yaml").exists()
    with pytest.raises(EnvironmentProblem, match="HTTP 404"):
        fetch_checklist("1.98", docs_server)


def test_a_base_url_that_is_no_http_url_is_bad_input(isolated_cache: Path) -> None:
    """A typo (exit 2), not a network problem (exit 3)."""
    with pytest.raises(InputError, match=r"--base-url file:///etc: not an http:// or https://"):
        fetch_checklist("1.35", "file:///etc")
