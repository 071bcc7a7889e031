"""`import` of a `sonobuoy retrieve` tarball: each plugin's JUnit and its log are found under
plugins/<plugin>/results/global/ (daocloud's real Sonobuoy run inside), extracted safely."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.importers.sonobuoy import extract_results

DAOCLOUD = Path("v1.34") / "daocloud"  # in the corpus (the conformance_repo fixture)
PLATFORM = """\
kubernetesVersion: v1.34
productDir: fixture
metadata:
  platformName: Fixture Platform
  platformVersion: "1.0"
  vendorName: Fixture Vendor
"""
GLOBAL = "plugins/e2e/results/global"


def _tarball(path: Path, members: dict[str, bytes | tarfile.TarInfo]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, content in members.items():
            if isinstance(content, tarfile.TarInfo):
                tar.addfile(content)
                continue
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return path


def _retrieved(path: Path, corpus: Path) -> Path:
    """Shaped like `sonobuoy retrieve` output, with daocloud's real e2e plugin results."""
    daocloud = corpus / DAOCLOUD
    return _tarball(path, {
        "meta/run.log": b'{"level":"info","msg":"Starting server Expected Results"}\n',
        "plugins/e2e/sonobuoy_results.yaml": b"name: e2e\nstatus: passed\n",
        f"{GLOBAL}/e2e.log": (daocloud / "e2e.log").read_bytes(),
        f"{GLOBAL}/junit_01.xml": (daocloud / "junit_01.xml").read_bytes(),
        "plugins/systemd-logs/results/global/node-1.json": b"{}\n",
        "serverversion.json": b'{"gitVersion": "v1.34.1"}\n'})


def test_import_finds_the_plugins_junit_and_keeps_its_log_under_another_name(
        tmp_path: Path, run_cli, conformance_repo: Path) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "platform.yaml").write_text(PLATFORM)
    archive = _retrieved(tmp_path / "202605060943_sonobuoy_ea0a6430.tar.gz", conformance_repo)
    result = run_cli("import", archive, "--workspace", tmp_path / "ws", "--output", "json")
    assert result.exit_code == 0, result.stderr
    [summary] = json.loads(result.stdout)["imported"]
    assert summary["file"].endswith("!plugins/e2e/results/junit_01.xml")
    assert summary["format"] == "junit" and summary["logs"] == ["sonobuoy-e2e-e2e.log"]
    assert summary["mapped"]["gang_scheduling"]["passed"] >= 1
    imported = tmp_path / "ws" / "evidence" / "v1.34" / "gang_scheduling" / "imported"
    names = sorted(p.name for p in imported.iterdir())
    assert "sonobuoy-e2e-junit_01.xml" in names and "sonobuoy-e2e-e2e.log" in names
    assert not any(n.lower() == "e2e.log" for n in names)


@pytest.mark.parametrize("name", ["../../evil.log", "/tmp/evil/plugins/e2e/results/global/x.log",
                                  f"{GLOBAL}/../../../../../evil.log"])
def test_paths_that_escape_are_never_extracted(tmp_path: Path, name: str) -> None:
    archive = _tarball(tmp_path / "a.tar.gz", {name: b"owned\n",
                                              f"{GLOBAL}/junit_01.xml": b"<testsuite/>"})
    dest = tmp_path / "out" / "inner"
    dest.mkdir(parents=True)
    [results] = extract_results(archive, dest)
    assert [p.name for p in results.junit] == ["junit_01.xml"] and results.logs == []
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
                     if p.is_file())
    assert written == ["a.tar.gz", "out/inner/e2e/junit_01.xml"]


def test_a_link_where_a_result_should_be_is_refused(tmp_path: Path) -> None:
    link = tarfile.TarInfo(f"{GLOBAL}/junit_01.xml")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    archive = _tarball(tmp_path / "a.tar.gz", {link.name: link})
    with pytest.raises(InputError, match="not a regular file"):
        extract_results(archive, tmp_path / "out")


def test_sizes_are_capped(tmp_path: Path) -> None:
    archive = _tarball(tmp_path / "a.tar.gz", {f"{GLOBAL}/junit_01.xml": b"x" * 2048})
    with pytest.raises(InputError, match="2048 bytes, more than the 1024 allowed"):
        extract_results(archive, tmp_path / "out", max_file=1024)
    with pytest.raises(InputError, match="larger than 1000 bytes"):
        extract_results(archive, tmp_path / "out2", max_total=1000)


def test_not_a_sonobuoy_archive(tmp_path: Path, run_cli) -> None:
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "platform.yaml").write_text(PLATFORM)
    empty = _tarball(tmp_path / "other.tar.gz", {"README": b"hello\n"})
    result = run_cli("import", empty, "--workspace", tmp_path / "ws")
    assert result.exit_code == 2
    assert "no plugins/<plugin>/results/global/junit_*.xml inside" in result.stderr
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"\x1f\x8b" + b"\0" * 40)
    result = run_cli("import", broken, "--workspace", tmp_path / "ws")
    assert result.exit_code == 2 and "not a readable sonobuoy retrieve archive" in result.stderr
