"""Redaction applied to every byte before it reaches disk: outputs, commands, manifests, sessions,
imported test logs and the run record.

Three layers, all always on, then the workspace's own rules (platform.yaml ``redact``: IPs,
account ids, host names):

1. token formats that are secret wherever they appear (cloud and forge keys, JWTs, PEM blocks);
2. values next to a name that says they are secret (``password=``, ``"client_secret": ...``,
   ``Authorization:``, ``--token X``, ``https://user:pass@``, ``?access_token=``) in YAML, JSON,
   escaped JSON, env, header, flag and query syntax;
3. structure: the ``data``/``stringData`` of a Secret (YAML, JSON, and one-line JSON such as the
   last-applied-configuration annotation), block scalars under a secret name (``token: >-``),
   and ``env`` entries whose name says secret (``- name: HF_TOKEN`` then ``value:``).

Why our own table rather than detect-secrets: its plugin discovery imports requests and
multiprocessing (0.1-1.7 s per start), several of its patterns fire on ordinary cluster output
(public IPs, Twilio/Artifactory shapes) and its token shapes lag the vendors (``sk-proj-``).
The formats below follow its plugins and the vendors' documented prefixes.

Redaction works line by line, so streams of any size pass through in constant memory; the
redactor remembers what spans lines (a PEM block, a ``data:`` block, a block scalar, an env
name waiting for its value), so make one per stream with :meth:`Redactor.fresh`.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

MASK = "[REDACTED]"

# names whose value is a secret: the name ends with one of these words (so ``secretName``,
# ``maxTokens`` or ``tokenExpirationSeconds`` are not, ``HF_TOKEN`` and ``client-secret`` are)
_SECRET_WORDS = (r"password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|"
                 r"access[_-]?key(?:[_-]?id)?|secret[_-]?(?:access[_-]?)?key|"
                 r"private[_-]?key(?:[_-]?id)?|account[_-]?key|shared[_-]?access[_-]?key|"
                 r"credentials?|auth|session[_-]?id|"
                 r"client-certificate-data|client-key-data|certificate-authority-data")
_SECRET_NAME = re.compile(rf"(?i)(?:{_SECRET_WORDS})$")
# env var names: also ``*_KEY`` (``OPENAI_KEY``, ``WANDB_API_KEY``)
_SECRET_ENV_NAME = re.compile(rf"(?i)(?:{_SECRET_WORDS}|[_-]key)$")
# a line without any of these (lower-cased) has no named secret: context rules skipped (speed)
_HINTS = ("pass", "pwd", "secret", "token", "key", "auth", "credential", "session", "cookie",
          "bearer", "://", "sig=", "signature=", "code=", "-data")
# values that say nothing secret (flags, placeholders, redactions kubectl already made)
_HARMLESS = re.compile(r"(?i)(?:true|false|null|none|~|\[REDACTED\]|REDACTED|DATA\+OMITTED|"
                       r"\*+|<[^<>]*>|\$\{?\w+\}?|\[\]|\{\})")

# 1. token formats (sources: detect-secrets plugins, vendor docs)
_TOKEN_FORMATS = "|".join((
    r"\b(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}\b",  # AWS access key id
    r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{30,}",  # GitHub
    r"\bgithub_pat_[A-Za-z0-9_]{22,}",
    r"\b(?:glpat|gldt|glft|glsoat|glrt|glptt|glcbt|glimt)-[A-Za-z0-9_-]{20,}",  # GitLab
    r"\bxox[abposr]-[A-Za-z0-9-]{10,}",  # Slack
    r"\bhooks\.slack\.com/services/[A-Za-z0-9_/]+",
    r"\bsk-(?:proj-|ant-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}",  # OpenAI, Anthropic
    r"\b[rs]k_(?:live|test)_[0-9a-zA-Z]{16,}",  # Stripe
    r"\bAIza[0-9A-Za-z_-]{35}",  # Google API key
    r"\bhf_[A-Za-z0-9]{30,}",  # Hugging Face
    r"\bnpm_[A-Za-z0-9]{36}",
    r"\bpypi-AgE[A-Za-z0-9_-]{50,}",
    r"\bdckr_pat_[A-Za-z0-9_-]{20,}",  # Docker Hub
    r"\bSG\.[\w-]{22}\.[\w-]{43}",  # SendGrid
    r"\bsq0csp-[0-9A-Za-z_-]{43}",  # Square
    r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*",  # JWT
))

# 2. secret by context; each keeps group 1 (the name and separator) and masks the value
_CONTEXT_RULES: tuple[tuple[str, str], ...] = (
    # headers whose whole value is a credential: scheme kept, the rest of the line masked
    # headers whose whole value is a credential: the scheme is kept, the rest masked up to
    # the closing quote, or to the end of the line when the value is not quoted
    ("authorization-header", r"(?i)(\b(?:proxy-)?authori[sz]ation\\*[\"']?\s*[:=]\s*\\*[\"']"
                             r"(?:(?:basic|bearer|digest|token|negotiate|ntlm|apikey)\s+)?+)"
                             r"[^\"'\\\r\n]+"),
    ("authorization-line", r"(?i)(\b(?:proxy-)?authori[sz]ation\s*:\s*"
                           r"(?:(?:basic|bearer|digest|token|negotiate|ntlm|apikey)\s+)?+)"
                           r"(?!\[REDACTED\])[^\s\"'\\][^\r\n]*"),
    ("cookie-header", r"(?i)(\b(?:set-)?cookie\\*[\"']?\s*:\s*\\*[\"']?)[^\"'\\\r\n]+"),
    ("bearer", r"(?i)(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}"),
    ("url-password", r"(?i)(\b[a-z][a-z0-9+.-]{0,30}://[^:/?#@\s\"'<>]*:)[^@/?#\s\"'<>]+(?=@)"),
    ("netrc", r"(?i)(\bmachine\s+\S+\s+(?:login\s+\S+\s+)?password\s+)\S+"),
    ("query-secret", r"(?i)([?&;](?:key|sig|signature|code|x-amz-signature|x-amz-credential|"
                     r"x-amz-security-token|x-goog-signature|x-goog-credential)=)[^&\s\"'#]+"),
    ("secret-flag", rf"(?i)((?<![\w-])--?[\w-]*(?:{_SECRET_WORDS}|key)(?:=|\s+)(?!-))"
                    r"\S+"),  # to the next space, quotes included: all of it is the value
)
_SECRET_FLAG = re.compile(rf"(?i)--?[\w-]*(?:{_SECRET_WORDS}|key)")
# name [:=] value in YAML, JSON, escaped JSON, env and query syntax
_NAME_SEP = re.compile(
    r"(?<![\w.-])(?P<name>\\*[\"']?(?P<word>[\w.-]+)\\*[\"']?)(?P<sep>\s*[:=]\s*)")
_VALUE = re.compile(r"(?P<q>\\*[\"'])(?P<quoted>(?:(?!(?P=q)).)*)(?P=q)|"
                    r"(?P<plain>\[REDACTED\]|[^\s\"',;&{}\[\]\\]+)")

# 3. structure
_PEM_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]+-----")
_PEM_END = re.compile(r"-----END [A-Z0-9 ]+-----")
_DATA_KEY = re.compile(r"^(?P<indent>\s*)(?:- )?(?P<q>\"?)(?P<key>data|binaryData|stringData)"
                       r"(?P=q)\s*:\s*(?P<open>\{)?\s*$")
_BLOCK_SCALAR = re.compile(r"^\s*(?:- )?[\"']?(?P<word>[\w.-]+)[\"']?\s*:\s*[|>][-+0-9]*\s*"
                           r"(?:#.*)?$")
_ENTRY = re.compile(r"^(?P<lead>\s*(?:- )?(?P<q>\"?)[^\s\"]+(?P=q)\s*:\s*)(?P<value>.*)$")
# one-line data (compact JSON, the last-applied annotation, YAML flow style)
_INLINE_DATA = re.compile(r"(\\*\"?(?P<key>data|binaryData|stringData)\\*\"?\s*:\s*\{)([^{}]*)(\})")
_INLINE_ENTRY = re.compile(r"(\\*\"?[^\"\\\s,{}:]+\\*\"?\s*:\s*\\*\"?)((?:[^\"\\,}\s]|\\[^\"])*)")
_INLINE_KIND_SECRET = re.compile(r"\\*\"?kind\\*\"?\s*:\s*\\*\"?Secret\b")
_ENV_NAME = re.compile(r"^\s*(?:- )?\"?name\"?\s*:\s*[\"']?(?P<name>[\w.-]+)[\"']?,?\s*$")
_ENV_VALUE = re.compile(r"^(?P<lead>\s*\"?value\"?\s*:\s*)(?P<value>.*)$")
_INLINE_ENV = re.compile(r"(?i)(\\*\"?name\\*\"?\s*:\s*\\*[\"']?(?P<name>[\w.-]+)\\*[\"']?\s*,\s*"
                         r"\\*\"?value\\*\"?\s*:\s*\\*[\"']?)((?:[^\"'\\,}]|\\[^\"])*)")
_BLOCK_INDICATOR = re.compile(r"[|>][-+0-9]*")
_KIND_SECRET = re.compile(r"^\s*(?:- )?\"?kind\"?\s*:\s*\"?Secret\"?,?\s*$")
_DOC_START = re.compile(r"^(?:---|- |\{\s*$)")  # a new document or list item


_SECRET_RESOURCE = re.compile(r"(?i)(?:[\w.-]+,)*secrets?(?:\.[\w.-]*)?(?:,[\w.-]+)*(?:/.*)?")
_VALUE_FORMATS = ("jsonpath", "go-template", "template", "custom-columns")


def reveals_secret_values(argv: list[str]) -> bool:
    """``kubectl get secret ... -o jsonpath=...`` (or a template, custom columns) prints bare
    values, so all of its output is masked; YAML and JSON output is redacted by structure."""
    words = argv[1:]
    if "get" not in words or not any(_SECRET_RESOURCE.fullmatch(w) for w in words):
        return False
    formats = []
    for number, word in enumerate(words):
        if word in ("-o", "--output") and number + 1 < len(words):
            formats.append(words[number + 1])
        elif word.startswith(("-o", "--output=")):
            formats.append(word.removeprefix("--output=").removeprefix("-o").lstrip("="))
    return any(f.startswith(_VALUE_FORMATS) for f in formats)


def _is_base64(value: str) -> bool:
    """A Secret's ``data`` value: ConfigMap values rarely are (short words are left alone)."""
    value = value.strip().strip("\"'")
    if len(value) < 8 or len(value) % 4:
        return False
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _mask_pem_blocks(text: str) -> str:
    """Every whole PEM block on the line (JSON-escaped keys, several on one line), in one pass:
    an END is looked for once per BEGIN, so a line of many BEGINs stays linear."""
    out, position = [], 0
    while begin := _PEM_BEGIN.search(text, position):
        end = _PEM_END.search(text, begin.end())
        if not end:
            break
        out += [text[position:begin.end()], MASK, end[0]]
        position = end.end()
    return "".join(out) + text[position:]


