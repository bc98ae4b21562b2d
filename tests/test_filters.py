"""The filter table of a review (:func:`livingreview.filters.of` its vocabulary): every filter's
parameters, the works it keeps and its words, in one row; and a new row (with its field) is all a new
filter needs: selection, counts and the report's words follow."""

from __future__ import annotations

import re

import pytest
from pydantic import StrictInt

from livingreview import filters, report
from livingreview.filters import Filter
from first_review import VOCABULARY, ReportParameters
from livingreview.report.certainty_view import certainty_view
from livingreview.report.context import describe_parameters
from livingreview.review import load

HYP = "example-fatigue"
BASE = ReportParameters(hypothesis=HYP)
TABLE = filters.of(VOCABULARY)
CONDITIONS, PEM, YEARS = TABLE


def words(section) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section._repr_html_())).strip()


def test_every_report_parameter_but_the_hypothesis_and_style_is_read_by_one_filter():
    read = [name for f in TABLE for name in f.fields]
    assert sorted(read) == sorted(set(ReportParameters.model_fields) - {"hypothesis", "citation_style"})
    assert len({f.name for f in TABLE}) == len(TABLE)


def test_each_facet_of_the_vocabulary_is_one_filter_in_its_order():
    assert [(f.name, f.fields, f.facet) for f in TABLE] == [
        ("conditions", ("conditions",), None), ("pem", ("pem_required_only",), "pem"), ("years", ("year_from", "year_to"), None)]
    assert PEM.describe(BASE.model_copy(update={"pem_required_only": True})) == "only studies whose criteria require PEM"


def test_filtered_when_any_filter_is_set():
    assert filters.in_effect(TABLE, BASE) == []
    assert filters.in_effect(TABLE, BASE.model_copy(update={"year_to": 2015})) == [YEARS]
    both = BASE.model_copy(update={"conditions": "FM", "pem_required_only": True})
    assert filters.in_effect(TABLE, both) == [CONDITIONS, PEM]
    assert filters.facets_on(TABLE, both) == [PEM]


def test_a_filter_turned_off_keeps_every_other_parameter():
    chosen = ReportParameters(hypothesis=HYP, conditions="MS", pem_required_only=True, year_from=2019,
                              citation_style="vancouver")
    expected = ReportParameters(hypothesis=HYP, conditions="MS", year_from=2019, citation_style="vancouver")
    assert PEM.off(chosen) == expected and filters.facets_off(TABLE, chosen) == expected
    assert YEARS.off(chosen).year_from is None and not YEARS.active(YEARS.off(chosen))


class WithSampleSize(ReportParameters):
    """The report parameters with one more filter's field (a filter this review does not have)."""

    min_patients: StrictInt | None = None


MIN_PATIENTS = Filter(
    name="patients",
    fields=("min_patients",),
    keeps=lambda note, year, p: isinstance(note.population.patients, int) and note.population.patients >= p.min_patients,
    drops="fewer patients than the chosen number (or a number not stated)",
    phrase=lambda p: f"at least {p.min_patients} patients",
    unfiltered="any number of patients",
)


@pytest.fixture
def review(tiny_project, monkeypatch):
    """The tiny review (doe2020: 12 patients, CCC; roe2018: 40 patients, Fukuda) with the new row."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    table = filters.of
    monkeypatch.setattr(filters, "of", lambda vocabulary: (*table(vocabulary), MIN_PATIENTS))
    return load(tiny_project.root)


def test_a_new_row_selects_counts_and_describes(review):
    sel = review.select(WithSampleSize(hypothesis=HYP, min_patients=20))
    assert sorted(sel.notes) == ["roe2018"] and sorted(set(sel.evidence["key"])) == ["roe2018"]
    assert sel.dropped == {"works": 1, "findings": 2,
                           "by": {"conditions": (0, 0), "pem": (0, 0), "years": (0, 0), "patients": (1, 2)}}
    assert describe_parameters(sel) == [
        "all conditions", "any diagnostic criteria", "all years", "at least 20 patients", "APA references"]
    assert ("This report includes 1 work and 1 finding (all conditions, any diagnostic criteria, all years, at least "
            "20 patients). It leaves out 1 work and 2 findings that the review holds on this hypothesis: 1 work "
            "(2 findings) with fewer patients than the chosen number (or a number not stated).") in words(report.summary(sel))
    assert ("Custom parameters — all conditions · any diagnostic criteria · all years · at least 20 patients · "
            "APA references") in words(report.title(sel))
    assert "min_patients=20" in words(report.provenance(sel))


def test_a_new_row_left_at_its_default_filters_nothing(review):
    sel = review.select(WithSampleSize(hypothesis=HYP))
    assert sorted(sel.notes) == ["doe2020", "roe2018"] and sel.dropped["by"]["patients"] == (0, 0)
    assert "any number of patients" in describe_parameters(sel)
    assert "This report includes every work in the review that bears on this hypothesis" in words(report.summary(sel))


def test_the_comparison_without_the_pem_filter_keeps_the_new_filter(review):
    # PEM-required and 20 patients or more keeps nothing (doe2020 has 12 patients, roe2018 Fukuda criteria);
    # without the PEM filter, 20 patients or more still leaves doe2020 out, so only roe2018 is rated beside it
    view = certainty_view(review.select(WithSampleSize(hypothesis=HYP, pem_required_only=True, min_patients=20)))
    assert [(r["prediction"], r["works_dropped"]) for r in view.comparison] == [
        ("EX1", []), ("EX2", ["roe2018"]), ("overall", [])]
