"""The rows behind the certainty and summary-of-findings sections: each prediction's rating as the
report shows it, and how the ratings move when a report keeps only studies whose criteria require
one of the vocabulary's facets (no markup here).

The ratings are the selection's (:attr:`livingreview.review.Selection.rating`, GRADE's approach under
the review's rules, ``reviews/certainty.yml``); this module only arranges them for reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import filters
from ..notes.model import Note
from ..synthesis.certainty import OVERALL, HypothesisRating, PredictionRating, compare
from ..synthesis.rules import RULES_FILE, Rules
from .tables import listed
from .labels import DESIGNS, EVIDENCE_DIRECTIONS, GRADE_DOMAINS, SOURCE_TYPES, label


@dataclass(frozen=True)
class CertaintyView:
    rules_file: str
    scale: tuple[str, ...]  # the levels, best first, then the no-evidence label
    no_evidence: str
    overall: str
    overall_symbols: str
    overall_rule: str
    without_evidence: list[str]  # critical predictions no study bears on
    predictions: list[dict]
    comparison: list[dict] | None  # only when a facet filter is on: against the same report without it
    #: the facets whose filters are on, ``[{"id", "name", "short"}]`` (the comparison's words)
    facets: list[dict]


def level_class(level: str) -> str:
    """A CSS-safe class suffix for a level ("very low" -> "very-low")."""
    return re.sub(r"[^a-z0-9]+", "-", level.casefold()).strip("-") or "level"


def context_reason(note: Note, rules: Rules) -> str:
    """Why a work is listed as context and not rated, in words."""
    if note.is_secondary:
        return f"secondary source ({SOURCE_TYPES.get(note.source_type, note.source_type)}): reports others' work"
    if note.design in rules.context.designs:
        return f"{DESIGNS.get(note.design, note.design)}: no results of its own"
    return f"{SOURCE_TYPES.get(note.source_type, note.source_type)}: no results of its own"


def overall_rule(rating: HypothesisRating) -> str:
    """How the overall level was chosen, in words."""
    if rating.marked:
        return f"the lowest among the critical predictions ({', '.join(rating.critical)}) that have evidence"
    return "the lowest among the predictions that have evidence (the hypothesis marks none as critical)"


def designs_text(p: PredictionRating) -> str:
    """"1 randomized crossover trial, 2 case-control studies" — the designs of the rated studies."""
    return ", ".join(f"{n} × {label(DESIGNS, design)}" for design, n in p.designs)


def _prediction_rows(selection, rating: HypothesisRating, rules: Rules) -> list[dict]:
    by_id = {p.id: p for p in selection.hypothesis.predictions}
    return [{
        "id": p.prediction_id,
        "statement": by_id[p.prediction_id].statement,
        "critical": p.prediction_id in rating.critical and rating.marked,
        "level": p.level,
        "level_class": level_class(p.level),
        "symbols": p.symbols,
        "start": p.start,
        "evidence": p.has_evidence,
        "direction": p.direction,
        "direction_words": EVIDENCE_DIRECTIONS[p.direction],
        "certainty_statement": p.statement,
        "studies": len(p.works),
        "designs": designs_text(p),
        "participants": p.participants,
        "reasons": [{"rule": c.rule, "domain": GRADE_DOMAINS.get(c.rule, c.rule), "levels": c.levels, "reason": c.reason}
                    for c in p.reasons],
        "works": list(p.works),
        "context": [{"key": key, "why": context_reason(selection.notes[key], rules)} for key in p.context],
    } for p in rating.predictions]


def _comparison_rows(selection, rating: HypothesisRating) -> list[dict]:
    """The rating of the same selection without its facet filters, against *rating* (compare's rows)."""
    unfiltered = selection.review.select(filters.facets_off(selection.review.filters, selection.parameters))
    frame = compare(unfiltered.rating, rating)
    return [{
        "prediction": row.prediction,
        "overall": row.prediction == OVERALL,
        "level_all": row.level_all,
        "level_all_class": level_class(row.level_all),
        "level_filtered": row.level_filtered,
        "level_filtered_class": level_class(row.level_filtered),
        "change": row.change,
        "works_dropped": listed(row.works_dropped),
    } for row in frame.itertuples(index=False)]


def certainty_view(selection) -> CertaintyView:
    """The selection's ratings under the project's rules (and the comparison, when a facet filter is on)."""
    rules = selection.review.rules
    rating = selection.rating
    facets = selection.review.vocabulary.facets
    on = [f.facet for f in filters.facets_on(selection.review.filters, selection.parameters)]
    return CertaintyView(
        rules_file=RULES_FILE.as_posix(),
        scale=rating.scale,
        no_evidence=rules.no_evidence,
        overall=rating.level,
        overall_symbols=rating.symbols,
        overall_rule=overall_rule(rating),
        without_evidence=rating.without_evidence,
        predictions=_prediction_rows(selection, rating, rules),
        comparison=_comparison_rows(selection, rating) if on else None,
        facets=[{"id": f, "name": facets[f].name, "short": facets[f].short} for f in on],
    )
