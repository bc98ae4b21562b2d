"""The rows behind the certainty section: each prediction's rating as the report shows it, and
how the ratings move when a report keeps only studies whose criteria require PEM (no markup here).

The ratings are :func:`livingreview.synthesis.certainty.rate` under the review's rules
(``reviews/certainty.yml``, as loaded with the review); this module only arranges them for reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import filters
from ..notes.model import Note
from ..synthesis.certainty import OVERALL, HypothesisRating, compare, rate
from ..synthesis.rules import RULES_FILE, Rules
from .tables import listed
from .vocabulary import DESIGNS, SOURCE_TYPES

#: how the overall rating is chosen (``overall`` in the rules), in words
OVERALL_RULE: dict[str, str] = {
    "highest": "the highest rating among the predictions that have evidence",
    "lowest": "the lowest rating among the predictions that have evidence",
}


@dataclass(frozen=True)
class CertaintyView:
    rules_file: str
    scale: tuple[str, ...]  # the levels, best first, then the no-evidence label
    no_evidence: str
    overall: str
    overall_rule: str
    predictions: list[dict]
    comparison: list[dict] | None  # only when the report keeps PEM-required studies only


def level_class(level: str) -> str:
    """A CSS-safe class suffix for a level ("very low" -> "very-low")."""
    return re.sub(r"[^a-z0-9]+", "-", level.casefold()).strip("-") or "level"


def set_aside_reason(note: Note, rules: Rules) -> str:
    """Why a work is listed but not rated, in words."""
    if note.is_secondary:
        return f"secondary source ({SOURCE_TYPES.get(note.source_type, note.source_type)}): reports others' work"
    if note.design in rules.set_aside.designs:
        return f"{DESIGNS.get(note.design, note.design)}: no results of its own"
    return f"{SOURCE_TYPES.get(note.source_type, note.source_type)}: no results of its own"


def _rating(selection, rules: Rules) -> HypothesisRating:
    return rate(selection.hypothesis, selection.evidence, selection.notes, rules)


def _prediction_rows(selection, rating: HypothesisRating, rules: Rules) -> list[dict]:
    statements = {p.id: p.statement for p in selection.hypothesis.predictions}
    return [{
        "id": p.prediction_id,
        "statement": statements.get(p.prediction_id, ""),
        "level": p.level,
        "level_class": level_class(p.level),
        "start": p.start,
        "evidence": p.start is not None,
        "reasons": [{"rule": d.rule, "levels": d.levels, "reason": d.reason} for d in p.reasons],
        "works": list(p.works),
        "set_aside": [{"key": key, "why": set_aside_reason(selection.notes[key], rules)} for key in p.set_aside],
    } for p in rating.predictions]


def _comparison_rows(selection, rating: HypothesisRating, rules: Rules) -> list[dict]:
    """The rating of the same selection without the PEM filter, against *rating* (compare's rows)."""
    unfiltered = selection.review.select(filters.PEM.off(selection.parameters))
    frame = compare(_rating(unfiltered, rules), rating)
    return [{
        "prediction": row.prediction,
        "overall": row.prediction == OVERALL,
        "level_all": row.level_all,
        "level_all_class": level_class(row.level_all),
        "level_pem": row.level_pem,
        "level_pem_class": level_class(row.level_pem),
        "change": row.change,
        "works_dropped": listed(row.works_dropped),
    } for row in frame.itertuples(index=False)]


def certainty_view(selection) -> CertaintyView:
    """The selection's ratings under the project's rules (and the comparison, in a PEM-only report)."""
    rules = selection.review.rules
    rating = _rating(selection, rules)
    pem_only = filters.PEM.active(selection.parameters)
    return CertaintyView(
        rules_file=RULES_FILE.as_posix(),
        scale=rating.scale,
        no_evidence=rules.no_evidence,
        overall=rating.level,
        overall_rule=OVERALL_RULE[rating.rule],
        predictions=_prediction_rows(selection, rating, rules),
        comparison=_comparison_rows(selection, rating, rules) if pem_only else None,
    )
