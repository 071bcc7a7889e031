"""Text from files, submissions or a cluster never reaches a terminal as control sequences."""

from __future__ import annotations

from pathlib import Path

from generator.output import printable
from tests.review.builders import checkout, product, requirement

OSC = "\x1b]52;c;cGxhbnRlZA==\x07"  # would write the reviewer's clipboard
CSI = "\x1b[2J\x9b2J"  # would clear the screen (7-bit and 8-bit forms)


def test_printable_keeps_text_and_shows_controls() -> None:
    assert printable("a\tb\nc ✔") == "a\tb\nc ✔"
    assert printable(OSC) == "\\x1b]52;c;cGxhbnRlZA==\\x07"
    assert "\x1b" not in printable(CSI) and "\x9b" not in printable(CSI)


def test_review_of_a_hostile_submission_prints_no_control_sequence(run_cli,
                                                                   tmp_path: Path) -> None:
    doc = product("1.34", platformName=f"Acme{OSC}", vendorName=CSI)
    requirement(doc, "ai_inference").update(status=f"Implemented{OSC}", notes=CSI)
    path = checkout(tmp_path / "repo", doc)
    result = run_cli("review", path)
    assert result.exit_code == 1  # the status is invalid
    assert "\\x1b]52" in result.stdout
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream and "\x07" not in stream and "\x9b" not in stream
