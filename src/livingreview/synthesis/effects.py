"""Effect estimates by prediction, and pooling them where that is sound.

Pure: takes notes and a hypothesis, returns data. Within a prediction, estimates are pooled only
when at least two come from primary studies (``source_type: primary``, a design that is not a
review), each from its own study, all with the same measure and outcome, each with a confidence
interval. Standard errors come from the interval on the measure's pooling scale (log for ratios,
Fisher's z for correlations); pooling is statsmodels' ``combine_effects`` (inverse variance; random
effects by DerSimonian–Laird), reported on the measure's own scale. Otherwise the result says, in
plain words, why the estimates were not pooled.

statsmodels' DerSimonian–Laird τ² is not truncated at zero: when the estimates vary less than their
standard errors allow (Q below its degrees of freedom) it is negative and the random-effects mean
meaningless. τ² is then 0, as DerSimonian and Laird define it, and the random-effects result is the
fixed-effect one.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from ..notes.model import MEASURES, Estimate, Hypothesis, Note

#: designs whose results are other studies' (never pooled as a study's own estimate)
REVIEW_DESIGNS: frozenset[str] = frozenset({"narrative-review", "systematic-review"})
#: the level of the pooled confidence intervals, in per cent
POOLED_LEVEL = 95.0
METHOD = "inverse variance; random effects by DerSimonian–Laird"


@dataclass(frozen=True)
class Stated:
    """One estimate as its note states it, with the work it comes from."""

    key: str
    finding_id: str
    prediction: str | None
    source_type: str
    design: str
    estimate: Estimate

    @property
    def primary(self) -> bool:
        """From a primary study's own results (the only estimates drawn and pooled)."""
        return self.source_type == "primary" and self.design not in REVIEW_DESIGNS


@dataclass(frozen=True)
class Summary:
    """A pooled value on the measure's own scale, with its interval (:data:`POOLED_LEVEL`)."""

    value: float
    ci_low: float
    ci_high: float
    se: float  # on the pooling scale (log for ratios, Fisher's z for correlations)


@dataclass(frozen=True)
class Pooled:
    measure: str
    outcome: str
    #: the pooled estimates' citation keys, in order
    keys: tuple[str, ...]
    fixed: Summary
    random: Summary
    tau2: float  # between-study variance, on the pooling scale
    i2: float  # share of the variation beyond chance, 0 to 1
    q: float  # Cochran's Q
    ci_level: float = POOLED_LEVEL
    method: str = METHOD

    @property
    def k(self) -> int:
        return len(self.keys)


@dataclass(frozen=True)
class NotPooled:
    """Why a prediction's estimates were not pooled, as a sentence ends: "Not pooled: <reason>."."""

    reason: str


@dataclass(frozen=True)
class PredictionEffects:
    """The estimates bearing on one prediction (None: on the hypothesis as a whole)."""

    prediction: str | None
    statement: str | None
    #: from primary studies: drawn and, where sound, pooled
    estimates: tuple[Stated, ...]
    #: from other sources (secondary sources, reviews, registrations): listed, never drawn or pooled
    set_aside: tuple[Stated, ...]
    result: Pooled | NotPooled | None  # None: no estimate from a primary study

    @property
    def pooled(self) -> Pooled | None:
        return self.result if isinstance(self.result, Pooled) else None


def stated(notes: Mapping[str, Note], hypothesis_id: str) -> list[Stated]:
    """Every estimate the findings bearing on *hypothesis_id* state, by (prediction, key, finding)."""
    out = [Stated(key, f.id, f.prediction, note.source_type, note.design, f.estimate)
           for key, note in notes.items() for f in note.findings
           if f.hypothesis == hypothesis_id and f.estimate is not None]
    return sorted(out, key=lambda s: (s.prediction is None, s.prediction or "", s.key, int(s.finding_id[1:])))


def by_prediction(notes: Mapping[str, Note], hypothesis: Hypothesis) -> list[PredictionEffects]:
    """Per prediction of *hypothesis* (in its order), its estimates and whether they pool; then the
    estimates bearing on the hypothesis as a whole, if any."""
    found = stated(notes, hypothesis.id)
    groups: list[tuple[str | None, str | None]] = [(p.id, p.statement) for p in hypothesis.predictions]
    known = {p for p, _ in groups}
    if any(s.prediction is None or s.prediction not in known for s in found):
        groups.append((None, None))
    out = []
    for prediction, statement in groups:
        mine = [s for s in found if (s.prediction if s.prediction in known else None) == prediction]
        primary = tuple(s for s in mine if s.primary)
        out.append(PredictionEffects(prediction, statement, primary, tuple(s for s in mine if not s.primary),
                                     pool(primary) if primary else None))
    return out


