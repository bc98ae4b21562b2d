"""A rendered report opened in headless Chromium: the browser's DOM has the evidence table,
the section anchors, and citation links that all land on a reference."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from livingreview.report.render import render_html

from .report_fixtures import executed_notebook

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
    assert len(re.findall(r'<tr class="[^"]*" id="finding-', table)) == 4
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