def _masked_entry(lead: str, value: str, rest: str) -> str:
    """``lead`` then the value masked, keeping its quotes and a trailing comma (JSON)."""
    core = value.rstrip()
    comma = "," if core.endswith(",") else ""
    quote = '"' if core.startswith('"') else ""
    return f"{lead}{quote}{MASK}{quote}{comma}{value[len(core):]}{rest}"


def _value_of(value: str) -> str:
    """A YAML or JSON value without its trailing comma and quotes."""
    return value.rstrip().removesuffix(",").strip("\"'")


def _harmless(value: str) -> bool:
    return not value or bool(_HARMLESS.fullmatch(value.strip()))


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    replacement: str


_BUILTIN: tuple[Rule, ...] = (
    Rule("token-format", re.compile(_TOKEN_FORMATS), MASK),
    *(Rule(name, re.compile(pattern), rf"\g<1>{MASK}") for name, pattern in _CONTEXT_RULES),
)


def _mask_named_values(text: str) -> str:
    """Mask the value after every name that says secret; a pair inside another value
    (``--from-literal=password=x``) is found too, since scanning resumes after each name."""
    out, position = [], 0
    for name in _NAME_SEP.finditer(text):
        if name.start() < position or not _SECRET_NAME.search(name["word"]):
            continue
        value = _VALUE.match(text, name.end())
        if not value or _harmless(value["quoted"] if value["q"] else value["plain"]):
            continue
        out += [text[position:name.end()], f"{value['q']}{MASK}{value['q']}" if value["q"]
                else MASK]
        position = value.end()
    return "".join(out) + text[position:] if out else text


