"""The vendor's own narrative (``notes.md``) as safe HTML: Markdown formatting kept, anything
that could run or reach another host removed.

notes.md is Markdown with raw HTML allowed, written by whoever edits the workspace and shown
to every reviewer: it is rendered here (python-markdown, as mkdocs would) and cleaned by
nh3 (the Ammonia sanitiser): no script, event handler, ``javascript:`` URL, style, form or
frame survives; links keep http(s), mailto and relative targets; images only relative ones
(the site makes no request to another host).  The result is one raw HTML block, which
mkdocs passes through untouched.
"""

from __future__ import annotations

import markdown
import nh3
from markupsafe import Markup

_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "def_list", "abbr", "footnotes"]
_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
         "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre",
         "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr",
         "ul"}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"},
               "td": {"align"}, "th": {"align"}, "ol": {"start"}}


def _attribute(element: str, attribute: str, value: str) -> str | None:
    """Images only from the site itself: an absolute ``src`` would be a request elsewhere."""
    if element == "img" and attribute == "src" and (":" in value or value.startswith("//")):
        return None
    return value


def vendor_markdown(text: str | None) -> Markup:
    """``notes.md`` as one sanitised HTML block for a page."""
    if not text:
        return Markup("")
    rendered = markdown.markdown(text, extensions=_EXTENSIONS, output_format="html")
    clean = nh3.clean(rendered, tags=_TAGS, attributes=_ATTRIBUTES,
                      clean_content_tags={"script", "style", "template", "noscript"},
                      url_schemes={"http", "https", "mailto"}, attribute_filter=_attribute,
                      link_rel="noopener noreferrer nofollow")
    return Markup(f'<div class="vendor-notes">\n{clean}\n</div>')
