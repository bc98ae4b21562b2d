"""What the PDF prints of a long page (:func:`livingreview.pdf.pdf_html`): what the page marks for the screen
only is left out, a long reference list keeps the works the printed pages cite, and no link points at nothing."""

from __future__ import annotations

from livingreview.pdf import pdf_html


def test_rows_items_and_marked_runs_for_the_screen_only_are_left_out():
    page = ('<table><tr id="r1"><td>kept</td></tr><tr class="dir-row lr-pdf-omit"><td>row</td></tr></table>'
            '<ol><li>first</li><li id="q9" class="lr-pdf-omit">item <span>x</span></li></ol>'
            '<p>a; b; <span class="lr-pdf-omit"><!--lr-pdf-omit-->c; <a href="#r1">d</a><!--/lr-pdf-omit--></span>'
            '<span class="lr-pdf-only-inline">and 2 more</span></p>')
    printed = pdf_html(page)
    assert "kept" in printed and "first" in printed and "and 2 more" in printed
    assert "row" not in printed and "item" not in printed and "c; " not in printed


def test_a_long_reference_list_prints_only_the_works_the_printed_pages_cite():
    page = ('<p><a class="cite" href="#ref-b">B</a></p>'
            '<table><tr class="lr-pdf-omit"><td><a class="cite" href="#ref-c">C</a></td></tr></table>'
            '<ol><li id="ref-a" class="lr-pdf-if-cited">A.</li>\n<li id="ref-b" class="lr-pdf-if-cited">B.</li>\n'
            '<li id="ref-c" class="lr-pdf-if-cited">C, cited only in a row the PDF leaves out.</li>\n</ol>')
    printed = pdf_html(page)
    assert 'id="ref-b"' in printed and 'href="#ref-b"' in printed
    assert 'id="ref-a"' not in printed and 'id="ref-c"' not in printed


def test_a_link_to_what_the_pdf_left_out_keeps_its_text_but_not_its_target():
    page = ('<p id="top"><a href="#top">up</a> <a class="cite" href="#f-doe2020-3">Doe, 2020</a></p>'
            '<table><tr id="f-doe2020-3" class="lr-pdf-omit"><td>x</td></tr></table>'
            '<a href="report.html#references">all</a>')
    printed = pdf_html(page)
    assert 'href="#top"' in printed and ">Doe, 2020</a>" in printed and 'href="#f-doe2020-3"' not in printed
    assert 'href="report.html#references"' in printed  # another file: not this page's to check


def test_a_page_with_nothing_marked_prints_as_it_is():
    page = '<h1 id="t">T</h1><p><a href="#t">T</a></p><ol><li id="ref-a">A.</li></ol>'
    assert pdf_html(page) == page


def test_the_evidence_table_and_the_heading_before_it_print_on_landscape_pages():
    page = ('<div class="lr-cell lr-prose" data-cell="a">\n<p>Before.</p>\n</div>'
            '<div class="lr-cell lr-prose" data-cell="b">\n<h2 id="e">The evidence</h2><p>One row per finding.</p>\n</div>'
            '<div class="lr-cell lr-output" data-cell="c">\n<section class="lr-section lr-evidence" id="evidence-table">'
            '<table></table></section>\n</div>'
            '<div class="lr-cell lr-output" data-cell="d">\n<section class="lr-section lr-summary"></section>\n</div>')
    printed = pdf_html(page)
    assert printed.count("lr-print-wide") == 2
    assert '<div class="lr-cell lr-print-wide lr-prose" data-cell="b">' in printed
    assert '<div class="lr-cell lr-print-wide lr-output" data-cell="c">' in printed
    assert '<div class="lr-cell lr-prose" data-cell="a">' in printed  # prose that is not the table's heading stays portrait


def test_a_wide_section_after_prose_without_a_heading_takes_only_its_own_cell_landscape():
    page = ('<div class="lr-cell lr-prose" data-cell="b">\n<p>Text.</p>\n</div>'
            '<div class="lr-cell lr-output" data-cell="c">\n<section class="lr-section lr-evidence"></section>\n</div>')
    assert pdf_html(page).count("lr-print-wide") == 1


def test_the_risk_of_bias_tables_print_landscape_and_leave_the_prose_before_them_portrait():
    page = ('<div class="lr-cell lr-prose" data-cell="p">\n<h2 id="x">Predictions and their status</h2>\n</div>'
            '<div class="lr-cell lr-output" data-cell="rob">\n<section class="lr-section lr-risk-of-bias" '
            'aria-labelledby="risk-of-bias">\n<h2 id="risk-of-bias">Risk of bias</h2></section>\n</div>')
    printed = pdf_html(page)
    assert '<div class="lr-cell lr-print-wide lr-output" data-cell="rob">' in printed
    assert '<div class="lr-cell lr-prose" data-cell="p">' in printed
