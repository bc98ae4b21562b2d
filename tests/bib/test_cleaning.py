import pytest

from livingreview.bib.cleaning import clean
from livingreview.bib.records import Name, Record


def cleaned(**kw):
    record = clean(Record(type="article", position=1, **kw), "refs.json")
    return record, [(p.code, p.field) for p in record.problems]


def test_a_corporate_author_exported_as_a_family_name_is_kept_whole():
    record, problems = cleaned(names={"author": [Name(family="American Legislative Exchange Council"), Name(family="Plato")]})
    assert record.names["author"] == [Name(literal="American Legislative Exchange Council"), Name(family="Plato")]
    assert problems == []


@pytest.mark.parametrize("name", [Name(family="Smith", given="John and Mary"), Name(family="Smith and Jones", given="A.")])
def test_and_inside_a_person_name_makes_the_record_unusable(name):
    record, problems = cleaned(names={"author": [name]})
    assert (record.usable, problems) == (False, [("BIB023", "author")])


def test_an_organisation_named_with_and_is_kept_whole():
    record, problems = cleaned(names={"author": [Name(family="Johnson and Johnson")]})
    assert (record.names["author"], problems) == ([Name(literal="Johnson and Johnson")], [])


@pytest.mark.parametrize(("fields", "after", "problems"), [
    ({"doi": "https://doi.org/10.5555/X.1."}, {"doi": "10.5555/x.1"}, []),
    ({"doi": "not a doi"}, {"doi": "not a doi"}, [("BIB023", "doi")]),
    ({"pmid": " 123 "}, {"pmid": "123"}, []),
    ({"pmid": "PMC123"}, {"pmid": "PMC123"}, [("BIB023", "pmid")]),
    ({"title": "['One']"}, {"title": "One"}, [("BIB025", "title")]),
    ({"title": "['One', 'Two']"}, {"title": "['One', 'Two']"}, [("BIB023", "title")]),
    ({"title": "[Brackets] in a title"}, {"title": "[Brackets] in a title"}, []),
])
def test_fields(fields, after, problems):
    record, found = cleaned(fields=dict(fields))
    assert (record.fields, found) == (after, problems)
