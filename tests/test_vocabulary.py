"""The review's vocabulary (``reviews/vocabulary.yml``): its schema, and facets derived from the stated
criteria — the first review's whole criteria table, how criteria combine, explicit inclusion rules."""

from __future__ import annotations


import pytest

from livingreview import vocabulary, yamlio
from livingreview.notes.model import Note
from first_review import VOCABULARY as FIRST_REVIEW
from livingreview.vocabulary import VocabularyInvalid, derive, parse, status


#: the first review's criteria, each alone: does it require post-exertional malaise?
ONE_CRITERION = [
    ("CCC", "required"),
    ("ICC", "required"),
    ("IOM", "required"),
    ("Fukuda", "not-required"),
    ("Oxford", "not-required"),
    ("other", "unknown"),
    ("not stated", "unknown"),
]


def test_the_table_covers_every_criterion_the_first_review_declares():
    assert sorted(c for c, _ in ONE_CRITERION) == sorted(FIRST_REVIEW.criteria)


@pytest.mark.parametrize(("criterion", "expected"), ONE_CRITERION)
def test_each_criterion_alone(criterion, expected):
    assert derive(FIRST_REVIEW, "pem", [criterion]) == expected


@pytest.mark.parametrize(("criteria", "expected"), [
    (["Fukuda", "CCC"], "required"),          # any criterion requiring PEM makes it required
    (["not stated", "ICC"], "required"),
    (["Fukuda", "Oxford"], "not-required"),   # every criterion known not to require it
    (["Fukuda", "other"], "unknown"),         # one unknown criterion: never guessed
    (["Oxford", "not stated"], "unknown"),
    (["undeclared"], "unknown"),              # a criterion the vocabulary does not declare says nothing
    ([], "unknown"),
])
def test_criteria_combined(criteria, expected):
    assert derive(FIRST_REVIEW, "pem", criteria) == expected


@pytest.mark.parametrize(("criteria", "expected"), [
    (["CCC", "IOM"], "required"),  # every alternative requires PEM
    (["Fukuda", "CCC"], "not-required"),  # patients meeting only Fukuda got in without PEM
    (["CCC", "not stated"], "unknown"),
    (["Fukuda", "Oxford"], "not-required"),
])
def test_an_either_or_of_criteria_requires_a_facet_only_if_every_alternative_does(criteria, expected):
    assert derive(FIRST_REVIEW, "pem", criteria, any_of=True) == expected


def _note(**extra) -> Note:
    return Note(key="doe2020", source_type="primary", design="cross-sectional",
                population={"conditions": ["ME/CFS"]}, quick_summary="A fictional study.", why_it_matters="Tests.",
                **extra)


def test_an_explicit_inclusion_rule_makes_a_facet_required_and_says_why():
    rule = {"fact": "Patients needed post-exertional malaise to enrol.", "extracted_from": "a fictional registry record"}
    note = _note(criteria=["Fukuda", "CCC"], criteria_any_of=True, requires={"pem": rule})
    assert status(FIRST_REVIEW, "pem", note) == "required"
    assert vocabulary.basis(FIRST_REVIEW, "pem", note) == (
        "PEM was an explicit inclusion rule: Patients needed post-exertional malaise to enrol. "
        "(extracted from a fictional registry record)")
    without = _note(criteria=["Fukuda", "CCC"], criteria_any_of=True)
    assert (status(FIRST_REVIEW, "pem", without), vocabulary.basis(FIRST_REVIEW, "pem", without)) == ("not-required", None)


#: a fictional review's vocabulary in another field, with two facets
OTHER = """\
conditions:
  knee OA: knee osteoarthritis
  hip OA: hip osteoarthritis
criteria:
  ACR clinical: {name: clinical criteria, does_not_require: [imaging]}
  ACR radiographic: {name: radiographic criteria, requires: [imaging]}
  trial protocol: {name: the trial's own rule}
facets:
  imaging: {name: radiographic confirmation, short: imaging}
  pain:
    name: a minimum pain score
    short: pain
    parameter: pain_threshold_only
"""


def test_facets_of_another_review_are_derived_from_its_own_criteria():
    other = parse(yamlio.loads(OTHER, "reviews/vocabulary.yml"))
    assert [other.parameter(f) for f in other.facets] == ["imaging_required_only", "pain_threshold_only"]
    assert derive(other, "imaging", ["ACR radiographic"]) == "required"
    assert derive(other, "imaging", ["ACR clinical"]) == "not-required"
    assert derive(other, "pain", ["ACR radiographic"]) == "unknown"  # no criterion settles it
    assert other.facets["imaging"].labels() == {"required": "imaging required", "not-required": "imaging not required",
                                                "unknown": "imaging unknown"}


@pytest.mark.parametrize(("edit", "line", "field", "message"), [
    (("requires: [imaging]", "requires: [imagin]"), 6, "criteria.ACR radiographic.requires", "'imagin' is not a facet"),
    (("does_not_require: [imaging]", "does_not_require: [imaging], requires: [imaging]"), 5, "criteria.ACR clinical",
     "both requires and does not require imaging"),
    (("parameter: pain_threshold_only", "parameter: year_from"), 13, "facets.pain.parameter",
     "'year_from' is a parameter every report already has"),
    (("parameter: pain_threshold_only", "parameter: imaging_required_only"), 8, "facets",
     "two facets have the parameter imaging_required_only"),
    (("  imaging: {", "  Imaging: {"), 9, "facets.Imaging", "must be lower-case words"),
    (("short: pain", "short: ''"), 12, "facets.pain.short", "is empty"),
])
def test_a_broken_vocabulary_names_its_line_and_field(edit, line, field, message):
    with pytest.raises(VocabularyInvalid) as caught:
        parse(yamlio.loads(OTHER.replace(*edit), "reviews/vocabulary.yml"))
    [found] = caught.value.diagnostics
    assert (found.code, found.file, found.field) == ("VOC001", "reviews/vocabulary.yml", field)
    assert found.line == line and message in found.message


def test_a_vocabulary_that_is_not_a_mapping_is_refused():
    with pytest.raises(VocabularyInvalid, match="must be a mapping"):
        parse(yamlio.loads("- ME/CFS\n", "reviews/vocabulary.yml"))
