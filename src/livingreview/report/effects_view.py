"""The blocks behind the effect-estimates section: per prediction, its forest plot(s), the numbers
as the sources state them, and the pooled result or why there is none (no markup here).

The estimates and the pooling are :mod:`livingreview.synthesis.effects`; this module arranges them
for reading and draws the figures (:func:`livingreview.report.plots.forest`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..notes.model import MEASURES, TOTAL, Estimate
from ..synthesis.effects import PredictionEffects, Pooled, Stated, by_prediction
from . import plots
from .tables import finding_anchor
from .labels import SOURCE_TYPES


@dataclass(frozen=True)
class Figure:
    plot: plots.Plot
    anchor: str


@dataclass(frozen=True)
class EffectsBlock:
    prediction: str | None
    statement: str | None
    anchor: str
    figures: list[Figure]
    rows: list[dict]  # the drawn estimates, as the table beneath the figure shows them
    set_aside: list[dict]  # estimates of other sources: listed, never drawn
    pooled: dict | None  # the pooled result in words and numbers
    reason: str | None  # why the estimates were not pooled


def number(value: float | None) -> str:
    """A stated number as the note wrote it (``-1.2``, ``3``); empty when there is none."""
    return "" if value is None else f"{value:g}"


def rounded(value: float) -> str:
    """A computed number for reading: two decimals."""
    return f"{value:.2f}"


def interval(low: float | None, high: float | None, format=number) -> str:
    return "" if low is None else f"{format(low)} to {format(high)}"


def participants(estimate: Estimate) -> str:
    if not estimate.n:
        return ""
    if list(estimate.n) == [TOTAL]:
        return str(estimate.n[TOTAL])
    arms = ", ".join(f"{arm} {n}" for arm, n in estimate.n.items())
    return f"{arms} ({estimate.total_n} in all)" if TOTAL not in estimate.n else arms


def _row(stated: Stated) -> dict:
    e = stated.estimate
    return {
        "key": stated.key, "finding_id": stated.finding_id, "anchor": finding_anchor(stated.key, stated.finding_id),
        "outcome": e.outcome, "measure": e.measure, "value": number(e.value),
        "ci": interval(e.ci_low, e.ci_high), "ci_level": number(e.ci_level) if e.ci else "",
        "p": e.p or "", "n": participants(e), "source_type": SOURCE_TYPES.get(stated.source_type, stated.source_type),
        "spans_no_effect": e.spans_no_effect,
    }


def _pooled(pooled: Pooled) -> dict:
    return {
        "measure": pooled.measure, "outcome": pooled.outcome, "k": pooled.k, "level": number(pooled.ci_level),
        "random": rounded(pooled.random.value), "random_ci": interval(pooled.random.ci_low, pooled.random.ci_high, rounded),
        "fixed": rounded(pooled.fixed.value), "fixed_ci": interval(pooled.fixed.ci_low, pooled.fixed.ci_high, rounded),
        "tau2": f"{pooled.tau2:.3g}", "i2": f"{pooled.i2 * 100:.0f}", "method": pooled.method,
    }


def _slug(prediction: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (prediction or "hypothesis").casefold()).strip("-")


def _label(stated: Stated, labels: dict[str, str], repeated: set[str]) -> str:
    label = labels.get(stated.key, stated.key)
    return f"{label}, {stated.finding_id}" if stated.key in repeated else label


def _figures(group: PredictionEffects, labels: dict[str, str]) -> list[Figure]:
    """One forest plot per measure the prediction's estimates use (one axis cannot carry two)."""
    keys = [s.key for s in group.estimates]
    repeated = {k for k in keys if keys.count(k) > 1}
    measures = list(dict.fromkeys(s.estimate.measure for s in group.estimates))
    pooled = group.pooled
    out = []
    for i, measure in enumerate(measures, 1):
        spec = MEASURES[measure]
        mine = [s for s in group.estimates if s.estimate.measure == measure]
        rows = [plots.ForestRow(_label(s, labels, repeated), s.estimate.value, s.estimate.ci_low, s.estimate.ci_high)
                for s in mine]
        if pooled is not None and pooled.measure == measure:
            rows.append(plots.ForestRow("Pooled (random effects)", pooled.random.value, pooled.random.ci_low,
                                        pooled.random.ci_high, pooled=True))
        outcomes = list(dict.fromkeys(s.estimate.outcome for s in mine))
        xlabel = measure.capitalize() + (f": {outcomes[0]}" if len(outcomes) == 1 else "")
        where = f"prediction {group.prediction}" if group.prediction else "the hypothesis as a whole"
        caption = f"Effect estimates for {where} ({measure}{'; log scale' if spec.ratio else ''})"
        name = f"forest_{_slug(group.prediction)}" + (f"_{i}" if len(measures) > 1 else "")
        plot = plots.forest(rows, name=name, measure=measure, null=spec.null, ratio=spec.ratio, caption=caption,
                            xlabel=xlabel)
        out.append(Figure(plot, "figure-" + name.replace("_", "-")))
    return out


def effects_view(selection, labels: dict[str, str]) -> list[EffectsBlock]:
    """Per prediction of the selection's hypothesis (then the hypothesis as a whole, when a finding
    bearing on it states an estimate): the figures, rows and pooled result."""
    out = []
    for group in by_prediction(selection.notes, selection.hypothesis):
        result = group.result
        out.append(EffectsBlock(
            prediction=group.prediction, statement=group.statement, anchor=f"effects-{group.prediction or 'hypothesis'}",
            figures=_figures(group, labels) if group.estimates else [],
            rows=[_row(s) for s in group.estimates], set_aside=[_row(s) for s in group.set_aside],
            pooled=_pooled(result) if isinstance(result, Pooled) else None,
            reason=getattr(result, "reason", None),
        ))
    return out
