"""The table of contents comes from the page's second-level headings."""

from __future__ import annotations

from livingreview.report.toc import Heading, headings, toc_html


def test_headings_skip_the_pilcrow_and_unanchored_headings():
    html = ('<h2 id="Evidence">Evidence <em>table</em><a class="anchor-link" href="#Evidence">¶</a></h2>'
            "<h2>No anchor</h2><h3 id='x'>Sub</h3><h2 id=\"Q&amp;A\">Q &amp; A</h2>")
    assert headings(html) == [Heading("Evidence", "Evidence table"), Heading("Q&A", "Q & A")]


def test_toc_escapes_text_and_anchors():
    assert toc_html([Heading('a"b', "<x>")]) == '<ol class="lr-toc-list">\n<li><a href="#a&#34;b">&lt;x&gt;</a></li>\n</ol>'
    assert toc_html([]) == ""
