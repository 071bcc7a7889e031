"""``#section`` anchors verified in the fetched HTML, as a browser would find them."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote

# fragments that name no element: GitHub line ranges, text fragments, empty ones
_NOT_AN_ELEMENT = re.compile(r"^(L\d+(C\d+)?(-L\d+(C\d+)?)?|:~:.*|)$")
_PREFIXES = ("", "user-content-")  # GitHub renders Markdown heading ids with this prefix


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if value and (key == "id" or (key == "name" and tag == "a")):
                self.ids.add(value)


def html_ids(html: str) -> set[str]:
    parser = _Ids()
    parser.feed(html)
    return parser.ids


def checkable(fragment: str) -> bool:
    return not _NOT_AN_ELEMENT.match(fragment)


def has_anchor(html: str, fragment: str) -> bool:
    """True when some element carries the fragment as id (or ``<a name>``)."""
    ids = html_ids(html)
    wanted = unquote(fragment)
    return any(prefix + name in ids for prefix in _PREFIXES for name in (wanted, wanted.lower()))
