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
