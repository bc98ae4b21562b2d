"""A report of a large review prints what a reader can use: long lists print their first items and say
where the rest are, the reference list the works the printed pages cite; the HTML keeps every one."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import livingreview
from livingreview import report
from livingreview.pdf import pdf_html

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic import generate  # noqa: E402


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """One hypothesis of a synthetic review of 240 works (each bears on it, raising a question of its own)."""
    root = generate(tmp_path_factory.mktemp("large") / "review", works=240, hypotheses=2)
    review = livingreview.load(root)
    return review.select("synthetic-01", conditions="all")


def page(*sections) -> str:
    return "".join(str(section) for section in sections)


def test_a_long_list_of_open_questions_prints_its_first_and_says_where_the_rest_are(large):
    html = str(report.open_questions(large))
    total = html.count("<li id=")
    assert total > 100 and html.count('class="lr-pdf-omit"') == total - 25
    assert f"This printed list shows the first 25 of the {total:,} open questions" in html
    printed = pdf_html(html)
    assert printed.count("<li id=") == 25 and 'href="open-questions.csv"' in printed


def test_the_printed_reference_list_holds_the_works_the_printed_pages_cite(large):
    html = page(report.summary_of_findings(large), report.evidence_table(large), report.references(large))
    listed = re.findall(r'<li id="(ref-[^"]+)" class="lr-pdf-if-cited"', html)
    assert len(listed) == len(large.keys) > 100
    printed = pdf_html(html)
    kept = re.findall(r'<li id="(ref-[^"]+)"', printed)
    cited = set(re.findall(r'href="#(ref-[^"]+)"', printed))
    assert 0 < len(kept) < len(listed) and set(kept) == cited & set(listed)
    assert "This printed list holds the works the printed pages cite" in printed


def test_a_long_list_of_works_in_one_cell_prints_its_first_ten(large):
    html = str(report.summary_of_findings(large))
    assert "more (every one is in the HTML report)" in html
    printed = pdf_html(html)
    assert "<!--lr-pdf-omit-->" in html and "<!--lr-pdf-omit-->" not in printed
    cells = re.findall(r'<span class="lr-small">((?:<a class="cite"[^>]*>[^<]*</a>; )+)', printed)
    assert cells and all(cell.count("</a>") == 10 for cell in cells)
