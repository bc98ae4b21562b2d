"""Certainty of the evidence for each prediction of a hypothesis (GRADE-like).

The rules are data (``reviews/certainty.yml``, :mod:`livingreview.synthesis.rules`); this module
applies them to one hypothesis's evidence:

* works that report no results of their own (the rules' ``set_aside``) and every secondary source
  are set aside: listed, never rated, so they can never lift a rating;
* no rated work: the prediction has *no evidence* (``rules.no_evidence``), which is not a level;
* otherwise the body starts at the best starting level of its designs and each downgrade that
  applies lowers it once, with a sentence naming the works.

The overall rating of the hypothesis follows ``rules.overall`` (the highest or the lowest rating
among its predictions that have evidence).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from string import Template

import pandas as pd

from ..errors import LivingReviewError
from ..notes.model import Hypothesis, Note
from ..notes.pem import derive
from .rules import Rules

FRAME_COLUMNS = ["hypothesis", "prediction", "level", "start", "downgrade_levels", "reasons", "works", "set_aside"]
COMPARE_COLUMNS = ["prediction", "level_all", "level_pem", "change", "works_dropped"]
OVERALL = "overall"


class EvidenceMismatch(LivingReviewError):
    """The evidence table names a work whose note was not given (a bug in the caller)."""


@dataclass(frozen=True)
class Downgrade:
    rule: str
    levels: int
    reason: str


@dataclass(frozen=True)
class PredictionRating:
    prediction_id: str
    level: str
    start: str | None  # None when there is no evidence
    reasons: list[Downgrade] = field(default_factory=list)
    works: list[str] = field(default_factory=list)  # rated works
    set_aside: list[str] = field(default_factory=list)  # secondary sources and works without results


@dataclass(frozen=True)
class HypothesisRating:
    hypothesis_id: str
    level: str
    rule: str  # how the overall level was chosen: "highest" or "lowest"
    predictions: list[PredictionRating]
    scale: tuple[str, ...]  # the levels, best first, then "no evidence"

    def to_frame(self) -> pd.DataFrame:
        """One row per prediction, in the hypothesis's order; lists are "; "-joined, reasons " "-joined."""
        rows = [{
            "hypothesis": self.hypothesis_id,
            "prediction": p.prediction_id,
            "level": p.level,
            "start": p.start or "",
            "downgrade_levels": sum(d.levels for d in p.reasons),
            "reasons": " ".join(d.reason for d in p.reasons),
            "works": "; ".join(p.works),
            "set_aside": "; ".join(p.set_aside),
        } for p in self.predictions]
        return pd.DataFrame(rows, columns=FRAME_COLUMNS).astype({"downgrade_levels": "int64"})


@dataclass(frozen=True)
class _Work:
    """One work's findings bearing on one prediction."""

    key: str
    note: Note
    findings: tuple[str, ...]
    directions: frozenset[str]


def rate(hypothesis: Hypothesis, evidence: pd.DataFrame, notes: Mapping[str, Note], rules: Rules) -> HypothesisRating:
    """Rate every prediction of *hypothesis* from the *evidence* rows (one per finding) about it."""
    works = _works_by_prediction(evidence[evidence["hypothesis"] == hypothesis.id], notes)
    predictions = [_rate_prediction(p.id, works.get(p.id, []), hypothesis, rules) for p in hypothesis.predictions]
    return HypothesisRating(hypothesis_id=hypothesis.id, level=_overall(predictions, rules), rule=rules.overall,
                            predictions=predictions, scale=(*rules.levels, rules.no_evidence))


def compare(all_rating: HypothesisRating, pem_rating: HypothesisRating) -> pd.DataFrame:
    """How each rating moves when only studies requiring post-exertional malaise are kept.

    One row per prediction, then one for the overall rating; ``change`` is higher, lower or same.
    """
    if all_rating.hypothesis_id != pem_rating.hypothesis_id:
        raise ValueError(f"cannot compare ratings of two hypotheses: {all_rating.hypothesis_id}, {pem_rating.hypothesis_id}")
    pem = {p.prediction_id: p for p in pem_rating.predictions}
    rows = [_change(p.prediction_id, p.level, pem[p.prediction_id].level, all_rating.scale,
                    [k for k in p.works if k not in pem[p.prediction_id].works])
            for p in all_rating.predictions]
    rows.append(_change(OVERALL, all_rating.level, pem_rating.level, all_rating.scale, []))
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)


def _change(prediction: str, before: str, after: str, scale: Sequence[str], dropped: list[str]) -> dict:
    step = scale.index(before) - scale.index(after)
    change = "higher" if step > 0 else "lower" if step < 0 else "same"
    return {"prediction": prediction, "level_all": before, "level_pem": after, "change": change,
            "works_dropped": "; ".join(dropped)}


def _works_by_prediction(rows: pd.DataFrame, notes: Mapping[str, Note]) -> dict[str, list[_Work]]:
    """prediction id -> the works with findings on it, sorted by key (findings without a prediction are left out)."""
    found: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for prediction, key, finding_id, direction in rows[["prediction", "key", "finding_id", "direction"]].itertuples(index=False):
        if isinstance(prediction, str):
            found.setdefault(prediction, {}).setdefault(key, []).append((finding_id, direction))
    missing = sorted({key for works in found.values() for key in works if key not in notes})
    if missing:
        raise EvidenceMismatch(f"the evidence names '{missing[0]}' but no note was given for it; "
                               "pass the notes the evidence table was built from")
    return {prediction: [_Work(key, notes[key], tuple(sorted(f for f, _ in items)), frozenset(d for _, d in items))
                         for key, items in sorted(works.items())]
            for prediction, works in found.items()}


