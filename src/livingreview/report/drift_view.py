"""The rows behind the claim-drift section: where a secondary source's account of a study differs
from the study, and what the notes of the report's secondary sources say differs (no markup here).

The differences are the selection's (:func:`livingreview.synthesis.drift.shown`): over the whole
review, those whose secondary source or study the report includes and that bear on its hypothesis.
"""

from __future__ import annotations


from .tables import finding_anchor
from .labels import DRIFT_ASPECTS


def _side(key: str, finding_id: str, says: str, shown: set[str]) -> dict:
    anchor = finding_anchor(key, finding_id)
    return {"key": key, "finding_id": finding_id, "says": says, "anchor": anchor if anchor in shown else None}


def drift_rows(selection) -> list[dict]:
    """One row per difference, in the order drift lists them (secondary key, finding, aspect)."""
    shown = {finding_anchor(k, f) for k, f in zip(selection.evidence["key"], selection.evidence["finding_id"])}
    return [{
        "secondary": _side(d.secondary_key, d.secondary_finding, d.secondary_says, shown),
        "primary": _side(d.primary_key, d.primary_finding, d.primary_says, shown),
        "aspect": DRIFT_ASPECTS.get(d.aspect, d.aspect),
    } for d in selection.drifts]


def discrepancies(selection) -> list[dict]:
    """``[{"key", "texts"}]``: each kept secondary note's ``discrepancies``, by key."""
    return [{"key": key, "texts": list(note.discrepancies)}
            for key, note in sorted(selection.notes.items()) if note.is_secondary and note.discrepancies]
