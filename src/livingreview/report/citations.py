"""One report's citations: the order a reader meets them, shared by the prose, the tables and the
reference list.

A report cites works in its notebook's prose (``[@key]``, found when the review is loaded) and in
its sections (the evidence table's study column, the hypothesis's proposers...). A numeric style
numbers them in the order a reader meets them: cell by cell through the notebook, within a Markdown
cell as written, within a section as its template shows them. Which works a section shows, and in
what order, is read from the section itself: it is rendered once with labels that record what they
are asked for. Sections the notebook does not show (a cell run on its own) follow in the notebooks'
order (:data:`CITING`), then every other work the selection cites, by key.

:func:`references` is the one registry of a report (made once per selection): the sections' labels,
the reference list and the prose's citations (:func:`prose_citations`, which the renderer puts into
the Markdown) all read it, in the kernel and in the build alike, from the same loaded review.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from contextvars import ContextVar

from ..bib.cite import References, format_references

#: the sections that cite works, in the order the report notebooks show them (the order of those a
#: notebook does not show)
CITING: tuple[str, ...] = ("hypothesis", "evidence_table", "claim_drift", "certainty", "open_questions")

_recording: ContextVar[list[str] | None] = ContextVar("livingreview_citations_recording", default=None)
_made: "weakref.WeakKeyDictionary[object, References]" = weakref.WeakKeyDictionary()


class _Recorder(dict):
    """Labels that record the keys a template asks for, in order (and show the key itself)."""

    def __init__(self, seen: list[str]):
        super().__init__()
        self.seen = seen

    def get(self, key, default=None):
        self.seen.append(key)
        return default if default is not None else key


def labels(selection) -> Mapping[str, str]:
    """``{key: label}`` for the sections' templates ("Doe & Roe, 2020"; "Doe & Roe, 2020 [1]")."""
    seen = _recording.get()
    if seen is not None:
        return _Recorder(seen)
    return {item.key: item.label for item in references(selection)}


def shown_keys(selection, section: str) -> list[str]:
    """The works section *section* (a function of :mod:`.sections`) shows, in the order it shows them."""
    from . import sections

    seen: list[str] = []
    token = _recording.set(seen)
    try:
        getattr(sections, section)(selection)
    finally:
        _recording.reset(token)
    return seen


def order(selection) -> list[str]:
    """The works *selection* cites, in the order its reader first meets them (see the module docstring)."""
    document = selection.document
    met: list[str] = []
    shown: set[str] = set()
    for part in document.parts if document is not None else ():
        for citation in part.citations:
            met += citation.keys
        for section in part.calls:
            if section in CITING and section not in shown:
                met += shown_keys(selection, section)
                shown.add(section)
    for section in CITING:
        if section not in shown:
            met += shown_keys(selection, section)
    cited = set(selection.keys)
    return [key for key in dict.fromkeys([*met, *sorted(cited)]) if key in cited]


def references(selection) -> References:
    """The report's references in its citation style: the registry every part of the report reads."""
    made = _made.get(selection)
    if made is None:
        made = _made[selection] = format_references(selection.review.bibliography, order(selection),
                                                    selection.parameters.citation_style)
    return made


def cited_html(refs: References, citations: Iterable) -> dict[str, str]:
    """``{citation as written: its in-text HTML}`` for *citations* (:class:`livingreview.bib.prose.Citation`)."""
    return {citation.source: str(refs.cite(citation)) for citation in citations}


def prose_citations(selection) -> dict[str, str]:
    """``{citation as written: its in-text HTML}`` for every citation of the notebook's prose: what the
    renderer puts in place of each (:func:`livingreview.report.render.render_html`)."""
    document = selection.document
    if document is None:
        return {}
    return cited_html(references(selection), (c for part in document.parts for c in part.citations))
