"""Captured text stays verbatim: no Markdown, no HTML, no template syntax survives."""

import markdown
from markupsafe import Markup

from generator.sitekit.escape import finalize, inline, pre, verbatim

HOSTILE = "<script>alert(1)</script> `x` ```fence``` *em* [l](javascript:alert(2)) {{ j }} | #"


def _render(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "attr_list", "toc", "admonition"])


def test_verbatim_in_a_paragraph_renders_as_typed() -> None:
    html = _render(f"before {verbatim(HOSTILE)} after")
    assert "<script>" not in html and "<em>" not in html and "<a " not in html
    assert "<code>" not in html


def test_pre_keeps_lines_and_blank_lines() -> None:
    block = pre("a\n\n<none>\n```\n# not a heading")
    html = _render(f"{block}\n\nnext")
    assert "<h1" not in html and "&#60;none&#62;" in html and "\n\n" in html


def test_inline_is_one_line_and_markup_passes_finalize() -> None:
    assert "\n" not in inline("a\nb")
    assert finalize(Markup("<b>ok</b>")) == "<b>ok</b>"
    assert finalize(None) == ""
    assert "&#60;b&#62;" in finalize("<b>")


def test_empty_output_is_said_to_be_empty() -> None:
    assert "(no output)" in pre("")
