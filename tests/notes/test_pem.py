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
