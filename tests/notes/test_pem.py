"""PEM status derived from the stated diagnostic criteria: the whole table, and how criteria combine."""

from __future__ import annotations

import typing

import pytest

from livingreview.notes.model import Criteria
from livingreview.notes.pem import REQUIRES_PEM, derive

ONE_CRITERION = [
    ("CCC", "required"),
    ("ICC", "required"),
    ("IOM", "required"),
    ("Fukuda", "not-required"),
    ("Oxford", "not-required"),
    ("other", "unknown"),
    ("not stated", "unknown"),
]


def test_the_table_covers_every_criteria_value_of_the_schema():
    assert sorted(REQUIRES_PEM) == sorted(typing.get_args(Criteria))
    assert sorted(c for c, _ in ONE_CRITERION) == sorted(typing.get_args(Criteria))


@pytest.mark.parametrize(("criterion", "status"), ONE_CRITERION)
def test_each_criterion_alone(criterion, status):
    assert derive([criterion]) == status


@pytest.mark.parametrize(("criteria", "status"), [
    (["Fukuda", "CCC"], "required"),          # any criterion requiring PEM makes it required
    (["not stated", "ICC"], "required"),
    (["Fukuda", "Oxford"], "not-required"),   # every criterion known not to require it
    (["Fukuda", "other"], "unknown"),         # one unknown criterion: never guessed
    (["Oxford", "not stated"], "unknown"),
    ([], "unknown"),
])
def test_criteria_combined(criteria, status):
    assert derive(criteria) == status


@pytest.mark.parametrize(("criteria", "status"), [
    (["CCC", "IOM"], "required"),  # every alternative requires PEM
    (["Fukuda", "CCC"], "not-required"),  # patients meeting only Fukuda got in without PEM
    (["CCC", "not stated"], "unknown"),
    (["Fukuda", "Oxford"], "not-required"),
])
def test_an_either_or_of_criteria_requires_pem_only_if_every_alternative_does(criteria, status):
    assert derive(criteria, any_of=True) == status


def _note(**extra):
    from livingreview.notes.model import Note

    return Note(key="doe2020", source_type="primary", design="cross-sectional",
                population={"conditions": ["ME/CFS"]}, quick_summary="A fictional study.", why_it_matters="Tests.",
                **extra)


def test_an_explicit_inclusion_rule_makes_pem_required_and_says_why():
    from livingreview.notes.pem import basis, status

    rule = {"fact": "Patients needed post-exertional malaise to enrol.", "extracted_from": "a fictional registry record"}
    note = _note(criteria=["Fukuda", "CCC"], criteria_any_of=True, pem_rule=rule)
    assert status(note) == "required"
    assert basis(note) == ("PEM was an explicit inclusion rule: Patients needed post-exertional malaise to enrol. "
                           "(extracted from a fictional registry record)")
    without = _note(criteria=["Fukuda", "CCC"], criteria_any_of=True)
    assert (status(without), basis(without)) == ("not-required", None)
