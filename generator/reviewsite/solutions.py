"""Which solution each vendor used for a requirement, as far as notes and evidence tell, and a
static SVG bar chart of it (drawn at build time: no script, no CDN)."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from markupsafe import Markup

from generator.catalog import entry
from generator.reviewsite.model import SubmissionView
from generator.sitekit.escape import verbatim


@cache
def _pattern(name: str) -> re.Pattern[str]:
    """Words of the name with any separator; short all-caps names (MIG, MPS) match exactly."""
    words = r"[\s_-]?".join(re.escape(w) for w in re.split(r"[\s_-]+", name))
    flags = 0 if name.isupper() and len(name) <= 5 else re.IGNORECASE
    return re.compile(rf"(?<![A-Za-z0-9]){words}(?![A-Za-z0-9])", flags)


def solutions_used(view: SubmissionView, requirement: str) -> list[str]:
    item = view.entries.get(requirement)
    known = entry(requirement)
    if item is None or known is None:
        return []
    text = " ".join([item.notes, *item.evidence])
    return [name for name in known.solutions if _pattern(name).search(text)]


def tally(views: list[SubmissionView], requirement: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for view in views:
        if requirement not in view.entries:
            continue
        found = solutions_used(view, requirement)
        counts.update(found or ["(none named)"])
    return counts


def bar_chart(counts: Counter[str], title: str) -> Markup:
    """Horizontal bars with their numbers written out: readable without colour or script."""
    if not counts:
        return Markup("")
    rows = counts.most_common()
    width, label_w, bar_h, gap = 560, 220, 18, 6
    height = len(rows) * (bar_h + gap) + 8
    top = max(n for _, n in rows)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
             f"<title>{verbatim(title)}</title>"]
    for i, (name, n) in enumerate(rows):
        y = 4 + i * (bar_h + gap)
        bar = max(2, round((width - label_w - 40) * n / top))
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 5}" text-anchor="end">{verbatim(name)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{bar}" height="{bar_h}" class="bar"></rect>'
            f'<text x="{label_w + bar + 4}" y="{y + bar_h - 5}">{n}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
