"""Redaction applied to every byte before it reaches disk: outputs, commands, manifests, sessions.

Built-in rules (always on) cover bearer tokens, JWTs, kubeconfig credentials and PEM blocks;
a workspace adds its own (IPs, account ids, hostnames) in platform.yaml ``redact``.
Redaction works line by line so that streams of any size pass through in constant memory;
PEM blocks span lines, so the redactor remembers whether it is inside one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MASK = "[REDACTED]"

_BUILTIN_RULES: tuple[tuple[str, str, str], ...] = (
    ("bearer", r"(?i)(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}", rf"\g<1>{MASK}"),
    ("jwt", r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+", MASK),
    ("kubeconfig-secret",
     r"(?i)([\"']?\b(?:token|client-certificate-data|client-key-data|certificate-authority-data|"
     r"id-token|refresh-token|client-secret|password|auth-provider-token)[\"']?\s*[:=]\s*[\"']?)"
     r"(?!\[REDACTED\]|DATA\+OMITTED|REDACTED)[^\s\"',}]{4,}",
     rf"\g<1>{MASK}"),
    ("token-flag", r"(--token[= ])\S+", rf"\g<1>{MASK}"),
)
_PEM_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]*(PRIVATE KEY|CERTIFICATE)[A-Z ]*-----")
_PEM_END = re.compile(r"-----END [A-Z0-9 ]*-----")


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    replacement: str


@dataclass
class Redactor:
    """Stateful per stream (PEM blocks): make one per output with :meth:`fresh`."""

    rules: tuple[Rule, ...]
    _in_pem: bool = field(default=False, repr=False)

    @classmethod
    def from_workspace(cls, extra: Iterable[Mapping[str, str]] = ()) -> Redactor:
        rules = [Rule(n, re.compile(p), r) for n, p, r in _BUILTIN_RULES]
        for number, rule in enumerate(extra):
            rules.append(Rule(rule.get("name", f"workspace-{number}"), re.compile(rule["pattern"]),
                              rule.get("replacement", MASK)))
        return cls(tuple(rules))

    def fresh(self) -> Redactor:
        return Redactor(self.rules)

    def line(self, text: str) -> str:
        """Redact one line (with its newline, if any)."""
        if self._in_pem:
            end = _PEM_END.search(text)
            if end:
                self._in_pem = False
                return text[end.start():]
            return ""
        begin = _PEM_BEGIN.search(text)
        if begin and not _PEM_END.search(text, begin.end()):
            self._in_pem = True
            return self._apply(text[: begin.end()]) + f"\n{MASK}\n"
        if begin:  # a whole PEM on one line (escaped newlines in JSON)
            text = re.sub(r"(-----BEGIN [^-]+-----).*?(-----END [^-]+-----)",
                          rf"\g<1>{MASK}\g<2>", text)
        return self._apply(text)

    def _apply(self, text: str) -> str:
        for rule in self.rules:
            text = rule.pattern.sub(rule.replacement, text)
        return text

    def text(self, text: str) -> str:
        """Redact a whole string (commands, manifests, session entries)."""
        fresh = self.fresh()
        return "".join(fresh.line(line) for line in text.splitlines(keepends=True))
