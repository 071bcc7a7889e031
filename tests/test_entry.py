"""Ctrl-C while the command line is still starting: one line and exit 130, no traceback."""

from __future__ import annotations

import sys

import pytest

from generator import entry


class _InterruptImport:
    """A meta path finder that behaves like Ctrl-C arriving during ``import generator.cli``."""

    def find_spec(self, name: str, path: object, target: object = None) -> None:
        if name == "generator.cli":
            raise KeyboardInterrupt


def test_ctrl_c_during_start_up(monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delitem(sys.modules, "generator.cli", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_InterruptImport(), *sys.meta_path])
    with pytest.raises(SystemExit) as exited:
        entry.main()
    assert exited.value.code == 130
    assert capsys.readouterr().err == "k8s-ai-evidence: interrupted\n"


def test_version_answered_before_click_is_word_for_word_clicks(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import cli

    with pytest.raises(SystemExit) as exited:
        cli.main(["--version"], prog_name="k8s-ai-evidence")
    assert exited.value.code == 0
    by_click = capsys.readouterr().out
    monkeypatch.setattr(sys, "argv", ["k8s-ai-evidence", "--version"])
    with pytest.raises(SystemExit) as exited:
        entry.main()
    assert exited.value.code == 0
    assert capsys.readouterr().out == by_click


def test_version_starts_without_click(run_cli) -> None:
    import subprocess

    probe = ("import sys; sys.argv = ['k8s-ai-evidence', '--version']\n"
             "from generator import entry\n"
             "try:\n    entry.main()\n"
             "except SystemExit:\n    print('click' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert out.splitlines()[-1] == "False"
    assert run_cli("--version").stdout.startswith("k8s-ai-evidence, version ")
