"""The excerpt of an output keeps the lines that decided, head and tail never overlap, and
runs of identical lines collapse with their count."""

from __future__ import annotations

import html
import re

from generator.evidencesite.excerpt import HEAD, TAIL, excerpt
from generator.procedures.expect import describe, described_patterns
from generator.procedures.model import Expect


def _shown(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_the_deciding_line_in_the_middle_is_kept_and_marked() -> None:
    lines = [f"line {i}: filler" for i in range(400)]
    lines[200] = "DCGM_FI_DEV_GPU_UTIL{gpu=\"0\"} 87"
    out = excerpt("\n".join(lines), [re.compile(r"^DCGM_FI_DEV_GPU_UTIL")])
    text = _shown(out)
    assert "DCGM_FI_DEV_GPU_UTIL" in text and '<mark class="decisive"' in out
    assert "line 0:" in text and "line 399:" in text and "line 100:" not in text
    assert "more lines" in text and "more bytes" not in text


def test_head_and_tail_never_overlap_and_nothing_is_cut_when_short() -> None:
    short = "\n".join(f"l{i}" for i in range(HEAD + TAIL))
    assert _shown(excerpt(short, [])).splitlines() == short.splitlines()
    text = _shown(excerpt("\n".join(f"l{i}" for i in range(HEAD + TAIL + 5)), []))
    assert text.count("l0\n") == 1 and "5 more lines" in text


def test_repeated_lines_collapse_with_a_count() -> None:
    text = _shown(excerpt("start\n" + "same\n" * 300 + "end", []))
    assert text.count("same") == 1 and "300 identical lines" in text and "end" in text


def test_patterns_are_read_back_from_the_described_expectation() -> None:
    expect = Expect.from_data({"exitCode": 0, "regex": "allocated,reserved",
                               "count": {"regex": "^GPU [0-9]+: ", "min": 1}})
    found = described_patterns(describe(expect))
    assert [(on, p.pattern) for on, p in found] == [("stdout", "allocated,reserved"),
                                                     ("stdout", "^GPU [0-9]+: ")]
    assert described_patterns("exit code 0; output is 'Pending'")[0][1].search("Pending")


def test_a_builtin_verdict_marks_the_names_it_gives() -> None:
    from generator.evidencesite.steps import named_in

    patterns = named_in('1 samples of DCGM_FI_DEV_GPU_UTIL{pod="aic-load"}: GPU-9a1f 100')
    lines = ["# HELP DCGM_FI_DEV_SM_CLOCK x"] * 30 + ['DCGM_FI_DEV_GPU_UTIL{gpu="1"} 100'] + [
        "DCGM_FI_DEV_FB_USED 0"] * 30
    out = excerpt("\n".join(f"{line} {i}" for i, line in enumerate(lines)), patterns)
    assert '<mark class="decisive"' in out and "GPU_UTIL" in _shown(out)
    served = named_in("resource.k8s.io/v1 is served (versions: v1, v1beta1)")
    assert [bool(p.search("resource.k8s.io/v1beta1")) for p in served] == [False]


def test_a_stream_path_outside_the_folder_or_a_link_is_never_read(tmp_path) -> None:
    import pytest

    from generator.evidence.model import Stream
    from generator.evidencesite.steps import _full_text
    from generator.safefs import UnsafeFile

    (tmp_path / "secret").write_text("SECRET\n")
    folder = tmp_path / "req"
    (folder / "output").mkdir(parents=True)
    (folder / "output" / "0001.stdout").symlink_to(tmp_path / "secret")
    for path in ("../secret", "output/0001.stdout"):
        stream = Stream(path, 500, "0" * 64, "head\n", "tail\n", True)
        with pytest.raises(UnsafeFile):
            _full_text(folder, stream)
    missing = Stream("output/0002.stdout", 500, "0" * 64, "head\n", "tail\n", True)
    assert _full_text(folder, missing) == ("head\ntail\n", 490)
