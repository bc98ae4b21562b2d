"""Pooling effect estimates: which estimates pool, the plain reason when they do not, and the pooled
values against inverse-variance and DerSimonian–Laird arithmetic done by hand. Every estimate is invented."""

from __future__ import annotations

import math
from statistics import NormalDist

import pytest
from synthesis_fixtures import by_key, finding, make_hypothesis, make_note

from livingreview.synthesis.effects import NotPooled, Pooled, by_prediction, pool, standard_error, stated

Z = NormalDist().inv_cdf(0.975)


def est(value, ci=None, measure="mean difference", outcome="invented fatigue score", **more) -> dict:
    return {"measure": measure, "value": value, "outcome": outcome, **({"ci": list(ci)} if ci else {}), **more}


def note(key, *estimates, prediction="P1", **kind):
    return make_note(key, design=kind.pop("design", "rct"), findings=[
        finding(f"f{i}", prediction, estimate=e) for i, e in enumerate(estimates, 1)], **kind)


def effects_for(*notes, prediction="P1"):
    groups = by_prediction(by_key(*notes), make_hypothesis())
    return next(g for g in groups if g.prediction == prediction)


def _hand_pooled(values, ses):
    """Inverse-variance fixed effect and DerSimonian–Laird random effects, written out."""
    w = [1 / s**2 for s in ses]
    fixed = sum(wi * v for wi, v in zip(w, values)) / sum(w)
    q = sum(wi * (v - fixed) ** 2 for wi, v in zip(w, values))
    c = sum(w) - sum(wi**2 for wi in w) / sum(w)
    tau2 = max(0.0, (q - (len(values) - 1)) / c)
    w_re = [1 / (s**2 + tau2) for s in ses]
    random = sum(wi * v for wi, v in zip(w_re, values)) / sum(w_re)
    return fixed, math.sqrt(1 / sum(w)), random, math.sqrt(1 / sum(w_re)), tau2, q


def test_the_standard_error_comes_from_the_interval_on_the_measures_scale():
    g = effects_for(note("a2020", est(1.0, (0.0, 2.0))), note("b2021", est(0.5, (0.25, 1.0), "odds ratio", "x")))
    md, ratio = (s.estimate for s in g.estimates)
    assert standard_error(md) == pytest.approx(2.0 / (2 * Z))
    assert standard_error(ratio) == pytest.approx((math.log(1.0) - math.log(0.25)) / (2 * Z))
    ninety = md.model_copy(update={"ci_level": 90.0})
    assert standard_error(ninety) == pytest.approx(2.0 / (2 * NormalDist().inv_cdf(0.95)))


def test_mean_differences_pool_to_the_hand_computed_inverse_variance_values():
    g = effects_for(note("a2020", est(1.0, (0.0, 2.0))), note("b2021", est(3.0, (2.5, 3.5))),
                    note("c2022", est(2.0, (0.8, 3.2))))
    pooled = g.result
    assert isinstance(pooled, Pooled) and pooled.keys == ("a2020", "b2021", "c2022")
    fixed, fixed_se, random, random_se, tau2, q = _hand_pooled([1.0, 3.0, 2.0], [1 / Z, 0.5 / Z, 1.2 / Z])
    assert tau2 > 0  # the random-effects model differs here
    assert pooled.fixed.value == pytest.approx(fixed)
    assert pooled.fixed.ci_low == pytest.approx(fixed - Z * fixed_se)
    assert pooled.random.value == pytest.approx(random)
    assert pooled.random.ci_high == pytest.approx(random + Z * random_se)
    assert (pooled.tau2, pooled.q) == (pytest.approx(tau2), pytest.approx(q))
    assert pooled.i2 == pytest.approx((q - 2) / q)
    assert (pooled.measure, pooled.outcome, pooled.k) == ("mean difference", "invented fatigue score", 3)


def test_ratios_pool_on_the_log_scale_and_come_back_as_ratios():
    g = effects_for(note("a2020", est(2.0, (1.0, 4.0), "odds ratio", "relapse")),
                    note("b2021", est(1.5, (1.2, 1.875), "odds ratio", "relapse")))
    ses = [(math.log(4) - math.log(1)) / (2 * Z), (math.log(1.875) - math.log(1.2)) / (2 * Z)]
    fixed, fixed_se, *_ = _hand_pooled([math.log(2.0), math.log(1.5)], ses)
    assert g.result.fixed.value == pytest.approx(math.exp(fixed))
    assert g.result.fixed.ci_low == pytest.approx(math.exp(fixed - Z * fixed_se))
    assert g.result.fixed.se == pytest.approx(fixed_se)


