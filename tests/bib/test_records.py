from livingreview.bib.records import Name, from_csl_json, from_ris

from .conftest import FIXTURES


def test_ris_records_with_their_lines_types_and_names():
    records = from_ris((FIXTURES / "import" / "records.ris").read_text(encoding="utf-8"), "records.ris")
    assert [(r.type, r.line, r.key) for r in records] == [("article", 1, None), ("online", 16, None)]
    assert records[0].names["author"] == [Name(family="García", given="Ana"), Name(family="van der Berg", given="Anna"),
                                          Name(literal="Example Consortium")]
    assert {k: records[0].fields[k] for k in ("year", "month", "day", "pages")} == {
        "year": "2020", "month": "5", "day": "3", "pages": "45--67"}
    assert records[1].fields == {"title": "An example web page", "year": "2021", "url": "https://example.org/page",
                                 "urldate": "2024-01-02"}


def test_csl_json_records_keep_particles_suffixes_and_dates():
    records = from_csl_json((FIXTURES / "import" / "records.json").read_text(encoding="utf-8"), "records.json")
    assert [(r.type, r.key) for r in records] == [("article", "http://zotero.org/users/0/items/EXAMPLE1"), ("book", "roe2018")]
    assert records[0].names["author"][1] == Name(family="Berg", given="Anna", particle="van der")
    assert records[1].names["author"] == [Name(family="Roe", given="Richard", suffix="Jr")]
    assert {k: records[0].fields[k] for k in ("year", "month", "pages", "number")} == {
        "year": "2019", "month": "7", "pages": "101--109", "number": "2"}


def test_a_single_csl_item_is_read_as_one_record():
    (record,) = from_csl_json('{"id": "a1", "type": "webpage", "title": "T", "accessed": {"date-parts": [[2024, 1, 2]]}}', "x.json")
    assert (record.type, record.key, record.fields) == ("online", "a1", {"title": "T", "urldate": "2024-01-02"})


def test_a_csl_name_that_is_not_an_object_makes_the_record_unusable():
    from livingreview.bib.records import from_csl_json

    [record] = from_csl_json('[{"type": "book", "title": "T", "author": ["Smith, J"]}]', "x.json")
    assert not record.usable
    assert [(p.code, p.field, p.message) for p in record.problems] == [
        ("BIB023", "author", "record 1: 'author' holds a JSON object or list, not text")]
