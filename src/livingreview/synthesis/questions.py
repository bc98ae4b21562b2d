"""The open-question register: every question raised by a hypothesis or a note, and its status.

A question's id is stable: the same id in two files is the same question. Two ids whose texts are
the same once normalised (case, spacing, final punctuation) are one question too; it is listed under
the first id in sorted order and the others are named in ``merged`` (``livingreview check`` warns
about them: QUES001). One id worded differently in two files is an error of the notes validator;
the register keeps the first wording (hypotheses by id, then notes by key).

Status, from the data:

* ``addressed`` — a finding lists the question in ``addresses``;
* ``being-tested`` — a planned trial (design ``planned-trial``) or a trial registration lists it
  in ``tests_questions``;
* ``open`` — otherwise.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..notes.model import Hypothesis, Note

if TYPE_CHECKING:  # pandas is imported where a frame is made: `livingreview check` needs none
    import pandas as pd

#: the register's columns; lists are "; "-joined and sorted. ``hypotheses``: the hypotheses it concerns
#: (the raising hypothesis, or the hypotheses of the raising note's findings); ``raised_by``: hypothesis
#: ids and note keys that raise it; ``status_by``: the findings (``key#fN``) that address it, or the
#: trials that test it; ``links``: every work connected to it (raising, testing or addressing);
#: ``merged``: other ids with the same text, listed under this one
COLUMNS = ["question_id", "text", "hypotheses", "raised_by", "status", "status_by", "links", "merged"]
STATUSES = ("open", "being-tested", "addressed")
TRIAL_DESIGNS = frozenset({"planned-trial"})
TRIAL_SOURCE_TYPES = frozenset({"trial-registration"})


@dataclass
class _Entry:
    id: str
    text: str
    hypotheses: set[str] = field(default_factory=set)
    raised_by: set[str] = field(default_factory=set)
    merged: set[str] = field(default_factory=set)


def comparison_form(text: str) -> str:
    """The form two texts are compared in: NFKC, case-folded, spaces collapsed, final punctuation dropped."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", " ", folded).strip().rstrip(".?!… ").strip()


def register(hypotheses: Mapping[str, Hypothesis], notes: Mapping[str, Note]) -> pd.DataFrame:
    """One row per question across all hypotheses and notes, sorted by question id (columns: ``COLUMNS``)."""
    import pandas as pd

    return pd.DataFrame(register_rows(hypotheses, notes), columns=COLUMNS)


def register_rows(hypotheses: Mapping[str, Hypothesis], notes: Mapping[str, Note]) -> list[dict[str, str]]:
    """The rows of :func:`register`, as mappings keyed by ``COLUMNS``."""
    entries, alias = _merged(_collect(hypotheses, notes))
    addressed: dict[str, set[str]] = {}
    testing: dict[str, set[str]] = {}
    for key in sorted(notes):
        note = notes[key]
        for finding in note.findings:
            for qid in finding.addresses:
                addressed.setdefault(alias.get(qid, qid), set()).add(f"{key}#{finding.id}")
        if note.design in TRIAL_DESIGNS or note.source_type in TRIAL_SOURCE_TYPES:
            for qid in note.tests_questions:
                testing.setdefault(alias.get(qid, qid), set()).add(key)
    rows = []
    for qid in sorted(entries):
        entry = entries[qid]
        done, tested = addressed.get(qid, set()), testing.get(qid, set())
        status, by = ("addressed", done) if done else ("being-tested", tested) if tested else ("open", set())
        links = entry.raised_by | tested | {ref.split("#")[0] for ref in done}
        rows.append({
            "question_id": qid,
            "text": entry.text,
            "hypotheses": _join(entry.hypotheses),
            "raised_by": _join(entry.raised_by),
            "status": status,
            "status_by": _join(by),
            "links": _join(links),
            "merged": _join(entry.merged),
        })
    return rows


def diff_register(old_rows: pd.DataFrame | Iterable[Mapping], new_rows: pd.DataFrame | Iterable[Mapping]) -> list[str]:
    """Status changes between two registers (frames, or row mappings as read back from JSON), by question id."""
    old, new = _by_id(old_rows), _by_id(new_rows)
    out = []
    for qid in sorted(old.keys() | new.keys()):
        before, after = old.get(qid), new.get(qid)
        if before is None:
            out.append(f"{qid}: new question ({after['status']}{_by(after)})")
        elif after is None:
            out.append(f"{qid}: no longer listed (was {before['status']})")
        elif before["status"] != after["status"]:
            out.append(f"{qid}: {before['status']} → {after['status']}{_by(after)}")
    return out


def _by(row: Mapping) -> str:
    by = row.get("status_by") or ""
    return f", by {by}" if isinstance(by, str) and by else ""


def _by_id(rows: pd.DataFrame | Iterable[Mapping]) -> dict[str, Mapping]:
    records = rows.to_dict(orient="records") if hasattr(rows, "to_dict") else list(rows)  # a frame, or row mappings
    return {str(r["question_id"]): r for r in records}


def _join(values: Iterable[str]) -> str:
    return "; ".join(sorted(values))


def concerns(question, note: Note, hypotheses: Mapping[str, Hypothesis]) -> set[str]:
    """The hypotheses a note's *question* is about: those it names (``hypotheses``), else those whose
    open questions list its id, else those the note's findings bear on."""
    if question.hypotheses:
        return set(question.hypotheses)
    listed = {hid for hid, h in hypotheses.items() if any(q.id == question.id for q in h.open_questions)}
    return listed or {f.hypothesis for f in note.findings}


def _sources(hypotheses: Mapping[str, Hypothesis], notes: Mapping[str, Note]):
    """(question, raised_by, hypotheses) in a fixed order: hypotheses by id, then notes by key."""
    for hid in sorted(hypotheses):
        for question in hypotheses[hid].open_questions:
            yield question, hid, {hid}
    for key in sorted(notes):
        note = notes[key]
        for question in note.remaining_questions:
            yield question, key, concerns(question, note, hypotheses)


def _collect(hypotheses: Mapping[str, Hypothesis], notes: Mapping[str, Note]) -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}
    for question, raised_by, about in _sources(hypotheses, notes):
        entry = entries.setdefault(question.id, _Entry(question.id, question.text))
        entry.raised_by.add(raised_by)
        entry.hypotheses |= about
    return entries


def _merged(entries: dict[str, _Entry]) -> tuple[dict[str, _Entry], dict[str, str]]:
    """Fold ids with the same normalised text into the first id; return the entries and old id -> kept id."""
    kept: dict[str, _Entry] = {}
    by_text: dict[str, str] = {}
    alias: dict[str, str] = {}
    for qid in sorted(entries):
        entry = entries[qid]
        first = by_text.setdefault(comparison_form(entry.text), qid)
        if first == qid:
            kept[qid] = entry
            continue
        target = kept[first]
        target.merged.add(qid)
        target.raised_by |= entry.raised_by
        target.hypotheses |= entry.hypotheses
        alias[qid] = first
    return kept, alias

