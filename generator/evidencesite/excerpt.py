"""What a page shows of a captured output: the lines that decided the verdict, highlighted,
with their context, the head and the tail; never the same line twice, never a cut decisive
line. Runs of identical lines collapse into one line with a count.

The full redacted file is read from the evidence folder (the transcript's head and tail are
only a fallback): the decision was made on the whole output, so the excerpt is cut from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from generator.sitekit.escape import verbatim

HEAD, TAIL, CONTEXT, MARKED = 12, 8, 2, 12  # lines kept at each end, around a match; matches
LINE_CHARS = 2000  # a longer line is cut, with its length said


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, in the full output
    text: str
    repeat: int = 1  # identical lines that follow, collapsed into this one
    decisive: bool = False


def collapse(text: str, patterns: list[re.Pattern[str]]) -> list[Line]:
    lines: list[Line] = []
    for number, line in enumerate(text.splitlines(), start=1):
        decisive = any(p.search(line) for p in patterns)
        if lines and lines[-1].text == line and lines[-1].decisive == decisive:
            last = lines[-1]
            lines[-1] = Line(last.number, last.text, last.repeat + 1, decisive)
        else:
            lines.append(Line(number, line, 1, decisive))
    return lines


def keep(lines: list[Line]) -> list[bool]:
    """Which collapsed lines are shown: head, tail, and context around the first matches."""
    shown = [i < HEAD or i >= len(lines) - TAIL for i in range(len(lines))]
    marked = [i for i, line in enumerate(lines) if line.decisive][:MARKED]
    for i in marked:
        for j in range(max(0, i - CONTEXT), min(len(lines), i + CONTEXT + 1)):
            shown[j] = True
    return shown


def excerpt(text: str, patterns: list[re.Pattern[str]], *, cut_after: int = 0) -> Markup:
    """A ``<pre>`` of the excerpt; ``cut_after`` bytes that the text does not hold (a
    fallback from head and tail) are said to be missing rather than hidden."""
    if not text:
        return Markup('<pre class="verbatim empty"><code>(no output)</code></pre>')
    lines = collapse(text, patterns)
    shown = keep(lines)
    parts: list[str] = []
    skipped = 0
    for line, visible in zip(lines, shown, strict=True):
        if not visible:
            skipped += line.repeat
            continue
        if skipped:
            parts.append(_gap(f"{skipped} more line{'s' * (skipped != 1)}"))
            skipped = 0
        parts.append(_line(line))
    if skipped:
        parts.append(_gap(f"{skipped} more line{'s' * (skipped != 1)}"))
    if cut_after:
        parts.append(_gap(f"{cut_after} bytes not kept in the transcript: see the raw file"))
    return Markup('<pre class="verbatim"><code>{}</code></pre>').format(
        Markup("\n").join(Markup(p) for p in parts))


def decisive_count(text: str, patterns: list[re.Pattern[str]]) -> int:
    return sum(1 for line in text.splitlines() if any(p.search(line) for p in patterns))


def _line(line: Line) -> str:
    text = line.text
    if len(text) > LINE_CHARS:
        text = f"{text[:LINE_CHARS]} … ({len(line.text) - LINE_CHARS} more characters)"
    body = str(verbatim(text))
    if line.repeat > 1:
        body += f'<span class="repeat"> ({line.repeat} identical lines)</span>'
    if line.decisive:
        return f'<mark class="decisive" title="line {line.number}: decided the check">{body}</mark>'
    return body


def _gap(words: str) -> str:
    return f'<span class="gap">… {verbatim(words)} …</span>'
