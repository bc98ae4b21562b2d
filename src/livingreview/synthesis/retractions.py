"""Which works of the bibliography are retracted or corrected, and how much that matters to the review.

A retracted work a rated finding rests on (the note of a primary study with findings, as
``Review.role`` rates it) is an error (``RET001``): the certainty of a prediction would rest on
it. Any other flagged work (retracted but context or without findings, corrected, an expression
of concern) is a warning (``RET002``). Codes: :mod:`livingreview.bib.retractions`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..bib.retractions import Notice, Retractions
from ..diagnostics import Diagnostic, error, warning


@dataclass(frozen=True)
class Flagged:
    """A work of the bibliography with a notice; *rated*: a rated finding rests on it."""

    key: str
    notice: Notice
    rated: bool


def _rated(note, rules) -> bool:
    if note is None or not note.findings:
        return False
    return rules.is_evidence(note) if rules is not None else note.source_type == "primary"


def flagged(bibliography: Mapping, notes: Mapping, rules, data: Retractions) -> list[Flagged]:
    """Every entry with a notice, in key order; *notes*: key → note."""
    out = []
    for key in sorted(bibliography):
        notice = data.of(bibliography[key])
        if notice is not None:
            out.append(Flagged(key, notice, _rated(notes.get(key), rules)))
    return out


def diagnostics(bibliography: Mapping, notes: Mapping, note_files: Mapping[str, str], rules, data: Retractions) -> list[Diagnostic]:
    """``RET001``/``RET002`` per flagged work, at its entry's file and line; *note_files*: key → the note's file."""
    out = []
    for item in flagged(bibliography, notes, rules, data):
        entry = bibliography[item.key]
        note = f"; its note {note_files[item.key]}" if item.key in note_files else "; it has no note"
        if item.notice.retracted and item.rated:
            out.append(error("RET001", entry.file, entry.line, f"'{item.key}' {item.notice.describe()}{note} "
                             "has findings the certainty rating counts", key=item.key,
                             hint="read the retraction notice; take the note's findings out of the rating unless the notice leaves them standing"))
        else:
            rated = " (its findings are rated)" if item.rated else ""
            out.append(warning("RET002", entry.file, entry.line, f"'{item.key}' {item.notice.describe()}{note}{rated}",
                               key=item.key, hint="read the notice and check what the note takes from the work"))
    return out
