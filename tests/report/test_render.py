"""render_html / render_pdf on a tiny executed notebook: self-contained, code hidden, deterministic."""

from __future__ import annotations

import re

import nbformat
import pytest

from livingreview.report.render import RenderError, render_html, render_pdf

from .report_fixtures import executed_notebook


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