def test_correlations_pool_through_fishers_z():
    g = effects_for(note("a2020", est(0.3, (0.1, 0.5), "correlation", "r")),
                    note("b2021", est(0.5, (0.3, 0.65), "correlation", "r")))
    ses = [(math.atanh(0.5) - math.atanh(0.1)) / (2 * Z), (math.atanh(0.65) - math.atanh(0.3)) / (2 * Z)]
    fixed, *_ = _hand_pooled([math.atanh(0.3), math.atanh(0.5)], ses)
    assert g.result.fixed.value == pytest.approx(math.tanh(fixed))


def test_estimates_that_agree_more_than_chance_allows_have_no_between_study_variance():
    """statsmodels' DerSimonian–Laird τ² goes negative here; the review's is 0 and random equals fixed."""
    g = effects_for(note("a2020", est(1.0, (0.0, 2.0))), note("b2021", est(1.05, (-0.5, 2.6))))
    pooled = g.result
    assert (pooled.tau2, pooled.i2) == (0.0, 0.0)
    assert pooled.random == pooled.fixed
    assert 1.0 < pooled.fixed.value < 1.05


@pytest.mark.parametrize(("notes", "reason"), [
    ([note("a2020", est(1.0, (0.0, 2.0)))], "one estimate"),
    ([note("a2020", est(1.0, (0.0, 2.0))), note("b2021", est(2.0, (1.0, 3.0), "odds ratio"))],
     "estimates use different measures (mean difference, odds ratio)"),
    ([note("a2020", est(1.0, (0.0, 2.0))), note("b2021", est(2.0, (1.0, 3.0), outcome="invented pain score"))],
     "estimates are of different outcomes (invented fatigue score; invented pain score)"),
    ([note("a2020", est(1.0, (0.0, 2.0))), note("b2021", est(2.0))],
     "an estimate without a confidence interval (b2021 f1)"),
    ([note("a2020", est(1.0, (0.0, 2.0)), est(2.0, (1.0, 3.0)))], "more than one estimate from one study (a2020)"),
    ([note("a2020", est(1.0, (0.0, 2.0))), note("b2021", est(2.0, (2.0, 2.0)))],
     "a confidence interval of zero width (b2021 f1)"),
])
def test_estimates_that_cannot_be_pooled_say_why(notes, reason):
    assert effects_for(*notes).result == NotPooled(reason)


def test_only_primary_studies_are_drawn_and_pooled():
    blog = note("blog2022", est(9.0, (8.0, 10.0)), source_type="blog", design="summary")
    review = note("rev2023", est(1.5, (1.0, 2.0)), source_type="review", design="systematic-review")
    primary = note("a2020", est(1.0, (0.0, 2.0)))
    g = effects_for(blog, review, primary)
    assert [s.key for s in g.estimates] == ["a2020"]
    assert [s.key for s in g.set_aside] == ["blog2022", "rev2023"]
    assert g.result == NotPooled("one estimate")  # the review's and the blog's numbers never count


def test_a_prediction_without_estimates_has_no_result_and_findings_on_the_whole_hypothesis_are_grouped_last():
    groups = by_prediction(by_key(note("a2020", est(1.0, (0.0, 2.0)), prediction=None)), make_hypothesis())
    assert [(g.prediction, g.result) for g in groups[:2]] == [("P1", None), ("P2", None)]
    assert groups[2].prediction is None and groups[2].result == NotPooled("one estimate")


def test_only_the_hypothesis_findings_with_estimates_are_read():
    other = make_note("x2020", findings=[finding("f1", "P1", hypothesis="other", estimate=est(1.0)),
                                         finding("f2", "P1"), finding("f3", "P2", estimate=est(2.0))])
    assert [(s.key, s.finding_id) for s in stated(by_key(other), "h-test")] == [("x2020", "f3")]


def test_pool_is_deterministic():
    notes = [note("a2020", est(1.0, (0.0, 2.0))), note("b2021", est(3.0, (2.5, 3.5)))]
    assert pool(effects_for(*notes).estimates) == pool(effects_for(*notes).estimates)
