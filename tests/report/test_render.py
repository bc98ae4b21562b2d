"""render_html / render_pdf on a tiny executed notebook: self-contained, code hidden, deterministic."""

from __future__ import annotations

import dataclasses
import functools
import re
import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from IPython.core.formatters import DisplayFormatter

import livingreview
from livingreview import report
from livingreview.report.citations import prose_citations
from livingreview.pdf import render_pdf
from livingreview.report.render import RenderError, render_html

from .report_fixtures import evidence_notebook, executed_notebook

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def page(sel):
    return render_html(executed_notebook(sel, setup_code="secret_variable_name = 1"), title="Example <report>")


def test_page_needs_no_network(page):
    external = re.findall(r"<(?:script|img|iframe)\b[^>]*\bsrc=[\"']?(https?:)?//", page, flags=re.I)
    external += re.findall(r"<link\b[^>]*\bhref=[\"']?(https?:)?//", page, flags=re.I)
    assert external == []
    assert "<link" not in page
    assert "require.js" not in page and "mathjax" not in page.lower()
    assert "<style>" in page and ".lr-evidence-table" in page


def test_the_report_inlines_the_stylesheet_the_index_has(page):
    from livingreview.pages import stylesheet

    assert f"<style>\n{stylesheet('report')}\n</style>" in page


def test_code_and_prompts_are_hidden(page):
    assert "secret_variable_name" not in page
    assert "report.evidence_table(sel)" not in page
    assert "In&nbsp;[" not in page and "Out[" not in page


def test_title_is_escaped(page):
    assert "<title>Example &lt;report&gt;</title>" in page


def test_table_of_contents_lists_the_headings(page):
    nav = page[re.search(r'<nav [^>]*id="contents"', page).start():page.index("</nav>")]
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav) == [
        ("The-hypothesis", "The hypothesis"), ("methods", "How the studies were found"), ("The-evidence", "The evidence"),
        ("claim-drift", "Where secondary sources differ from the studies"), ("certainty", "How certain is the evidence"),
        ("Figures", "Figures"), ("References", "References")]
    assert '<h2 id="The-evidence">' in page


def test_sections_keep_their_anchors(page):
    for anchor in ("report-title", "evidence-table", "figure-direction-by-design", "figure-timeline", "references",
                   "ref-doe2020", "finding-doe2020-f1"):
        assert page.count(f'id="{anchor}"') == 1, anchor


def test_ids_are_unique_across_the_page(page):
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []


def test_same_notebook_gives_the_same_bytes(sel):
    nb = executed_notebook(sel)
    assert render_html(nb, title="t") == render_html(nbformat.from_dict(nb), title="t")


def test_markdown_prose_is_rendered(page):
    assert "<p>One row per finding.</p>" in page


def test_pdf_is_a_deterministic_pdf(page):
    pdf = render_pdf(page)
    assert pdf.startswith(b"%PDF-")
    assert b"/CreationDate" not in pdf
    assert render_pdf(page) == pdf


def test_print_stylesheet_lays_out_a4_pages(page):
    from weasyprint import HTML

    first = HTML(string=page).render().pages[0]
    assert (round(first.width * 25.4 / 96), round(first.height * 25.4 / 96)) == (210, 297)


def test_pdf_fetches_nothing_but_data_urls(tmp_path):
    from PIL import Image

    picture = tmp_path / "x.png"
    Image.new("RGB", (40, 40), "red").save(picture)
    page = '<html><body><p>text</p>{}</body></html>'
    without = render_pdf(page.format(""))
    assert render_pdf(page.format(f'<img src="{picture.as_uri()}">')) == without
    assert render_pdf(page.format('<img src="https://example.invalid/x.png">')) == without


def test_unrenderable_notebook_is_a_render_error():
    broken = nbformat.v4.new_notebook()
    broken.cells = [nbformat.from_dict({"cell_type": "code", "metadata": {}, "source": "", "id": "broken",
                                          "outputs": [{"output_type": "display_data"}]})]
    with pytest.raises(RenderError, match="could not render the notebook to HTML"):
        render_html(broken, title="t")


def test_cells_tagged_remove_cell_are_left_out(sel):
    nb = executed_notebook(sel)
    note = nbformat.v4.new_markdown_cell("Edit the parameters cell, then run all.", id="usage")
    note.metadata["tags"] = ["remove-cell"]
    nb.cells.insert(0, note)
    page = render_html(nb, title="t")
    assert "Edit the parameters cell" not in page
    assert "<p>One row per finding.</p>" in page


