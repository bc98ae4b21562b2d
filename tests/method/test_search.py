from __future__ import annotations

import datetime

import pytest

from livingreview.diagnostics import error
from livingreview.method import search
from livingreview.method.search import SearchLogInvalid

LOG = "reviews/search.yml"


def load_errors(tiny) -> list:
    with pytest.raises(SearchLogInvalid) as exc:
        search.load(tiny.project)
    return exc.value.diagnostics


def test_the_search_log_loads_with_dates_and_lines(screened):
    log = search.load(screened.project)
    assert [(s.id, s.source, s.date, s.records) for s in log.searches] == [
        ("registry", "bibliographic records", datetime.date(2020, 5, 1), 4),
        ("handsearch", "reference lists", None, 2)]
    assert log.exclusion_reasons == ["not about fatigue mechanisms", "wrong population"]
    assert (log.line_of("registry", "records"), log.line_of("handsearch"), log.line_of("handsearch", "nope")) == (12, 13, 13)
    assert log.search("handsearch").title == "Reference lists of included works"
    assert log.search("missing") is None


def test_an_unknown_source_names_line_and_field(screened):
    screened.edit(LOG, "source: reference lists", "source: database")
    [found] = load_errors(screened)
    assert (found.code, found.file, found.line, found.field) == ("SCR001", LOG, 14, "searches[handsearch].source")
    assert found.message == "'database' is not allowed"
    assert found.hint.startswith("one of: seed documents, ")


def test_a_misspelt_field_gets_a_hint(screened):
    screened.edit(LOG, "run_by: Jane Doe\n    records: 2", "ran_by: Jane Doe\n    records: 2")
    found = load_errors(screened)
    assert error("SCR001", LOG, 18, "unknown field 'ran_by'", field="searches[handsearch].ran_by",
                 hint="did you mean 'run_by'?") in found


def test_a_negative_record_count(screened):
    screened.edit(LOG, "records: 2", "records: -2")
    assert load_errors(screened) == [error("SCR001", LOG, 19, "'searches[handsearch].records' cannot be negative (it is -2)",
                                           field="searches[handsearch].records")]


def test_a_repeated_search_id(screened):
    screened.edit(LOG, "id: handsearch", "id: registry")
    assert load_errors(screened) == [error("SCR002", LOG, 13, "search id 'registry' is listed twice (first on line 6)",
                                           field="searches", hint="give each one once")]


def test_a_repeated_exclusion_reason(screened):
    screened.edit(LOG, "  - wrong population", "  - not about fatigue mechanisms")
    assert load_errors(screened) == [error(
        "SCR002", LOG, 4, "exclusion reason 'not about fatigue mechanisms' is listed twice (first on line 3)",
        field="exclusion_reasons", hint="give each one once")]


def test_a_log_that_is_not_a_mapping(screened):
    screened.write(LOG, "- just a list\n")
    assert load_errors(screened) == [error("SCR001", LOG, 1, "search.yml must be a mapping with 'searches' and "
                                           "'exclusion_reasons'")]


def test_yaml_problems_keep_their_own_code(screened):
    screened.write(LOG, "searches: [\n")
    assert [d.code for d in load_errors(screened)] == ["YAML001"]


def test_reviewers_are_optional_and_named_once(screened):
    assert search.load(screened.project).reviewers == []
    screened.edit(LOG, "note: An invented search log.\n", "note: An invented search log.\nreviewers: [Jane Doe, Richard Roe]\n")
    assert search.load(screened.project).reviewers == ["Jane Doe", "Richard Roe"]
    screened.edit(LOG, "reviewers: [Jane Doe, Richard Roe]", "reviewers:\n  - Jane Doe\n  - Jane Doe")
    assert load_errors(screened) == [error("SCR002", LOG, 4, "reviewer 'Jane Doe' is listed twice (first on line 3)",
                                           field="reviewers", hint="give each one once")]


def test_a_saved_search_names_a_known_engine(screened):
    screened.edit(LOG, "    records: 2\n", "    records: 2\n    engine: scopus\n    query: fatigue\n")
    [found] = load_errors(screened)
    assert (found.code, found.line, found.field) == ("SCR001", 20, "searches[handsearch].engine")
    screened.edit(LOG, "engine: scopus", "engine: crossref")
    handsearch = search.load(screened.project).search("handsearch")
    assert (handsearch.engine, handsearch.query, handsearch.runnable) == ("crossref", "fatigue", True)
    assert not search.load(screened.project).search("registry").runnable
