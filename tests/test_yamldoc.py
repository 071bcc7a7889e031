"""The loader reads YAML as CNCF CI's Go yaml.v3 does, and keeps lines for messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.yamldoc import YamlError, load_yaml
from generator.yamlscalar import Timestamp


def load(tmp_path: Path, text: str):
    path = tmp_path / "doc.yaml"
    path.write_text(text)
    return load_yaml(path)


@pytest.mark.parametrize(("text", "expected"), [
    ("yes", "yes"), ("on", "on"), ("True", True), ("FALSE", False), ("~", None), ("Null", None),
    ("1.0", 1.0), ("010", 8), ("0x1F", 31), ("1_000", 1000), ("08", 8.0), (".inf", float("inf")),
    ("1.0.0", "1.0.0"), ("'1.0'", "1.0"), ("1:20", "1:20"), ("0x", "0x"),
])
def test_plain_scalars_follow_yaml_1_2_as_go_reads_them(tmp_path: Path, text: str, expected):
    value = load(tmp_path, f"v: {text}\n").data["v"]
    assert value == expected and type(value) is type(expected)


def test_timestamps_are_not_strings(tmp_path: Path) -> None:
    assert load(tmp_path, "v: 2025-01-01\n").data["v"] == Timestamp("2025-01-01")


def test_lines_and_raw_text_are_kept(tmp_path: Path) -> None:
    doc = load(tmp_path, "a:\n  b:\n    - x\n    - 1.50\n")
    assert doc.line("a", "b", 1) == 4
    assert doc.raw[("a", "b", 1)] == "1.50"
    assert doc.line("a", "missing") == 2


@pytest.mark.parametrize(("text", "message", "line"), [
    ("a: 1\nb: 2\na: 3\n", 'mapping key "a" already defined at line 1', 3),
    ("a: [1\n", "while parsing", 2),
    ("v: !!null 1.0\n", "cannot decode !!null `1.0`", 1),
    ("a: &x [*x]\n", "anchor refers to itself", 1),
])
def test_what_ci_rejects_is_an_error_with_a_line(tmp_path: Path, text, message, line) -> None:
    with pytest.raises(YamlError) as info:
        load(tmp_path, text)
    assert message in str(info.value)
    assert info.value.line == line


def test_alias_bombs_are_refused_quickly(tmp_path: Path) -> None:
    levels = ["a: &a [x,x,x,x,x,x,x,x,x,x]"] + [
        f"l{i}: &l{i} [{','.join([f'*{p}'] * 10)}]"
        for i, p in enumerate(["a", "l0", "l1", "l2", "l3", "l4", "l5", "l6"])]
    with pytest.raises(YamlError, match="excessive aliasing"):
        load(tmp_path, "\n".join(levels) + "\n")


def test_undecoded_fields_are_not_checked(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text("keep: 1\nskip: {a: 1, a: 2}\n")
    doc = load_yaml(path, wanted=lambda at: at != ("skip",))
    assert doc.data == {"keep": 1}