def test_pdf_logs_no_notes_on_css_it_ignores_but_keeps_other_warnings(page, caplog):
    import logging

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_pdf(page)
        logging.getLogger("weasyprint").warning("Other problem")
    assert [r.getMessage() for r in caplog.records] == ["Other problem"]


# -- citations in the prose -------------------------------------------------------------------------------

CITING = Path(__file__).parent / "fixtures" / "citing.ipynb"


def citing_report(project, style: str) -> str:
    """The test notebook (tests/report/fixtures/citing.ipynb) as the report of the test review in *style*:
    loaded as the review's notebook, its code cells' outputs made by the report functions, rendered."""
    nb = nbformat.read(CITING, as_version=4)
    project.write("notebooks/example-fatigue.ipynb", nbformat.writes(nb))
    sel = livingreview.load(project.root, sources=project.sources).select("example-fatigue", citation_style=style)
    formatter = DisplayFormatter()
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("report."):
            data, _ = formatter.format(getattr(report, cell.source.split(".")[1].split("(")[0])(sel))
            cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
    return render_html(nb, title="t", citations=prose_citations(sel))


def prose_of(page: str) -> str:
    start = page.index('id="Background"')
    return page[start:page.index("</p>", start)]


def test_a_notebook_citing_a_work_renders_the_formatted_citation_in_apa(review_project):
    prose = prose_of(citing_report(review_project, "apa"))
    assert ('trial <span class="citation" data-cites="roe2018">(<a class="cite" href="#ref-roe2018">'
            'Roe, 2018, p. 3</a>)</span>;') in prose
    assert '<a class="cite" href="#ref-doe2020">Doe and Roe (2020)</a></span> then compared' in prose
    assert "jane@example.org" in prose and "[@" not in prose


def test_a_notebook_citing_a_work_renders_the_formatted_citation_in_vancouver(review_project):
    page = citing_report(review_project, "vancouver")
    prose = prose_of(page)
    assert 'trial <span class="citation" data-cites="roe2018">(<a class="cite" href="#ref-roe2018">1</a>)</span>;' in prose
    assert '<a class="cite" href="#ref-doe2020">Doe and Roe (2)</a>' in prose
    # the prose's numbers are the reference list's and the tables'
    assert re.search(r'<li id="ref-roe2018">1\. Roe R\. An example trial\.', page)
    assert '<a class="cite" href="#ref-doe2020">Doe &amp; Roe, 2020 [2]</a>' in page


def test_citations_in_the_prose_render_byte_identical(review_project):
    assert citing_report(review_project, "vancouver") == citing_report(review_project, "vancouver")


def test_the_citation_s_html_is_put_in_as_made_and_markdown_reads_none_of_it():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# About [@x]\n\nAs [@x, *not* <b>bold</b>] said *twice*.", id="prose")]
    made = '<span class="citation" data-cites="x">(<a class="cite" href="#ref-x">O_Brien *et* &lt;b&gt;, 2020</a>)</span>'
    page = render_html(nb, title="t", citations={"[@x]": made, "[@x, *not* <b>bold</b>]": made})
    assert "<p>As " + made + " said <em>twice</em>.</p>" in page
    # in a heading, whose text makes its id and the table of contents' entry, the citation is plain text
    assert '<h1 id="About-(O_Brien-*et*-%3Cb%3E,-2020)">About (O_Brien *et* &lt;b&gt;, 2020)<a' in page
    assert "LRCITATION" not in page


def test_a_citation_the_registry_did_not_make_is_a_render_error():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("As [@nobody2000] said.", id="prose")]
    with pytest.raises(RenderError, match=r"the cell with id prose cites \[@nobody2000\]"):
        render_html(nb, title="t")


def test_a_notebook_citing_miller2014_renders_it_in_apa_and_vancouver():
    """The first review's own bibliography (bib/references.bib), its notebooks left as they are."""
    from livingreview.bib.cite import format_references
    from livingreview.bib.load import load_project_bibliography
    from livingreview.bib.prose import find
    from livingreview.project import Project
    from livingreview.report.citations import cited_html

    bibliography, _ = load_project_bibliography(Project(ROOT))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("Fatigue was linked to the striatum [@miller2014].", id="prose")]
    shown = {}
    for style in ("apa", "vancouver"):
        refs = format_references(bibliography, ["miller2014"], style)
        page = render_html(nb, title="t", citations=cited_html(refs, find(nb.cells[0].source)))
        start = page.index("Fatigue was linked")
        shown[style] = re.sub(r"<[^>]+>", "", page[start:page.index("</p>", start)])
    assert shown["apa"] == "Fatigue was linked to the striatum (Miller et al., 2014)."
    assert shown["vancouver"] == "Fatigue was linked to the striatum (1)."


