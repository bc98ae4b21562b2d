from __future__ import annotations

import csv

import pytest

from livingreview.check import Context, collect
from livingreview.diagnostics import error
from livingreview.method import screening
from livingreview.method.screening import PrismaCounts, ScreeningInvalid, SourceCount
from livingreview.project import Project

from .method_fixtures import BIB_KEYS, NOTE_KEYS, ROOT

CSV = "reviews/screening.csv"


def run_check(tiny, note_keys=NOTE_KEYS, bib_keys=BIB_KEYS):
    return screening.check(tiny.project, note_keys=set(note_keys), bib_keys=set(bib_keys))


def test_the_invented_record_is_consistent(screened):
    assert run_check(screened) == []


def test_a_project_without_search_log_or_screening_gets_no_diagnostics(tiny_project):
    assert run_check(tiny_project) == []


def test_a_screening_record_without_its_search_log_is_an_error(screened):
    (screened.root / "reviews/search.yml").unlink()
    assert run_check(screened) == [error("SCR001", "reviews/search.yml", None, "the search log is missing",
                                         hint="describe each search in reviews/search.yml")]


def test_rows_keep_the_line_they_start_on_even_after_a_multiline_value(screened):
    screened.edit(CSV, "healthy volunteers only", '"healthy volunteers\nonly"')
    rows = screening.read(screened.project)
    assert [(r.line, r.record) for r in rows] == [(2, "doe2020"), (3, "poe2019"), (4, "moe2017"), (6, "zoe2016"),
                                                  (7, "doe2020"), (8, "roe2018")]
    assert rows[2].notes == "healthy volunteers\nonly"


# -- the cases the screening check exists for ----------------------------------------------------

def test_declared_count_that_the_rows_do_not_bear_out(screened):
    screened.edit("reviews/search.yml", "records: 4", "records: 5")
    assert run_check(screened) == [error(
        "SCR010", "reviews/search.yml", 12, "search 'registry' declares 5 records but reviews/screening.csv lists 4 for it",
        key="registry", field="records", hint="correct 'records' or the rows of reviews/screening.csv")]


def test_included_record_without_a_note(screened):
    assert run_check(screened, note_keys={"doe2020"}) == [error(
        "SCR011", CSV, 7, "included record 'roe2018' has no note", key="roe2018", field="record",
        hint="write reviews/notes/roe2018.yml (livingreview new roe2018)")]


def test_included_record_without_a_bibliography_entry(screened):
    assert run_check(screened, bib_keys={"doe2020", "roe2019"}) == [error(
        "SCR012", CSV, 7, "included record 'roe2018' has no bibliography entry", key="roe2018", field="record",
        hint="did you mean 'roe2019'?")]


def test_unknown_exclusion_reason(screened):
    screened.edit(CSV, "include,exclude,wrong population", "include,exclude,wrong populaton")
    assert run_check(screened) == [error(
        "SCR008", CSV, 4, "'wrong populaton' is not one of the exclusion reasons declared in reviews/search.yml",
        key="moe2017", field="exclusion_reason", hint="did you mean 'wrong population'?")]


def test_dangling_duplicate(screened):
    screened.edit(CSV, "handsearch,doe2020", "handsearch,doe2021")
    assert run_check(screened) == [error(
        "SCR009", CSV, 6, "'doe2020' is marked a duplicate of 'doe2021', which is not a screened record in this file",
        key="doe2020", field="duplicate_of", hint="did you mean 'doe2020'?")]


def test_note_that_is_not_a_screened_record(screened):
    # the note does not validate (its own errors name its lines), so this one names the file only
    screened.write("reviews/notes/koe2015.yml", "# an invented note\nkey: koe2015\n")
    assert run_check(screened, note_keys=NOTE_KEYS | {"koe2015"}) == [error(
        "SCR013", "reviews/notes/koe2015.yml", None, f"the note's work 'koe2015' is not in {CSV}", key="koe2015",
        field="key", hint="screen it in as an included record, or remove the note")]


