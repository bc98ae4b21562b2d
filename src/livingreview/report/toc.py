"""The table of contents: the report's ``<h2>`` headings that carry an id, in document order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from markupsafe import Markup

from ..pages import fragment


@dataclass(frozen=True)
class Heading:
    anchor: str
    text: str


class _Headings(HTMLParser):
    """Collects ``<h2 id=...>`` text, leaving out nbconvert's pilcrow anchor links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[Heading] = []
        self._anchor: str | None = None
        self._parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "h2" and attributes.get("id"):
            self._anchor, self._parts = attributes["id"], []
        elif self._anchor is not None and tag == "a" and "anchor-link" in (attributes.get("class") or "").split():
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "a" and self._skip:
            self._skip -= 1
        elif tag == "h2" and self._anchor is not None:
            text = " ".join("".join(self._parts).split())
            if text:
                self.found.append(Heading(self._anchor, text))
            self._anchor = None

    def handle_data(self, data):
        if self._anchor is not None and not self._skip:
            self._parts.append(data)


#: an ``<h2>`` element (one never holds another; the text in it is escaped)
_H2 = re.compile(r"<h2\b[^>]*>.*?</h2>", re.S | re.I)


def headings(html: str) -> list[Heading]:
    """The page's ``<h2>`` headings with an id; only the headings are parsed (a page of a large review is
    megabytes of tables)."""
    parser = _Headings()
    parser.feed("".join(_H2.findall(html)))
    parser.close()
    return parser.found


def toc_html(items: list[Heading]) -> Markup:
    """An ordered list of links to *items* (``templates/pages/toc.html.j2``; empty without items)."""
    return fragment("toc.html.j2", items=items)
