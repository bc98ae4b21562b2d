"""The wording lint: a note's own words should not claim more than its design can show.

* ``LINT001`` (warning) — a causal verb from ``reviews/certainty.yml`` (``wording: causal_verbs``,
  whole words, any case) in a note's own text: finding statements, ``quick_summary``,
  ``why_it_matters`` and ``discrepancies``. Not flagged: notes of a randomized design; verbatim
  quotes (the ``quote`` field) and any text inside quotation marks, which are the source's words;
  ``does_not_prove`` and questions, whose job is to name causes not shown.
* ``LINT003`` (warning) — a causal verb in a report notebook's prose (a Markdown cell the report
  shows), outside quotation marks: the review's own synthesis claims no more than its studies show.
* ``LINT002`` (error) — a note of a non-randomized design that has findings but leaves
  ``does_not_prove`` empty. Observational findings are read as causal unless the note says what
  they do not show, so the review does not build until each such note says it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from .. import yamlio
from ..diagnostics import Diagnostic, error, warning
from ..schema_errors import field_path
from ..notes.model import RANDOMIZED, Note
from .rules import Wording

# "…", “…”, «…», ‘…’ and '…' (the last only when the quote marks are not apostrophes inside a word)
QUOTED = re.compile(r"\"[^\"]*\"|\u201c[^\u201d]*\u201d|\u00ab[^\u00bb]*\u00bb|\u2018[^\u2019]*\u2019|(?<!\w)'[^']*'(?!\w)")


class NoteSource(NamedTuple):
    """A validated note with where it came from: its project-relative file and its parsed YAML.

    :func:`lint` also takes the loader's ``Loaded`` records (``value``, ``file``, ``data``)."""

    note: Note
    file: str
    data: Any  # the LineDict the note was validated from (for line numbers)


def _parts(source) -> tuple[Note, str, Any]:
    return tuple(source) if isinstance(source, tuple) else (source.value, source.file, source.data)


def _own_text(note: Note) -> Iterator[tuple[tuple, str]]:
    """(field location, text) of every field written in the note author's own words."""
    yield ("quick_summary",), note.quick_summary
    yield ("why_it_matters",), note.why_it_matters
    for i, finding in enumerate(note.findings):
        yield ("findings", i, "statement"), finding.statement
    for i, text in enumerate(note.discrepancies):
        yield ("discrepancies", i), text


def causal_pattern(wording: Wording) -> re.Pattern:
    """The verbs as one case-insensitive whole-word pattern (longest first, so no verb hides another)."""
    verbs = sorted({v.casefold() for v in wording.causal_verbs}, key=lambda v: (-len(v), v))
    return re.compile(r"\b(?:" + "|".join(map(re.escape, verbs)) + r")\b", re.IGNORECASE)


def causal_words(text: str, pattern: re.Pattern) -> list[str]:
    """The causal verbs in *text* outside quotation marks, lower-cased, once each, in order of appearance."""
    unquoted = QUOTED.sub(" ", text)
    return list(dict.fromkeys(m.group(0).casefold() for m in pattern.finditer(unquoted)))


def lint_note(source: NoteSource, pattern: re.Pattern) -> list[Diagnostic]:
    """The wording diagnostics of one note."""
    note, file, data = _parts(source)
    if note.design in RANDOMIZED:
        return []
    out = []
    for loc, text in _own_text(note):
        words = causal_words(text, pattern)
        if words:
            listed = ", ".join(f"'{w}'" for w in words)
            out.append(warning(
                "LINT001", file, yamlio.line_of(data, loc),
                f"causal wording ({listed}) in the note's own words; a {note.design} design cannot show cause and effect",
                key=note.key, field=field_path(loc, data),
                hint="say what was observed (e.g. 'was associated with', 'was followed by'), "
                     "or put the source's own words in quotation marks"))
    if note.findings and not note.does_not_prove:
        loc = ("does_not_prove",) if "does_not_prove" in (data or {}) else ()
        out.append(error(
            "LINT002", file, yamlio.line_of(data, loc),
            f"does_not_prove is empty; a {note.design} design needs a sentence on what its findings do not show",
            key=note.key, field="does_not_prove",
            hint="e.g. 'An association in a small sample does not show that the mechanism produces fatigue.'"))
    return out


def lint_prose(documents: Mapping[str, Any], wording: Wording) -> list[Diagnostic]:
    """LINT003 for each shown Markdown cell of a report notebook whose prose uses a causal verb
    (*documents*: the loader's notebooks as a reader meets them, by hypothesis id)."""
    pattern = causal_pattern(wording)
    out = []
    for hid in sorted(documents):
        doc = documents[hid]
        for part in doc.parts:
            words = causal_words(getattr(part, "text", ""), pattern)
            if words:
                listed = ", ".join(f"'{w}'" for w in words)
                out.append(warning("LINT003", doc.file, None, f"{part.cell}: causal wording ({listed}) in the review's prose",
                                   key=hid, hint="say what the studies observed, or quote the source in quotation marks"))
    return out


def lint(notes: Mapping[str, NoteSource], wording: Wording) -> list[Diagnostic]:
    """Wording diagnostics for every note, sorted by file and line."""
    pattern = causal_pattern(wording)
    return sorted(d for key in sorted(notes) for d in lint_note(notes[key], pattern))
