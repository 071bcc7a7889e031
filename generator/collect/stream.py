"""Stream a command's output to disk, redacted, in constant memory, keeping head and tail excerpts.

The transcript and the site show the excerpt; the full file under ``output/`` is linked.
Redaction sees whole lines however the pipe delivers them: pieces are joined up to a newline,
and a line longer than ``LINE_LIMIT`` is cut between tokens (never after ``name:``, ``--flag``
or an auth scheme, never inside a PEM marker), so a secret is never split between two pieces.
An unbroken run of ``TOKEN_LIMIT`` characters is masked whole: memory stays bounded.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import re
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from generator.collect.redact import MASK, Redactor
from generator.evidence.model import Stream

EXCERPT_CHARS = 2000
READ_LINE_LIMIT = 64 * 1024  # one read from the pipe
LINE_LIMIT = 1024 * 1024  # a longer line is redacted in pieces cut between tokens
TOKEN_LIMIT = 8 * LINE_LIMIT  # an unbroken run this long is masked, not held
_BOUNDARY = re.compile(r"[\s,;]+")
# a cut here would part a name from its value (``token: X``, ``--password X``, ``Bearer X``)
_NAME_BEFORE = re.compile(r"(?i)(?:[:=]|--?[\w-]+|\b(?:bearer|basic|digest|token|negotiate|ntlm|"
                          r"apikey)|-----(?:BEGIN|END)[A-Z0-9 ]*)$")


class StreamCapture:
    """Redacts and writes lines to ``path`` while hashing them and keeping excerpts."""

    def __init__(self, path: Path, relative: str, redactor: Redactor) -> None:
        self._handle: IO[bytes] | None = None
        self._relative = relative
        self.error: str | None = None  # set when the disk refused output: the pipe still drains
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = path.open("wb")
        except OSError as exc:
            self._failed(exc)
        self._redactor = redactor.fresh()
        self._hash = hashlib.sha256()
        self._bytes = 0
        self._head: list[str] = []
        self._head_chars = 0
        self._tail: deque[str] = deque()
        self._tail_chars = 0

    def write(self, text: str, continued: bool = False) -> None:
        text = self._redactor.line(text, continued)
        if not text:
            return
        data = text.encode("utf-8")
        if self._handle is None:
            return  # nothing can be kept; reading on lets the command finish
        try:
            self._handle.write(data)
        except OSError as exc:
            self._failed(exc)
            return
        self._hash.update(data)
        self._bytes += len(data)
        if self._head_chars < EXCERPT_CHARS:
            self._head.append(text[: EXCERPT_CHARS - self._head_chars])
            self._head_chars += len(self._head[-1])
        self._tail.append(text)
        self._tail_chars += len(text)
        while self._tail and self._tail_chars - len(self._tail[0]) >= EXCERPT_CHARS:
            self._tail_chars -= len(self._tail.popleft())

    def feed_binary(self, pipe: IO[bytes]) -> None:
        """Copy a pipe line by line until EOF (runs in its own thread for live commands)."""
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        pending, continued, masking = "", False, False
        for chunk in iter(lambda: pipe.readline(READ_LINE_LIMIT), b""):
            pending += decoder.decode(chunk)
            if masking:  # the rest of an over-long token, up to the next boundary
                boundary = _BOUNDARY.search(pending)
                pending, masking = (pending[boundary.start():], False) if boundary else ("", True)
            if pending.endswith("\n"):
                self.write(pending, continued)
                pending, continued = "", False
            elif len(pending) >= LINE_LIMIT:
                cut = _token_cut(pending)
                if cut:
                    self.write(pending[:cut], continued)
                    pending, continued = pending[cut:], True
                elif len(pending) >= TOKEN_LIMIT:
                    self.write(MASK, continued)
                    pending, continued, masking = "", True, True
        pending += decoder.decode(b"", final=True)
        if pending:
            self.write(pending, continued)

    def feed_lines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def _failed(self, exc: OSError) -> None:
        self.error = f"cannot write {self._relative}: {exc.strerror or exc}"
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()
            self._handle = None

    def close(self) -> Stream:
        """Finish the file; return what the transcript says of it."""
        if self._handle is not None:
            try:
                self._handle.close()
            except OSError as exc:
                self._failed(exc)
        head = "".join(self._head)
        truncated = self._bytes > len(head.encode("utf-8"))
        tail = "".join(self._tail)[-EXCERPT_CHARS:] if truncated else ""
        return Stream(self._relative, self._bytes, self._hash.hexdigest(), head, tail,
                      truncated)


def _token_cut(text: str) -> int | None:
    """The last place in ``text`` where a token starts that does not need what comes before."""
    cuts = [m.end() for m in _BOUNDARY.finditer(text) if m.end() < len(text)]
    for cut in reversed(cuts):
        if not _NAME_BEFORE.search(text[max(0, cut - 200):cut].rstrip(" \t,;")):
            return cut
    return None
