"""A check as the steps it ran: every step once, its polls folded into one line with their
window, the decisive step's output cut around the lines that decided it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from markupsafe import Markup

from generator import safefs
from generator.bundle import CheckView
from generator.evidence.model import Stream, TranscriptEntry
from generator.evidencesite.excerpt import excerpt
from generator.procedures.expect import described_patterns


@dataclass(frozen=True)
class StepView:
    name: str
    attempts: tuple[TranscriptEntry, ...]
    decisive: bool  # its last attempt decided the check
    folder: Path

    @property
    def last(self) -> TranscriptEntry:
        return self.attempts[-1]

    @property
    def window(self) -> str | None:
        """Polls in words: how many attempts over which span of time."""
        if len(self.attempts) < 2:
            return None
        first, last = self.attempts[0], self.attempts[-1]
        try:
            start = datetime.fromisoformat(first.started_at.replace("Z", "+00:00"))
            end = datetime.fromisoformat(last.started_at.replace("Z", "+00:00")) + timedelta(
                seconds=last.duration_seconds)
        except ValueError:
            return f"{len(self.attempts)} attempts"
        span = (end - start).total_seconds()
        return (f"{len(self.attempts)} attempts over {span:.1f} s, "
                f"{start:%H:%M:%S} to {end:%H:%M:%S} UTC")

    def output(self, name: str) -> Markup:
        return entry_output(self.folder, self.last, name)


def steps(check: CheckView, folder: Path) -> list[StepView]:
    """Consecutive attempts of the same step are one step."""
    groups: list[list[TranscriptEntry]] = []
    for entry in check.entries:
        if groups and groups[-1][-1].step == entry.step:
            groups[-1].append(entry)
        else:
            groups.append([entry])
    decisive = check.decisive.seq if check.decisive else None
    return [StepView(g[-1].step, tuple(g), any(e.seq == decisive for e in g), folder)
            for g in groups]


def entry_output(folder: Path, entry: TranscriptEntry, name: str) -> Markup:
    """One stream of one attempt, cut around what its expectation looked for."""
    stream = entry.stdout if name == "stdout" else entry.stderr
    said = "; ".join(filter(None, (entry.expectation, entry.message)))
    patterns = [p for on, p in described_patterns(said) if on == name]
    if not patterns and name == "stdout" and entry.message:
        patterns = named_in(entry.message)
    text, missing = _full_text(folder, stream)
    return excerpt(text, patterns, cut_after=missing)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_./]*[A-Za-z0-9]")


def named_in(verdict: str) -> list[re.Pattern[str]]:
    """What a builtin check's verdict names (a metric, an API group version): dotted,
    slashed or underscored names, matched as whole names in the output."""
    names = {n for n in _NAME.findall(verdict) if len(n) >= 6 and set(n) & set("_./")}
    return [re.compile(rf"(?<![\w.-]){re.escape(n)}(?![\w-]|\.\w)") for n in sorted(names)]


def _full_text(folder: Path, stream: Stream) -> tuple[str, int]:
    """The whole output when the raw file is there, else head and tail and the bytes between."""
    if not stream.truncated:
        return stream.head, 0
    path = folder / stream.path
    if os.path.lexists(path) or not Path(os.path.abspath(path)).is_relative_to(
            os.path.abspath(folder)):
        return safefs.read_text(path, folder), 0  # refuses a link or a path outside
    missing = stream.bytes - len(stream.head.encode()) - len(stream.tail.encode())
    return stream.head + stream.tail, max(missing, 0)
