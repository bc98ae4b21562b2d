import pytest

from livingreview.bib.load import load_bibliography
from livingreview.bib.retractions import COLUMNS, RetractionsUnreadable, load, parse

from .conftest import FIXTURES

CSV = FIXTURES / "retractions" / "retraction_watch.csv"


def test_notices_are_read_by_doi_and_pmid_the_gravest_kept():
    data = load(CSV, "rw.csv")
    assert data.by_doi["10.5555/example.doe2020"].status == "retracted"
    assert data.by_doi["10.5555/example.doe2020"].describe() == \
        "is retracted since 3/1/2022 (Retraction Watch record 90001, notice 10.5555/retract.0001)"
    assert data.by_pmid["99990002"].status == "expression of concern"  # graver than its correction
    assert "unavailable" not in data.by_doi and "0" not in data.by_pmid
    assert "10.5555/reinstated" not in data.by_doi  # a reinstatement flags nothing
    assert len(data.sha256) == 64


def test_entries_are_matched_by_doi_or_pmid(tmp_path):
    (tmp_path / "a.bib").write_text("@article{a, title = {A}, doi = {10.5555/Example.DOE2020}}\n"
                                    "@article{b, title = {B}, pmid = {99990002}}\n@article{c, title = {C}}\n", encoding="utf-8")
    bib, _ = load_bibliography([tmp_path / "a.bib"], root=tmp_path)
    data = load(CSV, "rw.csv")
    assert [getattr(data.of(bib[k]), "status", None) for k in "abc"] == ["retracted", "expression of concern", None]


def test_a_missing_column_is_a_clear_error():
    with pytest.raises(RetractionsUnreadable) as caught:
        parse("Record ID,Title\n1,x\n", "rw.csv")
    assert [(d.code, d.line, d.message) for d in caught.value.diagnostics] == [
        ("RET003", 1, f"the columns {COLUMNS['nature']}, {COLUMNS['doi']}, {COLUMNS['pmid']} are missing")]


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(RetractionsUnreadable) as caught:
        load(tmp_path / "nothing.csv", "nothing.csv")
    assert caught.value.diagnostics[0].code == "RET003"
