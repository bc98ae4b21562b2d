"""Certainty of the evidence for each prediction of a hypothesis, by GRADE's approach.

The rules are data (``reviews/certainty.yml``, :mod:`livingreview.synthesis.rules`); this module
applies them to one hypothesis's evidence:

* only primary studies with results of their own are rated; secondary sources, reviews, opinion,
  registrations and planned trials (the rules' ``context``) are listed as context, never rated;
* no study: the prediction has *no evidence* (``rules.no_evidence``), which is not a level;
* otherwise the body starts at the best starting level of its designs; each of GRADE's five domains
  (risk of bias, inconsistency, indirectness, imprecision, publication bias) that applies lowers it
  once, with a sentence naming the studies; an upgrade applies only to non-randomised studies that
  nothing downgraded;
* the rating carries the direction of the evidence: for the prediction, against it, conflicting,
  or unclear, said in the rules' ``statements``.

A hypothesis's overall certainty is the lowest among its critical predictions (``critical: true``)
that have evidence; when it marks none, among all its predictions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from string import Template
from typing import Any

import pandas as pd

from ..errors import LivingReviewError
from ..notes.model import RANDOMIZED, Hypothesis, Note, Prediction
from ..vocabulary import Vocabulary, status as facet_status
from .rules import Rules

FRAME_COLUMNS = ["hypothesis", "prediction", "critical", "level", "symbols", "direction", "statement", "start",
                 "downgrade_levels", "reasons", "studies", "participants", "works", "context"]
COMPARE_COLUMNS = ["prediction", "level_all", "level_filtered", "change", "works_dropped"]
OVERALL = "overall"
#: the directions a body of evidence can have, as the rules' ``statements`` name them
DIRECTIONS = ("for", "against", "conflicting", "unclear", "none")


class EvidenceMismatch(LivingReviewError):
    """The evidence table names a work whose note was not given (a bug in the caller)."""


@dataclass(frozen=True)
class Change:
    """One GRADE domain's change to a rating: ``levels`` down (negative: up; 0: noted, not applied)."""

    rule: str
    levels: int
    reason: str


@dataclass(frozen=True)
class PredictionRating:
    prediction_id: str
    level: str
    start: str | None  # None when there is no evidence
    reasons: list[Change] = field(default_factory=list)
    works: list[str] = field(default_factory=list)  # the primary studies rated
    context: list[str] = field(default_factory=list)  # listed, never rated (secondary sources, reviews, ...)
    direction: str = "none"  # one of DIRECTIONS
    statement: str = ""  # the certainty statement, with its direction
    critical: bool = False
    participants: int | None = None  # of the studies that state their size (None: none does)
    designs: tuple[tuple[str, int], ...] = ()  # (design, number of studies), most first
    symbols: str = ""  # GRADE's symbols of the level ("" for no evidence)

    @property
    def has_evidence(self) -> bool:
        return self.start is not None


@dataclass(frozen=True)
class HypothesisRating:
    hypothesis_id: str
    level: str
    critical: tuple[str, ...]  # the predictions the overall is taken over
    marked: bool  # whether the hypothesis marks its critical predictions (else: all predictions count)
    predictions: list[PredictionRating]
    scale: tuple[str, ...]  # the levels, best first, then "no evidence"
    symbols: str = ""  # GRADE's symbols of the overall level

    @property
    def without_evidence(self) -> list[str]:
        """The critical predictions no study bears on (the overall says nothing about them)."""
        return [p.prediction_id for p in self.predictions if p.prediction_id in self.critical and not p.has_evidence]

    def to_frame(self) -> pd.DataFrame:
        """One row per prediction, in the hypothesis's order; lists are "; "-joined, reasons " "-joined."""
        rows = [{
            "hypothesis": self.hypothesis_id,
            "prediction": p.prediction_id,
            "critical": p.prediction_id in self.critical,
            "level": p.level,
            "symbols": p.symbols,
            "direction": p.direction,
            "statement": p.statement,
            "start": p.start or "",
            "downgrade_levels": sum(c.levels for c in p.reasons),
            "reasons": " ".join(c.reason for c in p.reasons),
            "studies": len(p.works),
            "participants": p.participants,
            "works": "; ".join(p.works),
            "context": "; ".join(p.context),
        } for p in self.predictions]
        frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
        return frame.astype({"downgrade_levels": "int64", "studies": "int64", "participants": "Int64"})


