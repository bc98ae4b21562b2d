"""The methods section: the generated methods paragraph (escaped), a link to the PRISMA 2020
flow diagram on the index page and an inline copy of it; a review without a search log says so."""

from __future__ import annotations

import re

import livingreview
from livingreview import report
from livingreview.report.methods_view import INDEX_PRISMA, methods_view

from .report_fixtures import HYPOTHESIS_ID, add_search_log, html, words

PARAGRAPH = (
    "We identified 5 records from 2 sources of records: Search of the Example Register (3 records; run 2021-03-01) and "
    "Example blogs (2 records; date not recorded). After removing 1 duplicate, 4 records were screened by title and "
    "abstract and 0 excluded; 4 full texts were sought, 0 could not be retrieved, 4 were assessed for eligibility "
    "and 1 excluded (not about fatigue: 1). Each record was screened by one reviewer. 3 records were included: 2 studies (primary: 2) and 1 secondary source "
    "(blog: 1). See the flow diagram."
)


def screened_selection(project):
    add_search_log(project)
    return livingreview.load(project.root, sources=project.sources).select(HYPOTHESIS_ID)


def test_without_a_search_log_the_section_says_so(sel):
    out = html(report.methods(sel))
    assert words(out) == ("How the studies were found This review has no search log ( reviews/search.yml ), "
                          "so it does not say how its studies were found.")
    assert "<svg" not in out and "index.html" not in out
    assert repr(report.methods(sel)) == "Methods: no search log"


def test_the_methods_paragraph_then_the_diagram_on_the_index_page(review_project):
    out = html(report.methods(screened_selection(review_project)))
    assert '<h2 id="methods">How the studies were found</h2>' in out
    assert f'<p class="lr-methods-paragraph">{PARAGRAPH}</p>' in out
    assert '<p class="lr-small lr-search-note">Searches were run &amp; logged &lt;i&gt;by hand&lt;/i&gt;.</p>' in out
    assert f'<a class="lr-external" href="{INDEX_PRISMA}">review\'s index page</a>' in out
    assert INDEX_PRISMA == "../../index.html#prisma"


def test_an_inline_copy_of_the_diagram_with_its_own_ids(review_project):
    sel = screened_selection(review_project)
    out = html(report.methods(sel))
    figure = out[out.index('<figure class="lr-figure lr-prisma" id="methods-prisma">'):out.index("</figure>")]
    assert "<svg " in figure and "<?xml" not in figure
    assert "Records identified (n\u00a0=\u00a05):" in figure and "Reports excluded (n\u00a0=\u00a01):" in figure
    ids = re.findall(r'\bid="([^"]+)"', figure)[1:]  # after the figure's own
    assert ids and all(i.startswith("prisma-") for i in ids)
    assert html(report.methods(sel)) == out  # deterministic


def test_the_section_is_made_from_the_loaded_review_not_from_the_files(review_project):
    """After loading nothing reads a file: breaking the record afterwards changes no byte of the section."""
    sel = screened_selection(review_project)
    before = html(report.methods(sel))
    review_project.write("reviews/screening.csv", "record,search\n")
    (review_project.root / "reviews" / "search.yml").unlink()
    assert html(report.methods(sel)) == before and methods_view(sel).problem is None


def test_an_unresolved_screening_conflict_leaves_the_section_without_numbers(review_project):
    add_search_log(review_project)
    review_project.edit("reviews/search.yml", "exclusion_reasons:", "reviewers: [Jane Doe, Richard Roe]\nexclusion_reasons:")
    review_project.write("reviews/screening.csv", "record,search,duplicate_of,title_abstract,full_text,exclusion_reason,"
                         "notes\n" + "".join(f"{key},{search},,,,,\n" for key, search in (
                             ("doe2020", "register"), ("roe2018", "register"), ("koe2019", "register"),
                             ("exampleblog2021", "blogs"))) + "doe2020,blogs,doe2020,,,,found again\n")
    review_project.write("reviews/screening-decisions.csv", "record,stage,kind,reviewer,date,decision,exclusion_reason,"
                         "notes\n" + "".join(f"{key},title-abstract,independent,{who},2024-03-01,{decision}\n"
                                             for key in ("doe2020", "roe2018", "koe2019", "exampleblog2021")
                                             for who, decision in (("Jane Doe", "include,,"), ("Richard Roe", "include,,")))
                         .replace("koe2019,title-abstract,independent,Richard Roe,2024-03-01,include,,",
                                  "koe2019,title-abstract,independent,Richard Roe,2024-03-01,exclude,not about fatigue,")
                         + "".join(f"{key},full-text,independent,Jane Doe,2024-04-01,include,,\n"
                                   for key in ("doe2020", "roe2018", "exampleblog2021")))
    sel = livingreview.load(review_project.root, sources=review_project.sources).select(HYPOTHESIS_ID)
    view = methods_view(sel)
    assert (view.problem, view.conflicts, view.paragraph, view.svg) == ("unresolved", 1, None, None)
    assert words(html(report.methods(sel))) == (
        "How the studies were found The two reviewers' screening decisions hold 1 disagreement with no resolution "
        "recorded, so the studies are not counted yet; livingreview screening conflicts lists them.")
