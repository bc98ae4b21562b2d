from __future__ import annotations

import pandas as pd
import pytest
from synthesis_fixtures import by_key, finding, make_note

from livingreview.synthesis.drift import COLUMNS, Drift, compare, drift_frame, number_form


def primary(**stated):
    return make_note("doe2020", conditions=["FM"], patients=31, controls="none", findings=[
        finding("f1", "P1", "supports", stated={"population": "31 women with fibromyalgia", "n": 31,
                                                 "outcome": "daily pain", "numbers": ["28.8%", "18.0%"], **stated}),
        finding("f2", "P2", "contradicts", stated={"outcome": "fatigue", "numbers": ["P = 0.016"]}),
    ])


def news(direction="supports", conditions=("FM",), **stated):
    return make_note("news2022", source_type="news", design="summary", conditions=conditions, patients="unknown",
                     findings=[finding("f1", "P1", direction, paraphrases="doe2020#f1", stated=stated)])


def test_a_faithful_report_gives_no_drift():
    faithful = news(n=31, outcome="Daily pain", numbers=["28.8 %", "p = 0.016"])
    assert compare(by_key(primary(), faithful)) == []


def test_each_difference_is_listed_with_what_each_side_says():
    drifted = news(direction="mixed", conditions=("FM", "ME/CFS"), population="fibromyalgia patients",
                   n=65, outcome="fatigue and pain", numbers=["65 percent", "28.8%"])
    assert compare(by_key(primary(), drifted)) == [
        Drift("news2022", "f1", "doe2020", "f1", "population",
              "FM; ME/CFS (stated: fibromyalgia patients)", "FM (stated: 31 women with fibromyalgia)"),
        Drift("news2022", "f1", "doe2020", "f1", "n", "n = 65", "stated n = 31; 31 patients, no controls"),
        Drift("news2022", "f1", "doe2020", "f1", "outcome", "fatigue and pain", "daily pain"),
        Drift("news2022", "f1", "doe2020", "f1", "direction", "mixed", "supports"),
        Drift("news2022", "f1", "doe2020", "f1", "numbers", "65 percent", "28.8%, 18.0%, P = 0.016"),
    ]


def test_n_matches_patients_or_patients_plus_controls():
    source = make_note("doe2020", patients=9, controls=10, findings=[finding("f1")])
    for n in (9, 19):
        assert compare(by_key(source, news(n=n, conditions=("ME/CFS",)))) == []
    [drift] = compare(by_key(source, news(n=17, conditions=("ME/CFS",))))
    assert (drift.aspect, drift.secondary_says, drift.primary_says) == ("n", "n = 17", "9 patients, 10 controls")


def test_a_size_the_primary_does_not_state_is_shown_as_not_stated():
    source = make_note("doe2020", patients="unknown", controls="unknown", findings=[finding("f1")])
    [drift] = compare(by_key(source, news(n=17, conditions=("ME/CFS",))))
    assert (drift.aspect, drift.primary_says) == ("n", "not stated")


@pytest.mark.parametrize("target", ["doe2020#f9", "nobody2000#f1"])
def test_a_link_to_a_missing_finding_or_note_is_not_compared(target):
    report = make_note("news2022", source_type="news", design="summary",
                       findings=[finding("f1", direction="contradicts", paraphrases=target)])
    assert compare(by_key(primary(), report)) == []


def test_number_forms():
    assert number_form("65 Percent") == number_form("65%") == number_form("65 per cent") == "65%"
    assert number_form("1,000") == "1000" and number_form("\u22120.5") == "-0.5" and number_form("0\u00b75") == "0.5"
    assert number_form("1,5") == "1,5"


def test_drift_frame():
    drifts = compare(by_key(primary(), news(direction="neutral")))
    frame = drift_frame(drifts)
    assert list(frame.columns) == COLUMNS
    assert frame.to_dict(orient="records") == [{
        "secondary_key": "news2022", "secondary_finding": "f1", "primary_key": "doe2020", "primary_finding": "f1",
        "aspect": "direction", "secondary_says": "neutral", "primary_says": "supports"}]
    empty = drift_frame([])
    assert list(empty.columns) == COLUMNS and len(empty) == 0
    assert isinstance(empty, pd.DataFrame)