def test_note_of_an_excluded_record(screened):
    assert run_check(screened, note_keys=NOTE_KEYS | {"moe2017"}) == [error(
        "SCR013", "reviews/notes/moe2017.yml", None, f"the note's work 'moe2017' is not included (line 4 of {CSV})",
        key="moe2017", field="key", hint="screen it in as an included record, or remove the note")]


# -- the other rules -----------------------------------------------------------------------------

def test_unknown_search_id(screened):
    screened.edit(CSV, "roe2018,handsearch", "roe2018,handserch")
    found = run_check(screened)
    assert error("SCR005", CSV, 7, "search 'handserch' of 'roe2018' is not in reviews/search.yml", key="roe2018",
                 field="search", hint="did you mean 'handsearch'?") in found
    # the row no longer counts for 'handsearch', so its declared count is off too
    assert [d.code for d in found] == ["SCR005", "SCR010"]  # sorted by file: screening.csv, then search.yml


@pytest.mark.parametrize(("old", "new", "line", "field", "code", "message", "hint"), [
    ("poe2019,registry,,exclude,,", "poe2019,registry,,exclude,exclude,", 3, "full_text", "SCR007",
     "'poe2019' was excluded at title/abstract, so it has no full-text decision", "leave full_text blank"),
    ("zoe2016,registry,,include,not-retrieved", "zoe2016,registry,,include,", 5, "full_text", "SCR007",
     "'zoe2016' passed title/abstract screening but has no full-text decision",
     "write one of: include, exclude, not-retrieved"),
    ("doe2020,handsearch,doe2020,,", "doe2020,handsearch,doe2020,include,", 6, "title_abstract", "SCR007",
     "'doe2020' is a duplicate of 'doe2020', so it is not screened", "leave title_abstract blank"),
    ("roe2018,handsearch,,include", "roe2018,handsearch,,included", 7, "title_abstract", "SCR006",
     "title_abstract of 'roe2018': 'included' is not a decision", "did you mean 'include'?"),
    ("roe2018,handsearch,,include", "roe2018,handsearch,,", 7, "title_abstract", "SCR006",
     "title_abstract of 'roe2018': the decision is missing", "write one of: include, exclude"),
    ("zoe2016,registry,,include,not-retrieved", "zoe2016,registry,,include,lost", 5, "full_text", "SCR006",
     "full_text of 'zoe2016': 'lost' is not a decision", "write one of: include, exclude, not-retrieved"),
    ("moe2017,registry,,include,exclude,wrong population", "moe2017,registry,,include,exclude,", 4, "exclusion_reason", "SCR008", "'moe2017' is excluded without a reason",
     "write one of search.yml's exclusion_reasons: not about fatigue mechanisms; wrong population"),
    ("roe2018,handsearch,,include,include,", "roe2018,handsearch,,include,include,wrong population", 7,
     "exclusion_reason", "SCR008", "'roe2018' is not excluded, so it has no exclusion reason",
     "leave exclusion_reason blank"),
])
def test_decisions_and_reasons(screened, old, new, line, field, code, message, hint):
    screened.edit(CSV, old, new)
    record = new.split(",", 1)[0]
    assert run_check(screened) == [error(code, CSV, line, message, key=record, field=field, hint=hint)]


def test_a_record_screened_twice(screened):
    screened.edit(CSV, "doe2020,handsearch,doe2020,,,", "doe2020,handsearch,,include,include,")
    assert run_check(screened) == [error("SCR004", CSV, 6, "'doe2020' is screened twice (first on line 2)",
                                         key="doe2020", field="record", hint="mark this row duplicate_of 'doe2020'")]


