from livingreview.bib.csl import csl_type, to_csl
from livingreview.bib.load import DisplayFields, Entry


def entry(kind, **fields):
    return Entry(key="k", type=kind, fields=DisplayFields(fields), raw=fields, file="bib/x.bib", line=1)


def test_journal_article():
    item = to_csl(entry("article", author=r"{van der Berg}, Anna and Beethoven, Jr, Ludwig van and {World Health Organization}",
                        title="A {DNA} study", journal="Journal of Examples", year="2020", month="mar", day="4",
                        volume="12", number="3", pages="45--67", doi="https://doi.org/10.5555/ABC", pmid="123"), "r1")
    assert item == {
        "id": "r1", "type": "article-journal", "title": "A DNA study", "container-title": "Journal of Examples",
        "author": [{"family": "van der Berg", "given": "Anna"},
                   {"family": "Beethoven", "given": "Ludwig van", "suffix": "Jr"},
                   {"literal": "World Health Organization"}],
        "issued": {"date-parts": [[2020, 3, 4]]}, "volume": "12", "issue": "3", "page": "45-67",
        "DOI": "10.5555/abc", "PMID": "123",
    }


def test_web_page_without_author_takes_the_site_from_organization_and_dates_from_iso():
    item = to_csl(entry("online", title="A page", organization="Example Site", url="https://example.org",
                        date="2021-05-03", urldate="2024-01-02"), "r")
    assert item == {"id": "r", "type": "webpage", "title": "A page", "container-title": "Example Site",
                    "URL": "https://example.org", "issued": {"date-parts": [[2021, 5, 3]]},
                    "accessed": {"date-parts": [[2024, 1, 2]]}}


def test_misc_is_a_web_page_only_with_an_address():
    assert (csl_type(entry("misc", url="https://x.org")), csl_type(entry("misc")), csl_type(entry("weird"))) == (
        "webpage", "document", "document")


def test_words_instead_of_a_year_become_the_status_and_bad_dois_are_left_out():
    item = to_csl(entry("article", title="T", year="in press", doi="10.5555"), "r")
    assert item == {"id": "r", "type": "article-journal", "title": "T", "status": "in press"}


def test_reports_and_conference_papers():
    report = to_csl(entry("techreport", title="R", institution="Example Institute", number="7", year="2019",
                          address="Springfield"), "r")
    assert report == {"id": "r", "type": "report", "title": "R", "publisher": "Example Institute", "number": "7",
                      "publisher-place": "Springfield", "issued": {"date-parts": [[2019]]}}
    talk = to_csl(entry("inproceedings", title="T", booktitle="Proceedings", editor="Roe, R.", year="2019"), "r")
    assert (talk["type"], talk["container-title"], talk["editor"]) == ("paper-conference", "Proceedings",
                                                                      [{"family": "Roe", "given": "R."}])


def test_and_others_becomes_a_final_et_al_and_a_note_describes_an_untitled_work():
    item = to_csl(entry("online", author="Doe, J. and others", note="A fictional leaflet"), "r")
    assert item == {"id": "r", "type": "webpage", "title": "[A fictional leaflet]",
                    "author": [{"family": "Doe", "given": "J."}, {"literal": "et al."}]}