@dataclass(frozen=True)
class _Work:
    """One study's findings bearing on one prediction."""

    key: str
    note: Note
    findings: tuple[str, ...]
    directions: frozenset[str]
    concern: str  # its overall risk of bias, as the rules weigh it
    judgement: str  # its overall judgement in the words of its tool ("not assessed" without one)
    facets: Mapping[str, str] = field(default_factory=dict)  # facet -> its status (the vocabulary's derivation)

    def participants(self) -> int | None:
        """The participants its findings on the prediction state, else its population's size."""
        stated = [n for f in self.note.findings if f.id in self.findings and (n := _finding_n(f)) is not None]
        return max(stated) if stated else _size(self.note)

    def intervals_without_effect(self) -> list[str]:
        """Its findings on the prediction whose recorded confidence interval includes no effect."""
        return [f"{self.key}#{f.id}" for f in self.note.findings
                if f.id in self.findings and getattr(getattr(f, "estimate", None), "spans_no_effect", None)]


def rate(hypothesis: Hypothesis, evidence: pd.DataFrame, notes: Mapping[str, Note], rules: Rules,
         assessments: Mapping[str, Any] | None = None, *, vocabulary: Vocabulary) -> HypothesisRating:
    """Rate every prediction of *hypothesis* from the *evidence* rows (one per finding) about it;
    *assessments* are the studies' risk-of-bias assessments by key (each with ``concern`` and ``overall``);
    *vocabulary* derives the facets the indirectness rule asks for."""
    works = _works_by_prediction(evidence[evidence["hypothesis"] == hypothesis.id], notes, assessments or {}, vocabulary)
    predictions = [_rate_prediction(p, works.get(p.id, []), hypothesis, rules) for p in hypothesis.predictions]
    marked = any(p.critical for p in hypothesis.predictions)
    critical = tuple(p.id for p in hypothesis.predictions if p.critical or not marked)
    level = _overall([p for p in predictions if p.prediction_id in critical], rules)
    return HypothesisRating(hypothesis_id=hypothesis.id, level=level, critical=critical, marked=marked,
                            predictions=predictions, scale=(*rules.levels, rules.no_evidence), symbols=rules.symbols(level))


def compare(all_rating: HypothesisRating, filtered: HypothesisRating) -> pd.DataFrame:
    """How each rating moves when a facet filter keeps only the studies whose criteria require it.

    One row per prediction, then one for the overall rating; ``change`` is higher, lower or same.
    """
    if all_rating.hypothesis_id != filtered.hypothesis_id:
        raise ValueError(f"cannot compare ratings of two hypotheses: {all_rating.hypothesis_id}, {filtered.hypothesis_id}")
    kept = {p.prediction_id: p for p in filtered.predictions}
    rows = [_change(p.prediction_id, p.level, kept[p.prediction_id].level, all_rating.scale,
                    [k for k in p.works if k not in kept[p.prediction_id].works])
            for p in all_rating.predictions]
    rows.append(_change(OVERALL, all_rating.level, filtered.level, all_rating.scale, []))
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)


def _change(prediction: str, before: str, after: str, scale: Sequence[str], dropped: list[str]) -> dict:
    step = scale.index(before) - scale.index(after)
    change = "higher" if step > 0 else "lower" if step < 0 else "same"
    return {"prediction": prediction, "level_all": before, "level_filtered": after, "change": change,
            "works_dropped": "; ".join(dropped)}


def _works_by_prediction(rows: pd.DataFrame, notes: Mapping[str, Note], assessments: Mapping[str, Any],
                         vocabulary: Vocabulary) -> dict[str, list[_Work]]:
    """prediction id -> the works with findings on it, sorted by key (findings without a prediction are left out)."""
    found: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for prediction, key, finding_id, direction in rows[["prediction", "key", "finding_id", "direction"]].itertuples(index=False):
        if isinstance(prediction, str):
            found.setdefault(prediction, {}).setdefault(key, []).append((finding_id, direction))
    missing = sorted({key for works in found.values() for key in works if key not in notes})
    if missing:
        raise EvidenceMismatch(f"the evidence names '{missing[0]}' but no note was given for it; "
                               "pass the notes the evidence table was built from")
    out: dict[str, list[_Work]] = {}
    for prediction, works in found.items():
        out[prediction] = []
        for key, items in sorted(works.items()):
            assessment = assessments.get(key)
            out[prediction].append(_Work(
                key, notes[key], tuple(sorted(f for f, _ in items)), frozenset(d for _, d in items),
                concern=getattr(assessment, "concern", "not assessed"),
                judgement=getattr(assessment, "overall", "not assessed"),
                facets={f: facet_status(vocabulary, f, notes[key]) for f in vocabulary.facets}))
    return out