def test_an_unnamed_record(screened):
    screened.edit(CSV, "roe2018,handsearch", ",handsearch")
    assert error("SCR004", CSV, 7, "the record is not named", field="record",
                 hint="write its citation key or another identifier") in run_check(screened)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("record,search,duplicate_of,", "record,serach,duplicate_of,", [
        error("SCR003", CSV, 1, "missing column(s): search",
              hint="the header is: record,search,duplicate_of,title_abstract,full_text,exclusion_reason,notes"),
        error("SCR003", CSV, 1, "unknown column 'serach'", field="serach", hint="did you mean 'search'?")]),
    ("an invented conference abstract", "an invented, unquoted abstract",
     [error("SCR003", CSV, 3, "row has 8 fields; the header has 7", hint="quote values that contain commas")]),
])
def test_unreadable_screening_files(screened, old, new, expected):
    screened.edit(CSV, old, new)
    assert run_check(screened) == expected


def test_screening_file_that_is_not_utf8(screened):
    path = screened.root / CSV
    path.write_bytes(path.read_bytes().replace(b"healthy volunteers", b"h\xe9althy volunteers"))
    assert run_check(screened) == [error("SCR003", CSV, 4, "file is not UTF-8 text", hint="save it as UTF-8")]


# -- counts --------------------------------------------------------------------------------------

EXPECTED = PrismaCounts(
    identified=(SourceCount("registry", "Search of the Example Register", 4),
                SourceCount("handsearch", "Reference lists of included works", 2)),
    duplicates=1, screened=5, excluded_screening=1, sought=4, not_retrieved=1, assessed=3,
    excluded_reasons=(("wrong population", 1),), included=2, included_types=(("primary", 2),))


def test_counts_come_from_the_rows_and_the_notes_source_types(screened):
    counts = screening.counts(screened.project)
    assert counts == EXPECTED
    assert (counts.identified_total, counts.excluded_full_text, counts.studies, counts.secondary,
            counts.unclassified) == (6, 1, 2, 0, 0)


def test_counts_split_included_records_by_the_given_source_types(screened):
    counts = screening.counts(screened.project, source_types={"doe2020": "news"})
    assert counts.included_types == (("news", 1), ("unclassified", 1))
    assert (counts.studies, counts.secondary, counts.unclassified) == (0, 1, 1)


def test_counts_follow_an_added_row(screened):
    screened.edit("reviews/search.yml", "records: 2", "records: 3")
    screened.write(CSV, (screened.root / CSV).read_text() + "koe2015,handsearch,,exclude,,wrong population,\n")
    counts = screening.counts(screened.project)
    assert (counts.identified_total, counts.screened, counts.excluded_screening) == (7, 6, 2)


def test_counts_refuse_an_inconsistent_record(screened):
    screened.edit("reviews/search.yml", "records: 4", "records: 5")
    with pytest.raises(ScreeningInvalid) as exc:
        screening.counts(screened.project)
    assert [d.code for d in exc.value.diagnostics] == ["SCR010"]


# -- the real review -----------------------------------------------------------------------------

def _real_rows() -> list[dict]:
    with (ROOT / CSV).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_real_review_screening_passes_check():
    project = Project(ROOT)
    assert any(project.notes_dir.glob("*.yml"))
    ctx = Context(project)
    keys = set(ctx.notes) | ctx.notes.invalid
    assert screening.check(project, note_keys=keys, bib_keys=set(ctx.bibliography)) == []


def test_the_real_review_counts_match_its_screening_rows():
    rows = _real_rows()
    counts = screening.counts(Project(ROOT), source_types={})
    per_search = {}
    for row in rows:
        per_search[row["search"]] = per_search.get(row["search"], 0) + 1
    assert [(s.search, s.records) for s in counts.identified] == list(per_search.items())
    assert counts.identified_total == len(rows) == 49
    assert (counts.duplicates, counts.excluded_screening, counts.not_retrieved, counts.excluded_full_text) == (0, 0, 0, 0)
    assert counts.included == sum(r["full_text"] == "include" for r in rows)


def test_livingreview_check_runs_the_screening_check(screened):
    assert [d for d in collect(screened.project)[1] if d.code.startswith("SCR")] == []
    screened.edit("reviews/search.yml", "records: 4", "records: 5")
    assert [d.code for d in collect(screened.project)[1] if d.code.startswith("SCR")] == ["SCR010"]
