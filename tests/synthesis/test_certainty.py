from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pytest
from synthesis_fixtures import by_key, evidence, finding, make_hypothesis, make_note, rate

from livingreview.synthesis.certainty import Change, EvidenceMismatch, compare, direction_of


@dataclass(frozen=True)
class Judged:
    """A study's overall risk of bias, as the rating reads it."""

    overall: str
    concern: str


LOW = Judged("low", "low")


def assessed(*notes, as_=LOW, **by_key_judgement):
    """Every note judged *as_* (low risk of bias by default), but those named in *by_key_judgement*."""
    return {n.key: by_key_judgement.get(n.key, as_) for n in notes}


def rate_one(rules, *notes, hypothesis=None, assessments=None):
    """The rating of prediction P1 of the test hypothesis (every study at low risk of bias unless told)."""
    table = by_key(*notes)
    rating = rate(hypothesis or make_hypothesis(), evidence(table), table, rules,
                  assessed(*notes) if assessments is None else assessments)
    return rating.predictions[0]


# -- starting levels ------------------------------------------------------------------------------

@pytest.mark.parametrize(("design", "level"), [
    ("rct", "high"), ("crossover-rct", "high"), ("cohort", "low"), ("case-control", "low"),
    ("cross-sectional", "low"), ("pilot", "low"), ("uncontrolled-trial", "very low"), ("not-stated", "very low"),
])
def test_start_level_by_design(rules, design, level):
    rating = rate_one(rules, make_note("doe2020", design=design, findings=[("f1", "P1", "supports")]))
    assert (rating.start, rating.level, rating.reasons) == (level, level, [])


