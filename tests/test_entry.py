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


def test_collector_paused_only_while_starting() -> None:
    """Start-up imports run without the cyclic collector; the loaded command runs with it, and
    what start-up built is frozen out of its scans."""
    import subprocess

    probe = """if True:
        import gc, sys
        class Watch:  # sees the start-up import of the command line
            def find_spec(self, name, path, target=None):
                if name == "generator.cli":
                    print("starting: collector on", gc.isenabled())
        sys.meta_path.insert(0, Watch())
        import generator.commands.review as review
        judge = review.rule_set
        def watched(revision):
            print("command: collector on", gc.isenabled(), "frozen", gc.get_freeze_count() > 0)
            return judge(revision)
        review.rule_set = watched
        sys.argv = ["k8s-ai-evidence", "review", "--list-rules", "--output", "json"]
        from generator import entry
        try:
            entry.main()
        finally:
            print("after: collector on", gc.isenabled())
    """
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    lines = [line for line in out.stdout.splitlines() if ": collector" in line]
    assert lines == ["starting: collector on False", "command: collector on True frozen True",
                     "after: collector on True"], out.stderr


def test_collector_back_on_after_an_interrupted_start(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    monkeypatch.delitem(sys.modules, "generator.cli", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_InterruptImport(), *sys.meta_path])
    with pytest.raises(SystemExit):
        entry.main()
    assert gc.isenabled()
