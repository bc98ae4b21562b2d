"""Citations in Markdown prose, in Pandoc's syntax (the same as Quarto's and R Markdown's).

=====================================  ==========================================================
``[@doe2020]``                         a citation: "(Doe & Roe, 2020)"; "(1)" in a numeric style
``[@doe2020, p. 3]``                   with a locator (``p.``, ``pp.``, ``chap.``, ``sec.``, ``fig.``...;
                                       a bare number is a page); text after it is a suffix
``[see @doe2020; also @roe2018]``      several works, each with an optional prefix and locator
``[-@doe2020]``                        the author left out: "(2020)"
``@doe2020`` / ``@doe2020 [p. 3]``     narrative (in the text): "Doe and Roe (2020)"
``@{key.with:odd/chars}``              a key that would otherwise end early
=====================================  ==========================================================

As in Pandoc, a key starts with a letter, digit or ``_`` and may hold ``:.#$%&-+?<>~/`` between
alphanumerics (so the full stop ending a sentence is not part of the key). An ``@`` that follows a
letter or digit is not a citation (an e-mail address); ``\\@`` is a literal "@". Nothing in code (a
code span, a fenced or indented code block), an HTML tag or autolink, or a link's address is a
citation, nor is a bracket that is a link's text (``[text](url)``, ``[text][ref]``).

This module only finds citations and replaces them (:func:`find`, :func:`substitute`); formatting
them is the citation formatter's (:meth:`livingreview.bib.cite.References.cite`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

#: locator terms (as Pandoc reads them, English) -> the CSL locator type
LOCATOR_TERMS: dict[str, str] = {
    "book": "book", "bk.": "book", "bks.": "book",
    "chapter": "chapter", "chap.": "chapter", "chaps.": "chapter", "ch.": "chapter",
    "column": "column", "col.": "column", "cols.": "column",
    "figure": "figure", "fig.": "figure", "figs.": "figure",
    "folio": "folio", "fol.": "folio", "fols.": "folio",
    "line": "line", "l.": "line", "ll.": "line",
    "note": "note", "n.": "note", "nn.": "note",
    "number": "issue", "no.": "issue", "nos.": "issue",
    "opus": "opus", "op.": "opus", "opp.": "opus",
    "page": "page", "pages": "page", "p.": "page", "pp.": "page",
    "paragraph": "paragraph", "para.": "paragraph", "paras.": "paragraph", "¶": "paragraph", "¶¶": "paragraph",
    "part": "part", "pt.": "part", "pts.": "part",
    "section": "section", "sec.": "section", "secs.": "section", "§": "section", "§§": "section",
    "sub verbo": "sub verbo", "s.v.": "sub verbo", "s.vv.": "sub verbo",
    "verse": "verse", "v.": "verse", "vv.": "verse",
    "volume": "volume", "vol.": "volume", "vols.": "volume",
}
LOCATOR_TERMS |= {plural: LOCATOR_TERMS[singular] for singular, plural in (
    ("book", "books"), ("chapter", "chapters"), ("column", "columns"), ("figure", "figures"), ("folio", "folios"),
    ("line", "lines"), ("note", "notes"), ("number", "numbers"), ("opus", "opera"), ("paragraph", "paragraphs"),
    ("part", "parts"), ("section", "sections"), ("verse", "verses"), ("volume", "volumes"))}

_KEY = r"[\w](?:[\w]|[:.#$%&\-+?<>~/](?=[\w]))*"
_AT_KEY = re.compile(rf"(-?)@(?:\{{([^{{}}\s]+)\}}|({_KEY}))")
_TERMS = "|".join(re.escape(t) for t in sorted(LOCATOR_TERMS, key=len, reverse=True))
_LOCATOR = re.compile(rf"^({_TERMS})(?:\s+|(?<=[.§¶]))(\S+?(?:\s*,\s*\d[^\s,;]*)*)(?=$|[\s,;])", re.IGNORECASE)
_BARE_PAGE = re.compile(r"^(\d[^\s,;]*(?:\s*,\s*\d[^\s,;]*)*)(?=$|[\s,;])")
_FOLLOWING = re.compile(r" ?\[([^\[\]@]*)\]")  # "@doe2020 [p. 3]"
#: an @ after a letter, a digit or one of these is not a citation (an e-mail address, a handle in an address)
_NOT_BEFORE = "_-+.:/@"
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_HTML_TAG = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?|/[A-Za-z][A-Za-z0-9-]*\s*|[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>")
_LINK_DEST = re.compile(r"\]\([^)]*\)")


@dataclass(frozen=True)
class Cite:
    """One work within a citation."""

    key: str
    prefix: str = ""  #: text before the key ("see")
    locator: tuple[str, str] | None = None  #: (CSL locator type, value): ("page", "3")
    suffix: str = ""  #: text after the key and its locator
    suppress_author: bool = False  #: ``-@key``: the date (or number) only


@dataclass(frozen=True)
class Citation:
    """A citation as written in the prose: its source text, where it is, and the works it cites."""

    source: str  #: the text as written: ``[@doe2020, p. 3]`` or ``@doe2020``
    start: int
    end: int
    cites: tuple[Cite, ...]
    narrative: bool = False  #: a bare ``@key``: the authors in the text, the date in parentheses

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.cites)


def _masked(text: str) -> str:
    """*text* with every place that cannot hold a citation blanked out (same length, same offsets)."""
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "

    offset, fence, previous_blank = 0, None, True
    for line in text.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence is not None:
            blank(offset, offset + len(line))
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
        elif match:
            fence = match.group(1)
            blank(offset, offset + len(line))
        elif previous_blank and (line.startswith("    ") or line.startswith("\t")) and line.strip():
            blank(offset, offset + len(line))  # an indented code block
            offset += len(line)
            continue  # the block goes on while lines stay indented
        previous_blank = not line.strip()
        offset += len(line)
    masked = "".join(chars)
    for pattern in (_CODE_SPAN, _HTML_TAG, _LINK_DEST):
        for match in pattern.finditer(masked):
            blank(match.start() + (1 if pattern is _LINK_DEST else 0), match.end())
        masked = "".join(chars)
    return masked


def _escaped(text: str, at: int) -> bool:
    """Whether the character at *at* is escaped by an odd number of backslashes."""
    n = 0
    while at - n - 1 >= 0 and text[at - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _locator_and_suffix(rest: str) -> tuple[tuple[str, str] | None, str]:
    """What follows a key in brackets: ``, p. 3, and elsewhere`` -> (("page", "3"), ", and elsewhere")."""
    if not rest.lstrip().startswith(","):
        return None, rest.rstrip()
    after = rest.lstrip()[1:].lstrip()
    match = _LOCATOR.match(after)
    if match:
        return (LOCATOR_TERMS[match.group(1).lower()], match.group(2)), after[match.end():].rstrip()
    match = _BARE_PAGE.match(after)
    if match:
        return ("page", match.group(1)), after[match.end():].rstrip()
    return None, rest.rstrip()


def _bracketed(masked: str, text: str) -> tuple[Cite, ...] | None:
    """The works of a bracketed citation's inside (*masked*: as :func:`_masked` left it; *text*: as
    written), or None when it is not one (each part needs a key)."""
    cites = []
    bounds = [-1] + [i for i, char in enumerate(masked) if char == ";"] + [len(masked)]
    for start, end in zip(bounds, bounds[1:]):
        part, written = masked[start + 1:end], text[start + 1:end]
        match = _AT_KEY.search(part)
        if match is None or (match.start() > 0 and (part[match.start() - 1].isalnum() or part[match.start() - 1] in "\\_")):
            return None
        key = match.group(2) or match.group(3)
        locator, suffix = _locator_and_suffix(written[match.end():])
        cites.append(Cite(key=key, prefix=written[:match.start()].strip(), locator=locator, suffix=suffix,
                          suppress_author=bool(match.group(1))))
    return tuple(cites) if cites else None


def find(text: str) -> list[Citation]:
    """Every citation in the Markdown *text*, in order."""
    masked = _masked(text)
    found: list[Citation] = []
    i = 0
    while i < len(masked):
        char = masked[i]
        if char == "[" and not _escaped(masked, i):
            close = _closing(masked, i)
            if close is not None and text[close + 1:close + 2] not in ("(", "[", ":"):
                cites = _bracketed(masked[i + 1:close], text[i + 1:close])
                if cites is not None:
                    found.append(Citation(text[i:close + 1], i, close + 1, cites))
                    i = close + 1
                    continue
        elif char == "@" and not _escaped(masked, i):
            before = masked[i - 1] if i else ""
            match = _AT_KEY.match(masked, i)
            if match and not (before and (before.isalnum() or before in _NOT_BEFORE)):
                key = match.group(2) or match.group(3)
                end, locator, suffix = match.end(), None, ""
                following = _FOLLOWING.match(masked, end)
                if following and text[following.end():following.end() + 1] not in ("(", "[", ":"):
                    locator, suffix = _locator_and_suffix(", " + following.group(1).strip())
                    end = following.end()
                found.append(Citation(text[i:end], i, end, (Cite(key=key, locator=locator, suffix=suffix),), narrative=True))
                i = end
                continue
        i += 1
    return found


def _closing(text: str, start: int) -> int | None:
    """The ``]`` closing the bracket at *start* (brackets may nest; an escaped bracket does not count)."""
    depth = 0
    for j in range(start, len(text)):
        if text[j] == "\n" and text[j + 1:j + 2] == "\n":
            return None  # a citation does not cross a paragraph
        if text[j] in "[]" and not _escaped(text, j):
            depth += 1 if text[j] == "[" else -1
            if depth == 0:
                return j
    return None


def substitute(text: str, replacement: Callable[[Citation], str]) -> str:
    """*text* with each citation replaced by ``replacement(citation)``; the rest as it was."""
    out, last = [], 0
    for citation in find(text):
        out += [text[last:citation.start], replacement(citation)]
        last = citation.end
    out.append(text[last:])
    return "".join(out)