def standard_error(estimate: Estimate) -> float:
    """The estimate's standard error on its pooling scale, from its confidence interval."""
    spec = estimate.spec
    low, high = estimate.ci
    z = NormalDist().inv_cdf(0.5 + estimate.ci_level / 200)
    return (spec.to_scale(high) - spec.to_scale(low)) / (2 * z)


def pool(estimates: Sequence[Stated]) -> Pooled | NotPooled:
    """Pool *estimates* (a prediction's, from primary studies), or say why not."""
    reason = why_not(estimates)
    if reason:
        return NotPooled(reason)
    first = estimates[0].estimate
    spec = first.spec
    effect = np.array([spec.to_scale(s.estimate.value) for s in estimates])
    variance = np.array([standard_error(s.estimate) ** 2 for s in estimates])
    from statsmodels.stats.meta_analysis import combine_effects  # loaded when there is something to pool

    alpha = 1 - POOLED_LEVEL / 100
    with warnings.catch_warnings(), np.errstate(all="ignore"):  # a negative τ² (see the module docstring)
        warnings.simplefilter("ignore")
        result = combine_effects(effect, variance, method_re="dl", alpha=alpha)
    q = float(result.q)
    df = len(estimates) - 1
    fixed_mean, fixed_se = float(result.mean_effect_fe), float(result.sd_eff_w_fe)
    if result.tau2 > 0:
        tau2, random_mean, random_se = float(result.tau2), float(result.mean_effect_re), float(result.sd_eff_w_re)
    else:
        tau2, random_mean, random_se = 0.0, fixed_mean, fixed_se
    z = NormalDist().inv_cdf(1 - alpha / 2)
    return Pooled(
        measure=first.measure, outcome=first.outcome, keys=tuple(s.key for s in estimates),
        fixed=_summary(spec, fixed_mean, fixed_se, z), random=_summary(spec, random_mean, random_se, z),
        tau2=tau2, i2=max(0.0, (q - df) / q) if q > 0 else 0.0, q=q,
    )


def _summary(spec, mean: float, se: float, z: float) -> Summary:
    return Summary(value=spec.from_scale(mean), ci_low=spec.from_scale(mean - z * se),
                   ci_high=spec.from_scale(mean + z * se), se=se)


def why_not(estimates: Sequence[Stated]) -> str | None:
    """The plain reason *estimates* cannot be pooled, or None when they can."""
    if len(estimates) < 2:
        return "one estimate" if estimates else "no estimate from a primary study"
    measures = _distinct(s.estimate.measure for s in estimates)
    if len(measures) > 1:
        return f"estimates use different measures ({', '.join(measures)})"
    outcomes = _distinct(s.estimate.outcome for s in estimates)
    if len(outcomes) > 1:
        return f"estimates are of different outcomes ({'; '.join(outcomes)})"
    keys = [s.key for s in estimates]
    repeated = _distinct(k for k in keys if keys.count(k) > 1)
    if repeated:
        return f"more than one estimate from one study ({', '.join(repeated)})"
    without = [f"{s.key} {s.finding_id}" for s in estimates if s.estimate.ci is None]
    if without:
        return f"{'an estimate' if len(without) == 1 else 'estimates'} without a confidence interval ({', '.join(without)})"
    flat = [f"{s.key} {s.finding_id}" for s in estimates if not standard_error(s.estimate) > 0]
    if flat:
        return f"a confidence interval of zero width ({', '.join(flat)})"
    return None


def _distinct(values: Iterable[str]) -> list[str]:
    """*values* without repeats, in first-seen order."""
    return list(dict.fromkeys(values))


def measure_of(effects: PredictionEffects) -> str | None:
    """The one measure a prediction's drawn estimates share (None when they use several)."""
    measures = _distinct(s.estimate.measure for s in effects.estimates)
    return measures[0] if len(measures) == 1 else None


def is_ratio(measure: str) -> bool:
    return MEASURES[measure].ratio
