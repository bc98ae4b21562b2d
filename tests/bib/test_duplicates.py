from livingreview.bib.duplicates import Seen
from livingreview.bib.records import Name, Record

BIB = "@article{a2017, author = {Okafor, Ngozi}, title = {Sleep {T}iming: a Study}, year = 2017, pmid = {111}}\n"


def record(**fields):
    return Record(type="article", position=1, fields=fields, names={"author": [Name(family="Okafor", given="N.")]})


def test_title_year_and_first_author_match_across_case_punctuation_and_braces(load_fixture, tmp_path):
    from livingreview.bib.load import load_bibliography

    (tmp_path / "a.bib").write_text(BIB, encoding="utf-8")
    bib, _ = load_bibliography([tmp_path / "a.bib"], root=tmp_path)
    seen = Seen.of(list(bib.entries))
    assert seen.repeated(record(title="Sleep timing - a study.", year="2017"), None) == \
        "duplicate of 'a2017' (a.bib:1) by title+year+author"
    assert seen.repeated(record(title="Sleep timing - a study.", year="2018"), None) is None
    assert seen.repeated(record(title="Other", pmid="111"), None) == "duplicate of 'a2017' (a.bib:1) by PMID"
    assert seen.repeated(record(title="Other"), "A2017") == "duplicate of 'a2017' (a.bib:1) by key"


def test_records_of_the_same_file_are_remembered():
    seen = Seen()
    first = record(title="X", doi="10.5555/A")
    seen.add(first, "okafor2017", "record 1")
    assert seen.repeated(record(title="Y", doi="10.5555/a"), None) == "duplicate of record 1 by DOI"