def test_the_renderer_and_the_loader_leave_out_the_same_cells():
    from livingreview import notebooks
    from livingreview.report import render

    assert render.REMOVE_TAG == notebooks.REMOVE_TAG


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def _pdf_pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def test_the_page_inlines_the_table_script_and_holds_every_row_without_it(page, sel):
    from livingreview.pages import script

    assert f"<script>\n{script('report')}\n</script>" in page
    assert "fetch(" not in script("report") and "XMLHttpRequest" not in script("report") and "//" not in re.sub(
        r"/\*.*?\*/", "", str(script("report")), flags=re.S).replace("\\/", "")
    body = page[page.index('<table class="lr-evidence-table"'):]
    body = body[:body.index("</table>")]
    assert body.count('id="finding-') == len(sel.evidence) and " hidden" not in body
    assert render_html(executed_notebook(sel, setup_code="secret_variable_name = 1"), title="Example <report>") == page


def test_a_small_report_prints_every_evidence_row(page, sel):
    from livingreview.pdf import pdf_html

    assert not re.search(r'class="[^"]*lr-pdf-omit', page)
    printed = pdf_html(page)
    assert "lr-print-wide" in printed and printed.replace(" lr-print-wide", "") == page  # only its wide pages
    text = _pdf_text(render_pdf(page))
    assert "This printed table shows" not in text


@pytest.mark.parametrize("hypothesis", sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb")))
def test_the_first_reviews_reports_print_every_evidence_row(hypothesis):
    from livingreview.pdf import pdf_html

    sel = _first_review().select(hypothesis)
    html = str(report.evidence_table(sel))
    assert len(sel.evidence) and html.count('<tr id="finding-') == len(sel.evidence)  # the largest has 51
    assert pdf_html(html).count('<tr id="finding-') == len(sel.evidence) and "lr-pdf-cut" not in html


@functools.cache
def _first_review():
    return livingreview.load(ROOT)


def large(sel, times: int):
    """*sel* with its evidence repeated *times* (keys suffixed ``~n``): a large table from a tiny review."""
    copies = [sel.evidence.assign(key=sel.evidence["key"] + f"~{n}") for n in range(times)]
    notes = {f"{key}~{n}": note for key, note in sel.notes.items() for n in range(times)}
    return dataclasses.replace(sel, evidence=pd.concat(copies, ignore_index=True), notes={**sel.notes, **notes})


def test_a_large_report_prints_the_first_rows_of_each_prediction_and_says_where_the_rest_are(sel):
    big = large(sel, 150)  # 600 findings
    html = render_html(evidence_notebook(big), title="Large")
    assert html.count('id="finding-') == 600  # the HTML holds every row
    pdf = render_pdf(html)
    assert _pdf_pages(pdf) <= 40
    text = " ".join(_pdf_text(pdf).split())
    counts = big.evidence["prediction"].value_counts()
    shown = sum(min(n, 25) for n in counts) + (25 if big.evidence["prediction"].isna().any() else 0)
    assert f"the first 25 findings of each prediction, {shown} of 600; the other {600 - shown} are in" in text
    assert "HTML report (report.html)" in text and "evidence.csv" in text and "evidence.json" in text
    assert render_pdf(html) == pdf


def test_the_page_is_nbconverts_less_its_last_pass_which_would_change_nothing_but_spelling(sel, monkeypatch):
    # nbconvert's HTMLExporter ends with a BeautifulSoup pass (alt text for <img> lacking it, tabindex on
    # JupyterLab's cell wrappers); the report template writes neither, so the page skips it
    from bs4 import BeautifulSoup

    from livingreview.report import render

    nb = executed_notebook(sel)
    ours = render_html(nb, title="T")
    monkeypatch.setattr(render, "ReportExporter", render.HTMLExporter)
    theirs = render_html(nb, title="T")
    assert ours != theirs  # the pass rewrites the markup (e.g. SVG's viewBox lowercased) ...
    normal = lambda page: str(BeautifulSoup(page, features="html.parser"))
    assert normal(ours) == normal(theirs)  # ... and changes nothing else
    assert "<img" not in ours and "viewBox=" in ours