def _inline_data(match: re.Match[str]) -> str:
    """``"data":{"k":"v",...}`` on one line (compact JSON, the last-applied annotation, YAML
    flow style): every value of a Secret's, base64-looking values of any other."""
    everything = match["key"] == "stringData" or bool(_INLINE_KIND_SECRET.search(match.string))

    def entry(inner: re.Match[str]) -> str:
        value = inner[2]
        if value and not _harmless(value) and (everything or _is_base64(value)):
            return f"{inner[1]}{MASK}"
        return inner[0]
    return match[1] + _INLINE_ENTRY.sub(entry, match[3]) + match[4]


def _inline_env(match: re.Match[str]) -> str:
    if not _SECRET_ENV_NAME.search(match["name"]) or _harmless(match[3]):
        return match[0]
    return match[1] + MASK


@dataclass
class Redactor:
    """Stateful per stream (PEM and YAML/JSON blocks): make one per output with :meth:`fresh`."""

    rules: tuple[Rule, ...]
    _in_pem: bool = field(default=False, repr=False)
    _block: tuple[int, str, bool] | None = field(default=None, repr=False)  # indent, mode, json
    _env_wait: int = field(default=0, repr=False)  # lines left for a secret env name's value
    _secret_doc: bool = field(default=False, repr=False)  # ``kind: Secret`` seen in this doc
    _line_masked: bool = field(default=False, repr=False)  # the current line's value was masked
    whole: bool = False  # every line is a secret (see :func:`reveals_secret_values`)

    @classmethod
    def from_workspace(cls, extra: Iterable[Mapping[str, str]] = ()) -> Redactor:
        rules = list(_BUILTIN)
        for number, rule in enumerate(extra):
            rules.append(Rule(rule.get("name", f"workspace-{number}"), re.compile(rule["pattern"]),
                              rule.get("replacement", MASK)))
        return cls(tuple(rules))

    @classmethod
    def for_platform(cls, platform: Mapping[str, Any]) -> Redactor:
        """The built-in rules and those of a workspace's platform.yaml ``redact``."""
        return cls.from_workspace(platform.get("redact") or ())

    def fresh(self) -> Redactor:
        return Redactor(self.rules, whole=self.whole)

    def for_command(self, argv: list[str]) -> Redactor:
        """A fresh redactor for one command's output: all of it when it prints bare values
        of a Secret, which carry no name or format to recognise them by."""
        fresh = self.fresh()  # of the same kind (the upstream suite redacts JSON events)
        fresh.whole = reveals_secret_values(argv)
        return fresh

    def line(self, text: str, continued: bool = False) -> str:
        """Redact one line (with its newline, if any); ``continued``: a later piece of a line
        too long to hold, cut between tokens (see :mod:`generator.collect.stream`)."""
        if self.whole:
            body = text.rstrip("\r\n")
            return (MASK if body.strip() and not continued else "") + text[len(body):]
        if self._in_pem:
            end = _PEM_END.search(text)
            if not end:
                return ""
            self._in_pem = self._line_masked = False
            return end[0] + self.line(text[end.end():], continued=True)
        if "-----BEGIN " not in text:
            return self._apply(self._structure(text, continued))
        text = _mask_pem_blocks(text)
        begin = None
        for begin in _PEM_BEGIN.finditer(text):  # noqa: B007 (the last one: does it stay open?)
            pass
        if begin and not _PEM_END.search(text, begin.end()):
            before = self._apply(self._structure(text[: begin.start()], continued))
            self._in_pem = True
            return f"{before}{begin[0]}\n{MASK}\n"
        return self._apply(self._structure(text, continued))

    def _structure(self, text: str, continued: bool = False) -> str:
        """What only the lines around tell: a Secret's data, a block scalar, an env value."""
        body = text.rstrip("\r\n")
        if continued:  # the rest of a line whose start was masked is masked too
            return text[len(body):] if self._line_masked else text
        self._line_masked = False
        indent = len(body) - len(body.lstrip())
        if _DOC_START.match(body):
            self._secret_doc = False
        if _KIND_SECRET.match(body):
            self._secret_doc = True
        if self._block is not None:
            block_indent, mode, is_json = self._block
            closing = is_json and body.strip().startswith("}") and indent <= block_indent
            if body.strip() and ((indent <= block_indent and not body.strip().startswith("#"))
                                 or closing):
                self._block = None
            elif mode == "lines":
                self._line_masked = bool(body.strip())
                return f"{body[:indent]}{MASK}{text[len(body):]}" if body.strip() else text
            else:
                everything = mode == "all" or self._secret_doc
                entry = _ENTRY.match(body)
                if not entry:  # a line of a multi-line value: a Secret's is secret throughout
                    self._line_masked = everything and bool(body.strip())
                    return f"{body[:indent]}{MASK}{text[len(body):]}" if self._line_masked \
                        else text
                value = _value_of(entry["value"])
                if (everything or _is_base64(value)) and not _harmless(value):
                    self._line_masked = True
                    return _masked_entry(entry["lead"], entry["value"], text[len(body):])
                return text
        data = _DATA_KEY.match(body)
        if data:
            mode = "all" if data["key"] == "stringData" else "base64"
            self._block = (indent, mode, bool(data["open"]))
        elif body.endswith(("|", ">", "-", "+")) or "#" in body:
            scalar = _BLOCK_SCALAR.match(body)
            if scalar and _SECRET_NAME.search(scalar["word"]):
                self._block = (indent, "lines", False)
        if self._env_wait:
            self._env_wait -= 1
            pair = _ENV_VALUE.match(body)
            if pair and _BLOCK_INDICATOR.fullmatch(pair["value"].strip()):
                self._env_wait, self._block = 0, (indent, "lines", False)
            elif pair and not _harmless(_value_of(pair["value"])):
                self._env_wait, self._line_masked = 0, True
                return _masked_entry(pair["lead"], pair["value"], text[len(body):])
        env = _ENV_NAME.match(body) if "name" in body else None
        if env and _SECRET_ENV_NAME.search(env["name"]):
            self._env_wait = 3
        return text

    def _apply(self, text: str) -> str:
        builtin = len(_BUILTIN)
        text = self.rules[0].pattern.sub(self.rules[0].replacement, text)  # token formats
        lowered = text.lower()
        if any(hint in lowered for hint in _HINTS):
            text = _INLINE_DATA.sub(_inline_data, text)
            text = _INLINE_ENV.sub(_inline_env, text)
            for rule in self.rules[1:builtin]:
                text = rule.pattern.sub(rule.replacement, text)
            text = _mask_named_values(text)
        for rule in self.rules[builtin:]:
            text = rule.pattern.sub(rule.replacement, text)
        return text

    def text(self, text: str) -> str:
        """Redact a whole string (commands, manifests, session entries)."""
        fresh = self.fresh()
        return "".join(fresh.line(line) for line in text.splitlines(keepends=True))

    def argv(self, words: list[str]) -> list[str]:
        """A command's words: each redacted, and the word after a secret flag (``--token X``)."""
        masked = [self.text(word) for word in words]
        for number, word in enumerate(words[:-1]):
            if _SECRET_FLAG.fullmatch(word) and not words[number + 1].startswith("-"):
                masked[number + 1] = MASK
        return masked

    def tree(self, value: Any) -> Any:
        """Every string of a JSON-like value (the run record, imported checks), keys kept."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.tree(item) for item in value]
        if isinstance(value, dict):
            return {key: MASK if isinstance(item, str) and isinstance(key, str)
                    and _SECRET_NAME.search(key) and not _harmless(item) else self.tree(item)
                    for key, item in value.items()}
        return value


def masked_values(original: str, redacted: str) -> set[str]:
    """What redaction masked in one line: the text between the pieces it kept (the rest of the
    line where it added its own, e.g. after a PEM header)."""
    pieces = redacted.split(MASK)
    if original.strip() and not redacted.strip():  # a line inside a PEM block
        return {original.strip()}
    if len(pieces) == 1 or not original.startswith(pieces[0]):
        return set()
    found, position = set(), len(pieces[0])
    for piece in pieces[1:]:
        end = original.find(piece, position + 1) if piece else len(original)
        if end < 0:
            found.add(original[position:])
            break
        found.add(original[position:end])
        position = end + len(piece)
    return {value for value in found if len(value.strip()) >= 3}


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Mask every secret in ``text`` as written plainly, XML-escaped or JSON-escaped."""
    for secret in sorted(secrets, key=len, reverse=True):
        for line in {secret, *secret.splitlines()}:
            if len(line.strip()) < 3:
                continue
            escaped = html.escape(line, quote=True)
            for form in (line, escaped, escaped.replace("&#x27;", "&apos;"),
                         escaped.replace("&quot;", "&#34;"), json.dumps(line)[1:-1],
                         escaped.replace("\n", "&#xA;"), escaped.replace("\n", "&#10;")):
                text = text.replace(form, MASK)
    return text