def direction_of(directions: Sequence[frozenset[str]]) -> str:
    """The direction of a body of studies from the directions of their findings: ``for`` when they
    only support the prediction, ``against`` when they only contradict it, ``conflicting`` when
    some do each (or a result is mixed beside them), ``unclear`` when no finding takes a side."""
    seen = frozenset().union(*directions) if directions else frozenset()
    sides = seen & {"supports", "contradicts"}
    if not directions:
        return "none"
    if sides == {"supports", "contradicts"} or (sides and "mixed" in seen):
        return "conflicting"
    if sides == {"supports"}:
        return "for"
    if sides == {"contradicts"}:
        return "against"
    return "unclear"


def statement(prediction: Prediction, direction: str, level: str, rules: Rules) -> str:
    """The certainty statement: the level, in the direction of the evidence, in the rules' words."""
    claim = _as_clause(prediction.statement)
    contrary = _as_clause(prediction.contrary) if prediction.contrary else f"the prediction does not hold: {claim}"
    text = Template(rules.statements.template(direction)).substitute(
        level=level[:1].upper() + level[1:], prediction=claim, contrary=contrary)
    return text


def _as_clause(sentence: str) -> str:
    """*sentence* as the end of a clause: no final full stop; a capital first letter lowered unless
    the first word is an acronym or a name written with more capitals (LDN, IgG, HbA1c)."""
    text = sentence.strip().rstrip(".")
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and first[1:2].islower() and not any(c.isupper() for c in first[1:]):
        text = text[:1].lower() + text[1:]
    return text


def _rate_prediction(prediction: Prediction, works: list[_Work], hypothesis: Hypothesis, rules: Rules) -> PredictionRating:
    rated = [w for w in works if rules.is_evidence(w.note)]
    context = [w.key for w in works if not rules.is_evidence(w.note)]
    common = dict(context=context, critical=prediction.critical)
    if not rated:
        return PredictionRating(prediction.id, rules.no_evidence, None, statement=statement(prediction, "none", "", rules),
                                **common)
    start = min((rules.start[w.note.design] for w in rated), key=rules.rank)
    reasons = [c for check in DOWNGRADES if (c := check(rated, prediction, hypothesis, rules)) is not None]
    reasons += _upgrades(rated, prediction, reasons, rules)
    level = rules.lowered(start, sum(c.levels for c in reasons))
    direction = direction_of([w.directions for w in rated])
    sizes = [n for w in rated if (n := w.participants()) is not None]
    designs = Counter(w.note.design for w in rated)
    return PredictionRating(prediction.id, level, start, reasons, [w.key for w in rated], direction=direction,
                            statement=statement(prediction, direction, level, rules),
                            participants=sum(sizes) if sizes else None,
                            designs=tuple(sorted(designs.items(), key=lambda item: (-item[1], item[0]))),
                            symbols=rules.symbols(level), **common)


def _overall(predictions: list[PredictionRating], rules: Rules) -> str:
    """The lowest level among *predictions* that have evidence (GRADE: the lowest critical outcome)."""
    levels = [p.level for p in predictions if p.has_evidence]
    return max(levels, key=rules.rank) if levels else rules.no_evidence


# -- GRADE's domains: each takes the rated works and returns a Change or None -----------------------

def _finding_n(finding) -> int | None:
    estimate = getattr(finding, "estimate", None)
    total = getattr(estimate, "total_n", None)
    if isinstance(total, int):
        return total
    return finding.stated.n if finding.stated is not None and finding.stated.n is not None else None


def _size(note: Note) -> int | None:
    patients, controls = note.population.patients, note.population.controls
    if not isinstance(patients, int):
        return None
    return patients + (controls if isinstance(controls, int) else 0)


#: a reason names every work up to twice this many; beyond, the first this many "and N more" (the risk-of-bias
#: and evidence tables list every work with its judgement)
NAMED_WORKS = 10


def named(works) -> str:
    """The works a reason names, joined: ``a, b, c``, or at scale ``a, b, … j and 3,590 more``."""
    works = list(works)
    if len(works) <= 2 * NAMED_WORKS:
        return ", ".join(works)
    return ", ".join(works[:NAMED_WORKS]) + f" and {len(works) - NAMED_WORKS:,} more"


