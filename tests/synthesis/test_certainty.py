from __future__ import annotations

import pandas as pd
import pytest
from synthesis_fixtures import by_key, evidence, finding, make_hypothesis, make_note

from livingreview.synthesis.certainty import Downgrade, EvidenceMismatch, PredictionRating, compare, rate


def rate_one(rules, *notes, hypothesis=None):
    """The rating of prediction P1 of the test hypothesis."""
    notes = by_key(*notes)
    rating = rate(hypothesis or make_hypothesis(), evidence(notes), notes, rules)
    return rating.predictions[0]


# -- starting levels ------------------------------------------------------------------------------

@pytest.mark.parametrize(("design", "level"), [
    ("rct", "high"), ("crossover-rct", "high"), ("cohort", "low"), ("case-control", "low"),
    ("cross-sectional", "low"), ("narrative-review", "very low"), ("opinion", "very low"),
    ("commentary", "very low"), ("summary", "very low"), ("systematic-review", "very low"),
])
def test_start_level_by_design(rules, design, level):
    rating = rate_one(rules, make_note("doe2020", design=design, findings=[("f1", "P1", "supports")]))
    assert (rating.start, rating.level, rating.reasons) == (level, level, [])


def test_body_starts_at_its_best_design(rules):
    rating = rate_one(rules, make_note("doe2020", design="rct", findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", design="cohort", findings=[("f1", "P1", "supports")]))
    assert (rating.start, rating.level, rating.works) == ("high", "high", ["doe2020", "roe2021"])


# -- no evidence and set-aside works -------------------------------------------------------------

def test_a_prediction_without_findings_has_no_evidence_not_a_level(rules):
    notes = by_key(make_note("doe2020", findings=[("f1", "P1", "supports")]))
    rating = rate(make_hypothesis(), evidence(notes), notes, rules)
    assert rating.predictions[1] == PredictionRating("P2", "no evidence", None, [], [], [])


def test_secondary_sources_never_raise_certainty(rules):
    # a news item about a randomized trial would start high if it were rated
    rating = rate_one(rules, make_note("doe2020", findings=[("f1", "P1", "supports")]),
                      make_note("news2022", source_type="news", design="rct", findings=[("f1", "P1", "supports")]))
    assert (rating.start, rating.level, rating.works, rating.set_aside) == ("low", "low", ["doe2020"], ["news2022"])


def test_secondary_sources_alone_are_no_evidence(rules):
    rating = rate_one(rules, make_note("blog2023", source_type="blog", design="opinion", findings=[("f1", "P1", "supports")]))
    assert (rating.level, rating.start, rating.works, rating.set_aside) == ("no evidence", None, [], ["blog2023"])


def test_secondary_sources_do_not_make_the_evidence_inconsistent(rules):
    rating = rate_one(rules, make_note("doe2020", findings=[("f1", "P1", "supports")]),
                      make_note("forum2021", source_type="forum", design="opinion", findings=[("f1", "P1", "contradicts")]))
    assert rating.reasons == []


@pytest.mark.parametrize(("design", "source_type"), [("planned-trial", "primary"), ("rct", "trial-registration")])
def test_works_without_results_are_set_aside(rules, design, source_type):
    rating = rate_one(rules, make_note("plan2024", design=design, source_type=source_type, findings=[("f1", "P1", "supports")]))
    assert (rating.level, rating.set_aside) == ("no evidence", ["plan2024"])


# -- downgrades, each with its reason ------------------------------------------------------------

def test_small_samples_downgrade_names_the_works_and_the_total(rules):
    rating = rate_one(rules, make_note("doe2020", patients=10, controls=12, findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", patients=9, controls="none", findings=[("f1", "P1", "supports")]))
    assert rating.reasons == [Downgrade("small_samples", 1, "Small: 31 in all (doe2020 n = 22, roe2021 n = 9), under 50.")]
    assert rating.level == "very low"


def test_unknown_sample_size_is_a_small_samples_downgrade(rules):
    rating = rate_one(rules, make_note("doe2020", patients="unknown", controls="unknown", findings=[("f1", "P1", "supports")]))
    assert rating.reasons == [Downgrade("small_samples", 1, "Size unknown: doe2020.")]


def test_known_and_unknown_sizes_below_the_threshold_are_both_named(rules):
    rating = rate_one(rules, make_note("doe2020", patients=10, controls=10, findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", patients="unknown", findings=[("f1", "P1", "supports")]))
    assert rating.reasons == [Downgrade("small_samples", 1, "Small: 20 in all (doe2020 n = 20), under 50. Size unknown: roe2021.")]


def test_enough_participants_outweigh_an_unknown_size(rules):
    rating = rate_one(rules, make_note("doe2020", patients=30, controls=20, findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", patients="unknown", findings=[("f1", "P1", "supports")]))
    assert rating.reasons == []


def test_reviews_have_no_sample_size_to_judge(rules):
    rating = rate_one(rules, make_note("doe2020", design="narrative-review", patients="unknown",
                                       findings=[("f1", "P1", "supports")]))
    assert rating.reasons == []


def test_inconsistency_when_works_point_both_ways(rules):
    rating = rate_one(rules, make_note("doe2020", findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", findings=[("f1", "P1", "contradicts")]),
                      make_note("poe2022", findings=[("f1", "P1", "neutral")]))
    assert rating.reasons == [Downgrade("inconsistency", 1, "Inconsistent: for doe2020, against roe2021.")]
    assert rating.level == "very low"


def test_mixed_and_neutral_findings_are_not_inconsistency(rules):
    rating = rate_one(rules, make_note("doe2020", findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", findings=[("f1", "P1", "mixed")]))
    assert rating.reasons == []


def test_indirect_population(rules):
    rating = rate_one(rules, make_note("doe2020", conditions=["TBI", "cancer"], findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", findings=[("f1", "P1", "supports")]))
    assert rating.reasons == [Downgrade("indirectness", 1, "Population: doe2020 (TBI; cancer) outside ME/CFS.")]


def test_me_cfs_studies_without_pem_criteria_are_indirect_for_an_me_cfs_hypothesis(rules):
    rating = rate_one(rules, make_note("doe2020", criteria=["Fukuda"], findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", criteria=["not stated"], findings=[("f1", "P1", "supports")]),
                      make_note("poe2022", criteria=["Fukuda", "CCC"], findings=[("f1", "P1", "supports")]))
    assert rating.reasons == [Downgrade("indirectness", 1, "Criteria: ME/CFS in doe2020 (Fukuda), roe2021 (not stated) without PEM.")]


def test_pem_criteria_rule_only_applies_to_the_conditions_listed(rules):
    rating = rate_one(rules, make_note("doe2020", conditions=["FM"], criteria=["not stated"], findings=[("f1", "P1", "supports")]),
                      hypothesis=make_hypothesis(conditions=["FM", "ME/CFS"]))
    assert rating.reasons == []


def test_a_reviewer_flag_makes_a_finding_indirect(rules):
    rating = rate_one(rules, make_note("doe2020", findings=[("f1", "P2", "supports"), ("f2", "P1", "supports")]))
    assert rating.reasons == [Downgrade("indirectness", 1, "Flag: doe2020#f2, a blood measure for a brain prediction.")]


def test_indirectness_counts_once_however_many_reasons(rules):
    rating = rate_one(rules, make_note("doe2020", criteria=["Oxford"], findings=[("f2", "P1", "supports")]),
                      make_note("roe2021", conditions=["MS"], findings=[("f1", "P1", "supports")]))
    assert rating.reasons == [Downgrade("indirectness", 1, "Population: roe2021 (MS) outside ME/CFS. "
                                        "Criteria: ME/CFS in doe2020 (Oxford) without PEM. "
                                        "Flag: doe2020#f2, a blood measure for a brain prediction.")]
    assert rating.level == "very low"


@pytest.mark.parametrize(("design", "controls"), [("uncontrolled-trial", 30), ("cohort", "none")])
def test_a_single_uncontrolled_study(rules, design, controls):
    rating = rate_one(rules, make_note("doe2020", design=design, patients=60, controls=controls,
                                       findings=[("f1", "P1", "supports")]))
    assert rating.reasons == [Downgrade("single_uncontrolled", 1, "Uncontrolled: doe2020 alone.")]


def test_an_uncontrolled_study_alongside_another_study_is_not_single(rules):
    rating = rate_one(rules, make_note("doe2020", design="uncontrolled-trial", patients=60, findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", findings=[("f1", "P1", "supports")]))
    assert rating.reasons == []


def test_downgrades_add_up_and_stop_at_the_lowest_level(rules):
    rating = rate_one(rules, make_note("doe2020", design="rct", patients=10, controls=10, criteria=["Fukuda"],
                                       findings=[("f1", "P1", "supports")]),
                      make_note("roe2021", design="rct", patients=5, controls=5, findings=[("f1", "P1", "contradicts")]))
    assert [d.rule for d in rating.reasons] == ["small_samples", "inconsistency", "indirectness"]
    assert (rating.start, rating.level) == ("high", "very low")

    lower = rate_one(rules, make_note("doe2020", patients=3, controls="none", criteria=["Fukuda"],
                                      conditions=["ME/CFS"], findings=[("f1", "P1", "supports")]))
    assert (lower.start, sum(d.levels for d in lower.reasons), lower.level) == ("low", 3, "very low")


# -- the hypothesis ------------------------------------------------------------------------------

def two_predictions():
    notes = by_key(make_note("doe2020", design="rct", findings=[("f1", "P1", "supports")]),
                   make_note("roe2021", criteria=["Fukuda"], findings=[("f1", "P2", "supports")]))
    return notes


def test_overall_rating_is_the_highest_prediction_rating(rules):
    notes = two_predictions()
    rating = rate(make_hypothesis(predictions=("P1", "P2", "P3")), evidence(notes), notes, rules)
    assert [p.level for p in rating.predictions] == ["high", "very low", "no evidence"]
    assert (rating.level, rating.rule) == ("high", "highest")


def test_overall_rating_can_be_the_lowest_with_evidence(rules):
    notes = two_predictions()
    lowest = rules.model_copy(update={"overall": "lowest"})
    rating = rate(make_hypothesis(predictions=("P1", "P2", "P3")), evidence(notes), notes, lowest)
    assert (rating.level, rating.rule) == ("very low", "lowest")


def test_overall_rating_without_any_evidence(rules):
    rating = rate(make_hypothesis(), evidence({}), {}, rules)
    assert rating.level == "no evidence"


def test_findings_of_other_hypotheses_are_ignored(rules):
    rating = rate_one(rules, make_note("doe2020", findings=[finding("f1", "P1", hypothesis="h-other")]))
    assert rating.level == "no evidence"


def test_to_frame_has_stable_columns_and_one_row_per_prediction(rules):
    notes = two_predictions()
    frame = rate(make_hypothesis(), evidence(notes), notes, rules).to_frame()
    expected = pd.DataFrame({
        "hypothesis": ["h-test", "h-test"],
        "prediction": ["P1", "P2"],
        "level": ["high", "very low"],
        "start": ["high", "low"],
        "downgrade_levels": [0, 1],
        "reasons": ["", "Criteria: ME/CFS in roe2021 (Fukuda) without PEM."],
        "works": ["doe2020", "roe2021"],
        "set_aside": ["", ""],
    })
    pd.testing.assert_frame_equal(frame, expected)


def test_compare_shows_how_ratings_move_with_pem_required_studies_only(rules):
    notes = by_key(make_note("doe2020", criteria=["CCC"], findings=[("f1", "P1", "supports")]),
                   make_note("roe2021", criteria=["Fukuda"], findings=[("f1", "P1", "supports"), ("f2", "P2", "supports")]))
    table = evidence(notes)
    hypothesis = make_hypothesis()
    everything = rate(hypothesis, table, notes, rules)
    pem_only = rate(hypothesis, table[table["pem"] == "required"], notes, rules)
    expected = pd.DataFrame({
        "prediction": ["P1", "P2", "overall"],
        "level_all": ["very low", "very low", "very low"],
        "level_pem": ["low", "no evidence", "low"],
        "change": ["higher", "lower", "higher"],
        "works_dropped": ["roe2021", "roe2021", ""],
    })
    pd.testing.assert_frame_equal(compare(everything, pem_only), expected)


def test_compare_refuses_two_hypotheses(rules):
    notes = two_predictions()
    a = rate(make_hypothesis("h-test"), evidence(notes), notes, rules)
    b = rate(make_hypothesis("h-other"), evidence(notes), notes, rules)
    with pytest.raises(ValueError, match="two hypotheses"):
        compare(a, b)


def test_evidence_for_a_work_without_a_note_is_a_caller_bug(rules):
    notes = by_key(make_note("doe2020", findings=[("f1", "P1", "supports")]))
    with pytest.raises(EvidenceMismatch, match="'doe2020'"):
        rate(make_hypothesis(), evidence(notes), {}, rules)
