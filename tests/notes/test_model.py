"""The estimate block of a finding: its measure's meaning, whether its interval spans no effect, its n.

Every estimate here is invented."""

from __future__ import annotations

import math
import re

import pytest
from pydantic import ValidationError

from livingreview.notes.model import MEASURES, Estimate, Finding


def estimate(**values) -> Estimate:
    return Estimate(**{"measure": "mean difference", "value": -1.2, "outcome": "an invented score", **values})


@pytest.mark.parametrize(("measure", "null", "scale"), [
    ("mean difference", 0, "difference"), ("standardized mean difference", 0, "difference"),
    ("risk difference", 0, "difference"), ("odds ratio", 1, "ratio"), ("risk ratio", 1, "ratio"),
    ("hazard ratio", 1, "ratio"), ("correlation", 0, "correlation"),
])
def test_each_measure_knows_its_null_value_and_pooling_scale(measure, null, scale):
    assert (MEASURES[measure].null, MEASURES[measure].scale) == (null, scale)
    assert MEASURES[measure].ratio == (scale == "ratio")


def test_the_scales_are_log_for_ratios_and_fisher_z_for_correlations():
    assert MEASURES["odds ratio"].to_scale(math.e) == pytest.approx(1.0)
    assert MEASURES["odds ratio"].from_scale(0.0) == 1.0
    assert MEASURES["correlation"].to_scale(0.5) == pytest.approx(0.5493061443340549)  # atanh(0.5)
    assert MEASURES["correlation"].from_scale(0.5493061443340549) == pytest.approx(0.5)
    assert MEASURES["mean difference"].to_scale(-1.2) == -1.2


@pytest.mark.parametrize(("values", "spans"), [
    ({}, None),  # no interval: unknown
    ({"ci": [-2.3, -0.1]}, False),
    ({"ci": [-2.3, 0.4]}, True),
    ({"ci": [-1.2, 0.0]}, True),  # the null on the limit is inside
    ({"measure": "odds ratio", "value": 1.8, "ci": [0.9, 3.6]}, True),  # ratios: the null is 1, not 0
    ({"measure": "odds ratio", "value": 0.5, "ci": [0.3, 0.8]}, False),
    ({"measure": "correlation", "value": 0.3, "ci": [0.05, 0.5]}, False),
])
def test_spans_no_effect_compares_the_interval_with_the_measures_null(values, spans):
    assert estimate(**values).spans_no_effect is spans


def test_total_n_is_the_stated_total_or_the_arms_added_up():
    assert estimate().total_n is None
    assert estimate(n={"drug": 16, "placebo": 15}).total_n == 31
    assert estimate(n={"total": 40}).total_n == 40


def test_a_whole_number_is_a_number_but_text_and_booleans_are_not():
    assert estimate(value=2, ci=[1, 3]).value == 2.0
    for bad in ("2", True, float("nan"), float("inf")):
        with pytest.raises(ValidationError):
            estimate(value=bad)


@pytest.mark.parametrize(("values", "message"), [
    ({"value": -3.0, "ci": [-2.3, -0.1]}, "the value -3 is outside its confidence interval [-2.3, -0.1]"),
    ({"ci": [-0.1, -2.3]}, "the lower limit -0.1 is above the upper limit -2.3"),
    ({"measure": "hazard ratio", "value": 0}, "a hazard ratio is positive; the value is 0"),
    ({"measure": "risk ratio", "value": 1.2, "ci": [0, 2]}, "a risk ratio is positive; the interval has 0"),
    ({"measure": "correlation", "value": 1.0}, "a correlation is between -1 and 1"),
    ({"ci": [-2.0]}, "a confidence interval is two numbers"),
    ({"n": {}}, "no arm is named"),
])
def test_an_inconsistent_estimate_is_refused_naming_the_rule(values, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        estimate(**values)


def test_a_negative_arm_and_an_unknown_field_are_refused():
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        estimate(n={"drug": -1})
    with pytest.raises(ValidationError, match="Extra inputs"):
        estimate(sd=1.0)


def test_a_finding_may_carry_an_estimate():
    finding = Finding(id="f1", statement="An invented result.", hypothesis="example-fatigue", direction="supports",
                      kind="observed", extracted_from="An invented record", estimate=estimate(ci=[-2.3, -0.1]))
    assert finding.estimate.spans_no_effect is False
    assert Finding(id="f2", statement="x", hypothesis="h", direction="neutral", kind="observed",
                   extracted_from="r").estimate is None


def test_unsupported_is_a_kind_for_secondary_sources_only():
    from livingreview.notes.model import Note

    def note(source_type):
        return Note(key="doe2020", source_type=source_type, design="commentary", population={"conditions": ["FM"]},
                    criteria=["not stated"], quick_summary="A fictional item.", why_it_matters="Tests.",
                    findings=[{"id": "f1", "statement": "It claims a cure.", "hypothesis": "h-test", "direction": "supports",
                               "kind": "unsupported", "extracted_from": "a fictional page"}])

    assert note("news").findings[0].kind == "unsupported"
    with pytest.raises(ValueError, match="'unsupported' is for a secondary source"):
        note("primary")
