"""The rows behind the claim-drift section: where a secondary source's account of a study differs
from the study, and what the notes of the report's secondary sources say differs (no markup here).

The differences are :func:`livingreview.synthesis.drift.compare` over the whole review; a report
shows those whose secondary source or study it includes and that bear on its hypothesis.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..notes.model import Finding, Note
from ..synthesis.drift import compare
from .tables import finding_anchor
from .vocabulary import DRIFT_ASPECTS


def _finding(notes: Mapping[str, Note], key: str, finding_id: str) -> Finding:
    return next(f for f in notes[key].findings if f.id == finding_id)


def _side(key: str, finding_id: str, says: str, shown: set[str]) -> dict:
    anchor = finding_anchor(key, finding_id)
    return {"key": key, "finding_id": finding_id, "says": says, "anchor": anchor if anchor in shown else None}


def drift_rows(selection) -> list[dict]:
    """One row per difference, in the order drift lists them (secondary key, finding, aspect)."""
    notes, kept, hypothesis = selection.review.notes, selection.notes, selection.hypothesis.id
    shown = {finding_anchor(k, f) for k, f in zip(selection.evidence["key"], selection.evidence["finding_id"])}
    rows = []
    for drift in compare(notes):
        if drift.secondary_key not in kept and drift.primary_key not in kept:
            continue
        about = {_finding(notes, drift.secondary_key, drift.secondary_finding).hypothesis,
                 _finding(notes, drift.primary_key, drift.primary_finding).hypothesis}
        if hypothesis not in about:
            continue
        rows.append({
            "secondary": _side(drift.secondary_key, drift.secondary_finding, drift.secondary_says, shown),
            "primary": _side(drift.primary_key, drift.primary_finding, drift.primary_says, shown),
            "aspect": DRIFT_ASPECTS.get(drift.aspect, drift.aspect),
        })
    return rows


def drift_keys(selection) -> set[str]:
    """The works on either side of the differences the report shows (some may be outside the selection)."""
    return {row[side]["key"] for row in drift_rows(selection) for side in ("secondary", "primary")}


def discrepancies(selection) -> list[dict]:
    """``[{"key", "texts"}]``: each kept secondary note's ``discrepancies``, by key."""
    return [{"key": key, "texts": list(note.discrepancies)}
            for key, note in sorted(selection.notes.items()) if note.is_secondary and note.discrepancies]