def _risk_of_bias(rated: list[_Work], prediction: Prediction, hypothesis: Hypothesis, rules: Rules) -> Change | None:
    rule = rules.downgrades.risk_of_bias
    concerning = [w for w in rated if w.concern in rule.concerns]
    if not concerning:
        return None
    works = named(f"{w.key} ({w.judgement})" for w in concerning)
    return Change("risk_of_bias", rule.levels, Template(rule.reason).substitute(works=works))


def _inconsistency(rated: list[_Work], prediction: Prediction, hypothesis: Hypothesis, rules: Rules) -> Change | None:
    rule = rules.downgrades.inconsistency
    supporting = [w.key for w in rated if "supports" in w.directions]
    contradicting = [w.key for w in rated if "contradicts" in w.directions]
    if not (supporting and contradicting):
        return None
    reason = Template(rule.reason).substitute(supporting=named(supporting), contradicting=named(contradicting))
    return Change("inconsistency", rule.levels, reason)


def _indirectness(rated: list[_Work], prediction: Prediction, hypothesis: Hypothesis, rules: Rules) -> Change | None:
    rule = rules.downgrades.indirectness
    sentences = []
    wanted = set(hypothesis.conditions)
    others = [w for w in rated if not wanted & set(w.note.population.conditions)]
    if others:
        works = named(f"{w.key} ({'; '.join(w.note.population.conditions)})" for w in others)
        sentences.append(Template(rule.reason_population).substitute(works=works, conditions="; ".join(hypothesis.conditions)))
    for facet, conditions in rule.required_for.items():
        for condition in conditions:
            lacking = [w for w in rated if condition in wanted and condition in w.note.population.conditions
                       and w.facets.get(facet) != "required"]
            if lacking:
                works = named(f"{w.key} ({'; '.join(w.note.criteria)})" for w in lacking)
                sentences.append(Template(rule.reason_criteria).substitute(condition=condition, works=works))
    findings = {f"{w.key}#{f}" for w in rated for f in w.findings}
    for flag in rule.flags:
        if flag.finding in findings:
            sentences.append(Template(rule.reason_flag).substitute(finding=flag.finding, reason=flag.reason))
    return Change("indirectness", rule.levels, " ".join(sentences)) if sentences else None


def _imprecision(rated: list[_Work], prediction: Prediction, hypothesis: Hypothesis, rules: Rules) -> Change | None:
    rule = rules.downgrades.imprecision
    known = [(w.key, n) for w in rated if (n := w.participants()) is not None]
    unknown = [w.key for w in rated if w.participants() is None]
    total = sum(n for _, n in known)
    intervals = [ref for w in rated for ref in w.intervals_without_effect()]
    sentences = []
    if not known or total < rule.below:
        if known:
            works = named(f"{key} n = {n}" for key, n in known)
            sentences.append(Template(rule.reason).substitute(total=total, works=works, below=rule.below))
        if unknown:
            sentences.append(Template(rule.reason_unknown).substitute(works=named(unknown), below=rule.below))
    if intervals:
        sentences.append(Template(rule.reason_interval).substitute(works=named(intervals)))
    return Change("imprecision", rule.levels, " ".join(sentences)) if sentences else None


def _publication_bias(rated: list[_Work], prediction: Prediction, hypothesis: Hypothesis, rules: Rules) -> Change | None:
    rule = rules.downgrades.publication_bias
    reasons = [s.reason for s in rule.suspected if s.prediction == prediction.id]
    if not reasons:
        return None
    return Change("publication_bias", rule.levels, " ".join(Template(rule.reason).substitute(reason=r) for r in reasons))


DOWNGRADES: tuple[Callable[[list[_Work], Prediction, Hypothesis, Rules], Change | None], ...] = (
    _risk_of_bias, _inconsistency, _indirectness, _imprecision, _publication_bias,
)


def _upgrades(rated: list[_Work], prediction: Prediction, downgrades: list[Change], rules: Rules) -> list[Change]:
    """GRADE rates up only a body of non-randomised studies that nothing downgraded; otherwise a flag is
    shown as not applied (0 levels), so the reader sees the reviewer's reason and why it did not count."""
    rule = rules.upgrades
    allowed = not downgrades and not any(w.note.design in RANDOMIZED for w in rated)
    out = []
    for flag in rule.flags:
        if flag.prediction != prediction.id:
            continue
        if allowed:
            out.append(Change("upgrade", -rule.levels, Template(rule.reason).substitute(domain=flag.domain, reason=flag.reason)))
        else:
            out.append(Change("upgrade", 0, Template(rule.reason_not_applied).substitute(domain=flag.domain)))
    return out