def test_body_starts_at_its_best_design(rules):
    rating = rate_one(rules, make_note("doe2020", design="rct", findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", design="cohort", findings=[("f1", "P1", "supports")]))
    assert (rating.start, rating.level, rating.works) == ("high", "high", ["doe2020", "roe2021"])


# -- what is evidence, and what is context ---------------------------------------------------------

def test_a_prediction_without_findings_has_no_evidence_not_a_level(rules):
    notes = by_key(make_note("doe2020", findings=[("f1", "P1", "supports")]))
    rating = rate(make_hypothesis(), evidence(notes), notes, rules)
    p2 = rating.predictions[1]
    assert (p2.level, p2.start, p2.works, p2.context, p2.direction) == ("no evidence", None, [], [], "none")
    assert p2.statement == "No primary study bears on whether prediction P2 holds."


def test_secondary_sources_never_raise_certainty(rules):
    # a news item about a randomized trial would start high if it were rated
    rating = rate_one(rules, make_note("doe2020", findings=[("f1", "P1", "supports")]),
                      make_note("news2022", source_type="news", design="rct", findings=[("f1", "P1", "supports")]))
    assert (rating.start, rating.level, rating.works, rating.context) == ("low", "low", ["doe2020"], ["news2022"])


@pytest.mark.parametrize(("design", "source_type"), [
    ("narrative-review", "review"), ("systematic-review", "review"), ("opinion", "blog"), ("summary", "atlas-summary"),
    ("commentary", "primary"), ("planned-trial", "primary"), ("rct", "trial-registration"),
])
def test_reviews_secondary_sources_and_works_without_results_are_never_rated(rules, design, source_type):
    rating = rate_one(rules, make_note("ctx2024", design=design, source_type=source_type, findings=[("f1", "P1", "supports")]))
    assert (rating.level, rating.works, rating.context, rating.participants) == ("no evidence", [], ["ctx2024"], None)


def test_context_sources_do_not_make_the_evidence_inconsistent(rules):
    rating = rate_one(rules, make_note("doe2020", findings=[("f1", "P1", "supports")]),
                      make_note("forum2021", source_type="forum", design="opinion", findings=[("f1", "P1", "contradicts")]))
    assert (rating.reasons, rating.direction) == ([], "for")


# -- GRADE's domains, each with its reason ----------------------------------------------------------

def test_a_randomised_trial_at_high_risk_of_bias_is_downgraded_with_that_reason(rules):
    trial = make_note("doe2020", design="rct", patients=60, controls=60, findings=[("f1", "P1", "supports")])
    rating = rate_one(rules, trial, assessments={"doe2020": Judged("high", "high")})
    assert rating.reasons == [Change("risk_of_bias", 1, "Bias: doe2020 (high).")]
    assert (rating.start, rating.level) == ("high", "moderate")


def test_a_study_without_an_assessment_counts_as_not_assessed(rules):
    rating = rate_one(rules, make_note("doe2020", findings=[("f1", "P1", "supports")]), assessments={})
    assert rating.reasons == [Change("risk_of_bias", 1, "Bias: doe2020 (not assessed).")]


def test_some_concerns_do_not_downgrade_under_these_rules(rules):
    rating = rate_one(rules, make_note("doe2020", findings=[("f1", "P1", "supports")]),
                      assessments={"doe2020": Judged("moderate", "some concerns")})
    assert rating.reasons == []


def test_inconsistency_when_primary_studies_point_both_ways(rules):
    rating = rate_one(rules, make_note("doe2020", findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", findings=[("f1", "P1", "contradicts")]),
                      make_note("poe2022", findings=[("f1", "P1", "neutral")]))
    assert rating.reasons == [Change("inconsistency", 1, "Inconsistent: for doe2020, against roe2021.")]
    assert (rating.level, rating.direction) == ("very low", "conflicting")


def test_indirect_population(rules):
    rating = rate_one(rules, make_note("doe2020", conditions=["TBI", "cancer"], findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", findings=[("f1", "P1", "supports")]))
    assert rating.reasons == [Change("indirectness", 1, "Population: doe2020 (TBI; cancer) outside ME/CFS.")]


def test_me_cfs_studies_without_pem_criteria_are_indirect_for_an_me_cfs_hypothesis(rules):
    rating = rate_one(rules, make_note("doe2020", criteria=["Fukuda"], findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", criteria=["not stated"], findings=[("f1", "P1", "supports")]),
                      make_note("poe2022", criteria=["Fukuda", "CCC"], findings=[("f1", "P1", "supports")]))
    assert rating.reasons == [Change("indirectness", 1, "Criteria: ME/CFS in doe2020 (Fukuda), roe2021 (not stated) without PEM.")]


def test_a_reviewer_flag_makes_a_finding_indirect(rules):
    rating = rate_one(rules, make_note("doe2020", findings=[("f1", "P2", "supports"), ("f2", "P1", "supports")]))
    assert rating.reasons == [Change("indirectness", 1, "Flag: doe2020#f2, a blood measure for a brain prediction.")]


def test_small_samples_are_imprecise_naming_the_studies_and_the_total(rules):
    rating = rate_one(rules, make_note("doe2020", patients=10, controls=12, findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", patients=9, controls="none", findings=[("f1", "P1", "supports")]))
    assert rating.reasons == [Change("imprecision", 1, "Small: 31 in all (doe2020 n = 22, roe2021 n = 9), under 50.")]
    assert (rating.level, rating.participants) == ("very low", 31)


def test_a_finding_counts_the_participants_it_states_not_the_controls_of_its_study(rules):
    # a within-patient correlation of 12 patients in a study of 40 patients and 40 controls
    correlation = finding("f1", "P1", "supports", stated={"n": 12})
    rating = rate_one(rules, make_note("doe2020", patients=40, controls=40, findings=[correlation]))
    assert rating.reasons == [Change("imprecision", 1, "Small: 12 in all (doe2020 n = 12), under 50.")]


def test_unknown_sample_size_is_imprecise(rules):
    rating = rate_one(rules, make_note("doe2020", patients="unknown", controls="unknown", findings=[("f1", "P1", "supports")]))
    assert rating.reasons == [Change("imprecision", 1, "Size unknown: doe2020.")]
    assert rating.participants is None


def test_enough_participants_outweigh_an_unknown_size(rules):
    rating = rate_one(rules, make_note("doe2020", patients=30, controls=20, findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", patients="unknown", findings=[("f1", "P1", "supports")]))
    assert rating.reasons == []


def test_a_suspicion_of_publication_bias_downgrades_its_prediction_only(rules):
    notes = by_key(make_note("doe2020", findings=[("f1", "P1", "supports"), ("f3", "P2", "supports")]))
    rating = rate(make_hypothesis(), evidence(notes), notes, rules, assessed(*notes.values()))
    p1, p2 = rating.predictions
    assert p1.reasons == []
    assert p2.reasons == [Change("publication_bias", 1, "Publication bias: only small positive studies are published.")]


def test_an_upgrade_applies_to_non_randomised_studies_that_nothing_downgraded(rules):
    notes = by_key(make_note("doe2020", design="cohort", findings=[("f1", "P3", "supports")]))
    rating = rate(make_hypothesis(predictions=("P1", "P3")), evidence(notes), notes, rules, assessed(*notes.values()))
    p3 = rating.predictions[1]
    assert p3.reasons == [Change("upgrade", -1, "Up for dose-response: a gradient with dose.")]
    assert (p3.start, p3.level) == ("low", "moderate")


@pytest.mark.parametrize("design, patients", [("rct", 60), ("cohort", 5)])
def test_an_upgrade_is_shown_but_not_applied_to_trials_or_a_downgraded_body(rules, design, patients):
    notes = by_key(make_note("doe2020", design=design, patients=patients, findings=[("f1", "P3", "supports")]))
    rating = rate(make_hypothesis(predictions=("P1", "P3")), evidence(notes), notes, rules, assessed(*notes.values()))
    p3 = rating.predictions[1]
    assert Change("upgrade", 0, "Not up for dose-response.") in p3.reasons
    assert p3.level == rules.lowered(p3.start, sum(c.levels for c in p3.reasons))
    assert rules.rank(p3.level) >= rules.rank(p3.start)


def test_downgrades_add_up_and_stop_at_the_lowest_level(rules):
    rating = rate_one(rules, make_note("doe2020", design="rct", patients=10, controls=10, criteria=["Fukuda"],
                                       findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", design="rct", patients=5, controls=5, findings=[("f1", "P1", "contradicts")]),
                      assessments={})
    assert [d.rule for d in rating.reasons] == ["risk_of_bias", "inconsistency", "indirectness", "imprecision"]
    assert (rating.start, rating.level) == ("high", "very low")


# -- direction ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("directions", "expected"), [
    ([{"supports"}], "for"), ([{"supports"}, {"neutral"}], "for"), ([{"contradicts"}], "against"),
    ([{"supports"}, {"contradicts"}], "conflicting"), ([{"supports", "mixed"}], "conflicting"),
    ([{"mixed"}], "unclear"), ([{"neutral"}], "unclear"), ([], "none"),
])
def test_the_direction_of_a_body_of_studies(directions, expected):
    assert direction_of([frozenset(d) for d in directions]) == expected


def test_every_certainty_statement_carries_its_direction(rules):
    hypothesis = make_hypothesis(predictions=("P1", "P2", "P4", "P5"), contrary={"P2": "prediction P2 fails"})
    notes = by_key(make_note("doe2020", design="rct", patients=60, controls=60,
                             findings=[("f1", "P1", "supports"), ("f2", "P2", "contradicts"), ("f4", "P4", "mixed")]),
                   make_note("roe2021", design="rct", patients=60, controls=60, findings=[("f1", "P4", "supports")]),
                   make_note("poe2022", design="rct", patients=60, controls=60, findings=[("f1", "P5", "contradicts")]))
    rating = rate(hypothesis, evidence(notes), notes, rules, assessed(*notes.values()))
    statements = {p.prediction_id: p.statement for p in rating.predictions}
    assert statements == {
        "P1": "High certainty that prediction P1 holds.",
        "P2": "Low certainty that prediction P2 fails.",  # doe2020#f2 is flagged indirect; publication bias suspected
        "P4": "High certainty: the studies disagree on whether prediction P4 holds.",
        "P5": "High certainty that the prediction does not hold: prediction P5 holds.",
    }


# -- the hypothesis ------------------------------------------------------------------------------

def three_predictions():
    return by_key(make_note("doe2020", design="rct", findings=[("f1", "P1", "supports")]),
                  make_note("roe2021", criteria=["Fukuda"], findings=[("f1", "P2", "supports")]))


def test_overall_is_the_lowest_critical_prediction_never_the_highest(rules):
    notes = three_predictions()
    hypothesis = make_hypothesis(predictions=("P1", "P2", "P3"), critical=("P1", "P2"))
    rating = rate(hypothesis, evidence(notes), notes, rules, assessed(*notes.values()))
    assert [p.level for p in rating.predictions] == ["high", "very low", "no evidence"]
    assert (rating.level, rating.critical, rating.marked, rating.symbols) == ("very low", ("P1", "P2"), True, "⊕◯◯◯")


def test_a_prediction_that_is_not_critical_does_not_lower_the_overall(rules):
    notes = three_predictions()
    rating = rate(make_hypothesis(predictions=("P1", "P2", "P3"), critical=("P1",)), evidence(notes), notes, rules,
                  assessed(*notes.values()))
    assert rating.level == "high"


def test_a_critical_prediction_without_evidence_is_named_not_rated(rules):
    notes = three_predictions()
    rating = rate(make_hypothesis(predictions=("P1", "P2", "P3"), critical=("P1", "P3")), evidence(notes), notes, rules,
                  assessed(*notes.values()))
    assert (rating.level, rating.without_evidence) == ("high", ["P3"])


def test_without_critical_predictions_the_overall_is_the_lowest_of_all(rules):
    notes = three_predictions()
    rating = rate(make_hypothesis(predictions=("P1", "P2", "P3")), evidence(notes), notes, rules, assessed(*notes.values()))
    assert (rating.level, rating.marked, rating.critical) == ("very low", False, ("P1", "P2", "P3"))


def test_overall_rating_without_any_evidence(rules):
    rating = rate(make_hypothesis(), evidence({}), {}, rules)
    assert (rating.level, rating.symbols) == ("no evidence", "")


def test_findings_of_other_hypotheses_are_ignored(rules):
    rating = rate_one(rules, make_note("doe2020", findings=[finding("f1", "P1", hypothesis="h-other")]))
    assert rating.level == "no evidence"


def test_to_frame_has_stable_columns_and_one_row_per_prediction(rules):
    notes = three_predictions()
    frame = rate(make_hypothesis(critical=("P1",)), evidence(notes), notes, rules, assessed(*notes.values())).to_frame()
    expected = pd.DataFrame({
        "hypothesis": ["h-test", "h-test"],
        "prediction": ["P1", "P2"],
        "critical": [True, False],
        "level": ["high", "very low"],
        "symbols": ["⊕⊕⊕⊕", "⊕◯◯◯"],
        "direction": ["for", "for"],
        "statement": ["High certainty that prediction P1 holds.", "Very low certainty that prediction P2 holds."],
        "start": ["high", "low"],
        "downgrade_levels": [0, 2],
        "reasons": ["", "Criteria: ME/CFS in roe2021 (Fukuda) without PEM. "
                        "Publication bias: only small positive studies are published."],
        "studies": [1, 1],
        "participants": pd.array([80, 80], dtype="Int64"),
        "works": ["doe2020", "roe2021"],
        "context": ["", ""],
    })
    pd.testing.assert_frame_equal(frame, expected)


def test_compare_shows_how_ratings_move_with_pem_required_studies_only(rules):
    notes = by_key(make_note("doe2020", criteria=["CCC"], findings=[("f1", "P1", "supports")]),
                   make_note("roe2021", criteria=["Fukuda"], findings=[("f1", "P1", "supports"), ("f3", "P2", "supports")]))
    table = evidence(notes)
    hypothesis = make_hypothesis()
    judged = assessed(*notes.values())
    everything = rate(hypothesis, table, notes, rules, judged)
    pem_only = rate(hypothesis, table[table["pem"] == "required"], notes, rules, judged)
    expected = pd.DataFrame({
        "prediction": ["P1", "P2", "overall"],
        "level_all": ["very low", "very low", "very low"],
        "level_filtered": ["low", "no evidence", "low"],
        "change": ["higher", "lower", "higher"],
        "works_dropped": ["roe2021", "roe2021", ""],
    })
    pd.testing.assert_frame_equal(compare(everything, pem_only), expected)


def test_compare_refuses_two_hypotheses(rules):
    notes = three_predictions()
    a = rate(make_hypothesis("h-test"), evidence(notes), notes, rules)
    b = rate(make_hypothesis("h-other"), evidence(notes), notes, rules)
    with pytest.raises(ValueError, match="two hypotheses"):
        compare(a, b)


def test_evidence_for_a_work_without_a_note_is_a_caller_bug(rules):
    notes = by_key(make_note("doe2020", findings=[("f1", "P1", "supports")]))
    with pytest.raises(EvidenceMismatch, match="'doe2020'"):
        rate(make_hypothesis(), evidence(notes), {}, rules)


def test_a_recorded_interval_that_includes_no_effect_is_imprecise(rules):
    wide = finding("f1", "P1", "contradicts", estimate={"measure": "mean difference", "value": -1.0, "ci": [-2.5, 0.5],
                                                        "n": {"drug": 200, "placebo": 200}, "outcome": "fatigue score"})
    narrow = finding("f1", "P1", "supports", estimate={"measure": "odds ratio", "value": 2.0, "ci": [1.4, 2.9],
                                                       "n": {"total": 400}, "outcome": "response"})
    assert rate_one(rules, make_note("doe2020", design="rct", findings=[wide])).reasons == [
        Change("imprecision", 1, "Interval: doe2020#f1.")]
    assert rate_one(rules, make_note("doe2020", design="rct", findings=[narrow])).reasons == []


def test_a_reason_names_a_long_list_of_works_by_its_first_and_a_count():
    from livingreview.synthesis.certainty import named

    assert named(f"w{i}" for i in range(20)) == ", ".join(f"w{i}" for i in range(20))
    assert named(f"w{i}" for i in range(3600)) == ", ".join(f"w{i}" for i in range(10)) + " and 3,590 more"
