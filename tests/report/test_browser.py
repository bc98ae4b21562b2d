"""A rendered report opened in headless Chromium: the browser's DOM has the evidence table,
the section anchors, and citation links that all land on a reference."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from livingreview.report.render import render_html

from .report_fixtures import evidence_notebook, executed_notebook

CHROMIUM = shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install chromium)"),
]


@pytest.fixture
def dom(sel, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(render_html(executed_notebook(sel), title="Example report"), encoding="utf-8")
    result = subprocess.run([CHROMIUM, *FLAGS, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                            timeout=120, check=True)
    return result.stdout


def test_the_browser_builds_the_evidence_table_and_its_anchors(dom):
    table = dom[dom.index('<table class="lr-evidence-table"'):]
    table = table[:table.index("</table>")]
    assert len(re.findall(r'<tr [^>]*id="finding-', table)) == 4
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table
    ids = set(re.findall(r'\bid="([^"]+)"', dom))
    assert {"report-title", "hypothesis-statement", "evidence-summary", "evidence-table", "prediction-status",
            "figure-direction-by-design", "figure-timeline", "open-questions", "references", "provenance",
            "how-to-cite", "contents", "The-evidence", "ref-doe2020", "ref-roe2018", "ref-exampleblog2021",
            "methods", "claim-drift", "certainty", "certainty-EX1"} <= ids


def test_every_internal_link_lands_and_the_contents_link_the_headings(dom):
    ids = set(re.findall(r'\bid="([^"]+)"', dom))
    targets = re.findall(r'href="#([^"]+)"', dom)
    assert {"ref-doe2020", "finding-doe2020-f1", "prediction-EX1", "The-evidence"} <= set(targets)
    assert sorted({t for t in targets if t not in ids}) == []
    nav = dom[dom.index('id="contents"'):dom.index("</nav>")]
    assert re.findall(r'<a href="#([^"]+)">', nav) == [
        "The-hypothesis", "methods", "The-evidence", "claim-drift", "certainty", "Figures", "References"]


def _large_page(sel, tmp_path, extra_script: str = "") -> str:
    """A report page of the evidence table alone, its rows repeated 150 times (600 findings); *extra_script*
    runs after the table's script (a test page that clicks as a reader would)."""
    from .test_render import large

    page = tmp_path / "large.html"
    html = render_html(evidence_notebook(large(sel, 150)), title="Large report")
    if extra_script:
        html = html.replace("</body>", "<script>" + extra_script + "</script>\n</body>", 1)
    page.write_text(html, encoding="utf-8")
    return page.as_uri()


def _dump(uri: str) -> str:
    return subprocess.run([CHROMIUM, *FLAGS, "--dump-dom", uri], capture_output=True, text=True, timeout=120,
                          check=True).stdout


def _rows(dom: str) -> tuple[list[str], list[str]]:
    """(ids of the rows shown, ids of the rows hidden) of the evidence table, in the DOM's order."""
    body = dom[dom.index('<table class="lr-evidence-table"'):]
    body = body[:body.index("</table>")]
    rows = re.findall(r"<tr ([^>]*)>", body)
    ident = lambda attributes: re.search(r'id="([^"]+)"', attributes).group(1)  # noqa: E731
    return ([ident(a) for a in rows if 'id="finding-' in a and "hidden" not in a],
            [ident(a) for a in rows if 'id="finding-' in a and "hidden" in a])


def test_the_table_is_shown_fifty_rows_at_a_time_with_page_controls(sel, tmp_path):
    dom = _dump(_large_page(sel, tmp_path))
    shown, hidden = _rows(dom)
    assert len(shown) == 50 and len(hidden) == 550
    assert 'id="evidence-table-search"' in dom and "Showing 1–50 of 600 findings." in dom
    assert "Page 1 of 12" in dom and re.search(r"<button [^>]*disabled[^>]*>Previous</button>", dom)
    assert dom.count('aria-sort="none"') == 7 and dom.count('class="lr-sort"') == 7


def test_a_search_keeps_the_rows_holding_every_word(sel, tmp_path):
    dom = _dump(_large_page(sel, tmp_path) + "?evidence-table-search=~149")
    shown, hidden = _rows(dom)
    assert sorted(shown) == sorted(f"finding-{key}~149-{f}" for key, f in zip(sel.evidence["key"], sel.evidence["finding_id"]))
    assert "Showing 1–4 of 4 findings (of 600)." in dom


def test_a_header_sorts_the_rows_and_the_pager_turns_the_page(sel, tmp_path):
    click = """
      var header = document.querySelectorAll(".lr-evidence-table thead th")[0];
      header.querySelector("button").click(); header.querySelector("button").click();
      Array.prototype.filter.call(document.querySelectorAll(".lr-table-pager button"),
                                  function (b) { return b.textContent === "Next"; })[0].click();
    """
    dom = _dump(_large_page(sel, tmp_path, click))
    shown, _ = _rows(dom)
    assert re.search(r'<th scope="col" aria-sort="descending"><button type="button" class="lr-sort">Study', dom)
    assert dom.count('aria-sort="none"') == 6
    assert "Showing 51–100 of 600 findings." in dom and "Page 2 of 12" in dom
    order = re.findall(r'<tr [^>]*id="finding-([^"]+)-f\d+"', dom)  # every row, as the DOM now orders them
    natural = lambda key: [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key.lower())]  # noqa: E731
    assert len(shown) == 50 and order == sorted(order, key=natural, reverse=True)
