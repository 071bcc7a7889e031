"""Go's standard library as the validator meets it: how it trims, quotes and words its errors.

CI prints these texts inside its lines (strconv's %q, net/http's URL errors, encoding/json's
and encoding/xml's syntax errors, syscall errors), so reproducing CI's lines means reproducing
them; Python's parsers find the same faults and this module says them in Go's words.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the XML parser is loaded only by a review that meets a junit.xml
    import xml.etree.ElementTree as ET

TRIM_SPACE = ("\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
              "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")  # unicode.IsSpace
RE2_SPACE = "\t\n\f\r "  # \s in Go's regexp

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\v": "\\v", "\\": "\\\\"}
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
# Go may re-encode these: controls, space, % @ [ ] \ and anything past ASCII (a negated class:
# a range up to U+10FFFF costs 7 ms to compile at every start)
_URL_UNMODELLED = re.compile(r"[\x00-\x20%@\[\]\\]|[^\x00-\x7e]")
_FIRST_ELEMENT = re.compile(r"<[A-Za-z_]")
_UNPARSED = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)
_ENTITY = re.compile(r"&(?!(?:lt|gt|amp|apos|quot|#[0-9]+|#x[0-9a-fA-F]+);)[A-Za-z_][\w.-]*;")


def _quote_rune(char: str, quote: str) -> str:
    if char == quote or char in _ESCAPES:
        return _ESCAPES.get(char, "\\" + char)
    if char.isprintable():
        return char
    code = ord(char)
    if code < 0x80:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def quote(text: str) -> str:
    """strconv.Quote, what %q prints."""
    return '"' + "".join(_quote_rune(char, '"') for char in text) + '"'


def quote_byte(char: str) -> str:
    """encoding/json's quoteChar: the character's first byte, read as the rune of that value."""
    return "'" + _quote_rune(chr(char.encode("utf-8", "surrogatepass")[0]), "'") + "'"


def errno_text(exc: OSError) -> str:
    """A syscall error as Go words it: strerror in lower case (``no such file or directory``)."""
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


def http_error(url: str) -> str | None:
    """What Go's HTTP client says, with no network, about a URL it cannot even try.

    Only URLs that Go's url.Parse keeps as written are judged (no spaces, %, @, brackets or
    non-ASCII), so the quoted URL in the error is exactly Go's.
    """
    if _URL_UNMODELLED.search(url):
        return None
    match = _SCHEME.match(url)
    if match is None:
        return f'Get "{url}": unsupported protocol scheme ""'
    scheme, rest = match.group(1).lower(), url[match.end():]
    if scheme not in ("http", "https"):
        return f'Get "{scheme}:{rest}": unsupported protocol scheme "{scheme}"'
    if rest.startswith("//"):
        if re.split(r"[/?#]", rest[2:], maxsplit=1)[0]:
            return None
        after = rest[2:]
        shown = f"{scheme}://{after}" if after.startswith("/") else f"{scheme}:{after}"
    else:
        shown = f"{scheme}:{rest}"
    return f'Get "{shown}": http: no Host in request URL'


class JsonConstant(Exception):
    """NaN, Infinity or -Infinity: Python reads them, Go does not (json.loads parse_constant)."""


def reject_constant(name: str) -> Any:
    raise JsonConstant(name)


def json_constant_error(line: str) -> str:
    """encoding/json's error at the first NaN or Infinity outside strings."""
    for index, char in _outside_strings(line):
        if line.startswith(("NaN", "Infinity"), index):
            return f"invalid character '{char}' looking for beginning of value"
        if line.startswith("-Infinity", index):
            return "invalid character 'I' in numeric literal"
    return "invalid character looking for beginning of value"


def json_syntax_error(line: str, exc: json.JSONDecodeError) -> str:
    """encoding/json's words for Python's syntax error on the same input."""
    if exc.pos >= len(line) or exc.msg.startswith("Unterminated string"):
        return "unexpected end of JSON input"
    char = quote_byte(line[exc.pos])
    if exc.msg.startswith("Invalid \\escape"):
        return f"invalid character {quote_byte(line[exc.pos + 1])} in string escape code"
    if exc.msg.startswith("Invalid \\uXXXX"):
        bad = next(c for c in line[exc.pos + 2:exc.pos + 6] if c not in string.hexdigits)
        return f"invalid character {quote_byte(bad)} in \\u hexadecimal character escape"
    if exc.msg.startswith("Expecting ',' delimiter"):
        after = "object key:value pair" if _innermost(line, exc.pos) == "{" else "array element"
        return f"invalid character {char} after {after}"
    words = {"Expecting property name": "looking for beginning of object key string",
             "Expecting ':' delimiter": "after object key",
             "Extra data": "after top-level value",
             "Invalid control character": "in string literal"}
    return f"invalid character {char} " + next(
        (w for m, w in words.items() if exc.msg.startswith(m)), "looking for beginning of value")


def _innermost(line: str, pos: int) -> str:
    """The bracket ({ or [) open at ``pos``."""
    stack = []
    for index, char in _outside_strings(line):
        if index >= pos:
            break
        if char in "{[":
            stack.append(char)
        elif char in "}]" and stack:
            stack.pop()
    return stack[-1] if stack else ""


def _outside_strings(line: str) -> Iterator[tuple[int, str]]:
    in_string = escaped = False
    for index, char in enumerate(line):
        if not in_string:
            in_string = char == '"'
            yield index, char
        elif escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            in_string = False


def xml_unknown_entity(data: bytes) -> tuple[int, str] | None:
    """(line, reference) of the first entity Go does not know: it knows only the five
    predefined ones and ignores a DTD's declarations (which expat expands, or rejects)."""
    if b"&" not in data:
        return None
    text = _UNPARSED.sub(lambda m: "\n" * m.group(0).count("\n"),
                         data.decode("utf-8", "replace"))  # lines kept for the line number
    start = _FIRST_ELEMENT.search(text)
    reference = _ENTITY.search(text, start.start() if start else 0)
    if reference is None:
        return None
    return text.count("\n", 0, reference.start()) + 1, reference.group(0)


def xml_error(data: bytes, error: ET.ParseError | None, open_tags: list[str]) -> str:
    """encoding/xml's words for expat's error, where they are predictable."""
    if error is None or b"<" not in data:
        return "EOF"  # Go skips text until the first element: without one it reaches EOF
    line, column = error.position
    if str(error).startswith("no element found"):
        last = data.count(b"\n") + 1
        return f"XML syntax error on line {last}: unexpected EOF"
    if str(error).startswith("mismatched tag") and open_tags:
        text = data.decode("utf-8", "replace").split("\n")[line - 1][column:]
        closing = re.match(r"[^\s>/]+", text)
        if closing:
            return (f"XML syntax error on line {line}: element <{open_tags[-1]}> closed by "
                    f"</{closing.group(0)}>")
    return f"XML syntax error on line {line}: {error}"