_JSON_ESCAPES = re.compile(r'\\(["\\/nrt])')


def _test2json_output(text: str) -> str:
    """The printed output of a ``go test -json`` log, its lines joined as the test wrote them."""
    output = []
    for line in text.splitlines():
        if line.startswith("{") and '"Output"' in line:
            with contextlib.suppress(ValueError):
                event = json.loads(line)
                if isinstance(event, dict) and isinstance(event.get("Output"), str):
                    output.append(event["Output"])
    return "".join(output)


def redact_document(redactor: Redactor, data: bytes) -> bytes:
    """A file kept as evidence (an imported test log): redacted as written, and as its XML or
    JSON escaping reads (``&#xA;``, ``\\n``), so a secret is masked in whichever form it is kept."""
    text = data.decode("utf-8", errors="surrogateescape")
    views = {html.unescape(text), _test2json_output(text),
             _JSON_ESCAPES.sub(lambda m: {"n": "\n", "r": "\r", "t": "\t"}.get(m[1], m[1]), text)}
    secrets: set[str] = set()
    for view in views - {text}:
        reader = redactor.fresh()
        for line in view.splitlines(keepends=True):
            secrets |= masked_values(line, reader.line(line))
    return scrub(redactor.text(text), secrets).encode("utf-8", errors="surrogateescape")