def _is_set_aside(work: _Work, rules: Rules) -> bool:
    note = work.note
    return (note.is_secondary or note.design in rules.set_aside.designs
            or note.source_type in rules.set_aside.source_types)


def _rate_prediction(prediction_id: str, works: list[_Work], hypothesis: Hypothesis, rules: Rules) -> PredictionRating:
    rated = [w for w in works if not _is_set_aside(w, rules)]
    set_aside = [w.key for w in works if _is_set_aside(w, rules)]
    if not rated:
        return PredictionRating(prediction_id, rules.no_evidence, None, [], [], set_aside)
    start = min((rules.start[w.note.design] for w in rated), key=rules.rank)
    reasons = [d for check in DOWNGRADES if (d := check(rated, hypothesis, rules)) is not None]
    level = rules.lowered(start, sum(d.levels for d in reasons))
    return PredictionRating(prediction_id, level, start, reasons, [w.key for w in rated], set_aside)


def _overall(predictions: list[PredictionRating], rules: Rules) -> str:
    levels = [p.level for p in predictions if p.level != rules.no_evidence]
    if not levels:
        return rules.no_evidence
    pick = min if rules.overall == "highest" else max
    return pick(levels, key=rules.rank)


# -- downgrades: each takes the rated works and returns a Downgrade or None -----------------------

def _size(note: Note) -> int | None:
    patients, controls = note.population.patients, note.population.controls
    if not isinstance(patients, int):
        return None
    return patients + (controls if isinstance(controls, int) else 0)


def _small_samples(rated: list[_Work], hypothesis: Hypothesis, rules: Rules) -> Downgrade | None:
    rule = rules.downgrades.small_samples
    studies = [w for w in rated if w.note.design in rules.studies]
    known = [(w.key, n) for w in studies if (n := _size(w.note)) is not None]
    unknown = [w.key for w in studies if _size(w.note) is None]
    total = sum(n for _, n in known)
    if not studies or (known and total >= rule.below):
        return None
    sentences = []
    if known:
        works = ", ".join(f"{key} n = {n}" for key, n in known)
        sentences.append(Template(rule.reason).substitute(total=total, works=works, below=rule.below))
    if unknown:
        sentences.append(Template(rule.reason_unknown).substitute(works=", ".join(unknown), below=rule.below))
    return Downgrade("small_samples", rule.levels, " ".join(sentences))


def _inconsistency(rated: list[_Work], hypothesis: Hypothesis, rules: Rules) -> Downgrade | None:
    rule = rules.downgrades.inconsistency
    supporting = [w.key for w in rated if "supports" in w.directions]
    contradicting = [w.key for w in rated if "contradicts" in w.directions]
    if not (supporting and contradicting):
        return None
    reason = Template(rule.reason).substitute(supporting=", ".join(supporting), contradicting=", ".join(contradicting))
    return Downgrade("inconsistency", rule.levels, reason)


def _indirectness(rated: list[_Work], hypothesis: Hypothesis, rules: Rules) -> Downgrade | None:
    rule = rules.downgrades.indirectness
    sentences = []
    wanted = set(hypothesis.conditions)
    others = [w for w in rated if not wanted & set(w.note.population.conditions)]
    if others:
        works = ", ".join(f"{w.key} ({'; '.join(w.note.population.conditions)})" for w in others)
        sentences.append(Template(rule.reason_population).substitute(works=works, conditions="; ".join(hypothesis.conditions)))
    for condition in rule.pem_required_for:
        lacking = [w for w in rated if condition in wanted and condition in w.note.population.conditions
                   and derive(w.note.criteria) != "required"]
        if lacking:
            works = ", ".join(f"{w.key} ({'; '.join(w.note.criteria)})" for w in lacking)
            sentences.append(Template(rule.reason_criteria).substitute(condition=condition, works=works))
    findings = {f"{w.key}#{f}" for w in rated for f in w.findings}
    for flag in rule.flags:
        if flag.finding in findings:
            sentences.append(Template(rule.reason_flag).substitute(finding=flag.finding, reason=flag.reason))
    return Downgrade("indirectness", rule.levels, " ".join(sentences)) if sentences else None


def _single_uncontrolled(rated: list[_Work], hypothesis: Hypothesis, rules: Rules) -> Downgrade | None:
    rule = rules.downgrades.single_uncontrolled
    studies = [w for w in rated if w.note.design in rules.studies]
    if len(studies) != 1:
        return None
    only = studies[0]
    if only.note.design not in rule.uncontrolled_designs and only.note.population.controls != "none":
        return None
    return Downgrade("single_uncontrolled", rule.levels, Template(rule.reason).substitute(work=only.key))


DOWNGRADES: tuple[Callable[[list[_Work], Hypothesis, Rules], Downgrade | None], ...] = (
    _small_samples, _inconsistency, _indirectness, _single_uncontrolled,
)
