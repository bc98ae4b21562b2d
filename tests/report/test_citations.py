"""One registry of citation order per report: the prose, the tables and the reference list agree, and a
numeric style numbers works in the order a reader meets them (prose first or table first)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

import livingreview
from livingreview import report
from livingreview.report import citations

from .report_fixtures import HYPOTHESIS_ID, html

CITING = Path(__file__).parent / "fixtures" / "citing.ipynb"
NOTEBOOK = "notebooks/example-fatigue.ipynb"


def with_notebook(project, *, prose_first: bool):
    """The report tests' review with a notebook whose prose cites roe2018 and doe2020, before the
    hypothesis and the evidence table or after them."""
    nb = nbformat.read(CITING, as_version=4)
    if not prose_first:
        background = nb.cells.pop(3)
        nb.cells.insert(nb.cells.index(next(c for c in nb.cells if c.id == "evidence")) + 1, background)
    project.write(NOTEBOOK, nbformat.writes(nb))
    return livingreview.load(project.root, sources=project.sources)


def numbers(sel) -> list[tuple[str, int]]:
    return [(r.key, r.number) for r in citations.references(sel)]


def test_prose_first_numbers_the_prose_s_works_first(review_project):
    sel = with_notebook(review_project, prose_first=True).select(HYPOTHESIS_ID, citation_style="vancouver")
    # the prose cites roe2018 then doe2020; the evidence table then shows the blog
    assert numbers(sel) == [("roe2018", 1), ("doe2020", 2), ("exampleblog2021", 3)]


def test_table_first_numbers_the_tables_works_first(review_project):
    sel = with_notebook(review_project, prose_first=False).select(HYPOTHESIS_ID, citation_style="vancouver")
    # the hypothesis's proposer (doe2020), then the evidence table by year: doe2020 (2020), the blog (2021);
    # roe2018 is cited in the evidence table too (2018, first row)
    keys = [key for key in citations.shown_keys(sel, "hypothesis") + citations.shown_keys(sel, "evidence_table")]
    assert keys[:2] == ["doe2020", "roe2018"]
    assert numbers(sel) == [("doe2020", 1), ("roe2018", 2), ("exampleblog2021", 3)]


def test_one_registry_for_tables_reference_list_and_prose(review_project):
    sel = with_notebook(review_project, prose_first=True).select(HYPOTHESIS_ID, citation_style="vancouver")
    table = html(report.evidence_table(sel))
    assert '<a class="cite" href="#ref-roe2018">Roe, 2018 [1]</a>' in table
    assert '<a class="cite" href="#ref-doe2020">Doe &amp; Roe, 2020 [2]</a>' in table
    entries = re.findall(r'<li id="ref-([^"]+)">(\d+)\. ', html(report.references(sel)))
    assert entries == [("roe2018", "1"), ("doe2020", "2"), ("exampleblog2021", "3")]
    prose = citations.prose_citations(sel)
    assert prose["[@roe2018, p. 3]"] == ('<span class="citation" data-cites="roe2018">(<a class="cite" '
                                         'href="#ref-roe2018">1</a>)</span>')
    assert prose["@doe2020"].endswith('<a class="cite" href="#ref-doe2020">Doe and Roe (2)</a></span>')
    assert citations.references(sel) is citations.references(sel)  # made once per selection


def test_apa_keeps_its_study_column_and_alphabetical_list(review_project):
    sel = with_notebook(review_project, prose_first=True).select(HYPOTHESIS_ID)
    assert '<a class="cite" href="#ref-doe2020">Doe &amp; Roe, 2020</a>' in html(report.evidence_table(sel))
    assert [r.key for r in citations.references(sel)] == ["doe2020", "exampleblog2021", "roe2018"]
    assert citations.prose_citations(sel)["[@roe2018, p. 3]"].endswith(
        '(<a class="cite" href="#ref-roe2018">Roe, 2018, p. 3</a>)</span>')


def test_a_work_cited_only_in_the_prose_joins_the_reference_list(review_project):
    review_project.write("bib/references.bib", (review_project.root / "bib/references.bib").read_text()
                         + "\n@book{poe2015,\n  author = {Poe, Edgar},\n  title = {A background book},\n"
                           "  publisher = {Example Press},\n  year = {2015},\n}\n")
    nb = nbformat.read(CITING, as_version=4)
    nb.cells[3].source += " Background in [@poe2015]."
    review_project.write(NOTEBOOK, nbformat.writes(nb))
    sel = livingreview.load(review_project.root, sources=review_project.sources).select(HYPOTHESIS_ID)
    assert "poe2015" in sel.keys and "poe2015" not in sel.notes
    assert 'id="ref-poe2015"' in html(report.references(sel))
    assert "bib/references.bib#poe2015" in sel.inputs


def test_every_citing_section_is_in_the_registry_s_list(sel):
    """A section whose HTML links to references must be walked for the order of citation."""
    from livingreview.report import sections

    citing = {name for name in ("title", "hypothesis", "methods", "summary", "evidence_table", "claim_drift",
                                "predictions", "certainty", "open_questions", "provenance", "how_to_cite")
              if 'class="cite"' in html(getattr(sections, name)(sel))}
    assert citing <= set(citations.CITING)
    assert set(citations.CITING) - citing <= {"claim_drift", "certainty"}  # shown only for some selections


@pytest.mark.parametrize("section", citations.CITING)
def test_the_recorded_order_is_the_order_of_the_section_s_links(sel, section):
    shown = list(dict.fromkeys(k for k in citations.shown_keys(sel, section) if k in sel.keys))
    linked = list(dict.fromkeys(re.findall(r'class="cite" href="#ref-([^"]+)"', html(getattr(report, section)(sel)))))
    assert shown == linked
