"""Captured text on a page exactly as printed: never Markdown, never HTML, never a template.

Pages are Markdown with raw HTML blocks.  Every template expression goes through
:func:`finalize`, which HTML-escapes and also turns the characters Markdown would act on into
numeric character references; browsers show them as typed, Markdown leaves them alone.  So
``<none>``, backticks, ``[text](javascript:...)`` or ``<script>`` in a pod name or a log line
are shown verbatim and can neither inject markup nor break the page.  Helpers that build
HTML themselves return :class:`markupsafe.Markup`, which ``finalize`` passes through.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

# one pass: HTML's special characters, then those with a meaning in Markdown or its
# extensions (tables, attr_list, toc), all as numeric character references
_TABLE = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+-.!|~:^=$"})


def verbatim(text: Any) -> Markup:
    """Text safe anywhere in a page: inside HTML blocks, table cells and Markdown paragraphs."""
    if isinstance(text, Markup):
        return text
    return Markup(str(text).translate(_TABLE))


def inline(text: Any) -> Markup:
    """Like :func:`verbatim`, on one line (a newline would end a table row or a paragraph)."""
    return verbatim(" ".join(str(text).split()))


def finalize(value: Any) -> Any:
    """Jinja's finalize hook: escape every expression unless a helper already built markup."""
    if value is None:
        return ""
    return value if isinstance(value, Markup) else verbatim(value)


def pre(text: str, css_class: str = "verbatim") -> Markup:
    """A ``<pre>`` block of captured output; an empty output is said to be empty."""
    if not text:
        return Markup(f'<pre class="{css_class} empty"><code>(no output)</code></pre>')
    return Markup(f'<pre class="{css_class}"><code>{verbatim(text)}</code></pre>')


_MARKUP_CHARS = str.maketrans("", "", "<>&\"'`")


def nav_title(text: str) -> str:
    """A navigation title as plain text: the theme prints it unescaped in the menu and, after
    ``striptags`` (which decodes entities), in ``<title>``; so no character of markup is kept."""
    return " ".join(text.translate(_MARKUP_CHARS).split())
