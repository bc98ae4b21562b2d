"""The index page: links to what exists, the overview counts, sections, everything escaped."""

from __future__ import annotations

from markupsafe import Markup

from livingreview.build import index
from livingreview.project import BuildConfig

CONFIG = BuildConfig(title="A <review> & more", authors=["Jane <Doe>"],
                     variants=[{"name": "all", "title": "All studies"}, {"name": "pem", "title": "PEM <only>"}])
MANIFEST = {
    "files": {"alpha/all/report.html": "1", "alpha/all/evidence.csv": "2", "alpha/pem/report.html": "3", "alpha/pem/report.pdf": "4"},
    "reports": {"alpha/all": {"summary": {"directions": {"supports": 3, "mixed": 1}, "findings": 4, "context": 1, "works": 2}}},
}


def page(sections=()):
    return index.render_index(config=CONFIG, build_date="2024-05-01", hypotheses={"alpha": "Alpha <i>", "beta": "Beta"},
                              manifest=MANIFEST, sections=list(sections))


def test_links_only_to_files_that_exist():
    html = page()
    assert ('<span class="lr-links"><a href="alpha/all/report.html">HTML</a></span><span class="lr-links">'
            '<span class="lr-label">CSV</span> <a href="alpha/all/evidence.csv">evidence</a></span></td>') in html
    assert '<a href="alpha/pem/report.html">HTML</a> · <a href="alpha/pem/report.pdf">PDF</a></span></td>' in html
    assert html.count('<span class="lr-empty">not built</span>') == 2  # beta/all and beta/pem


def test_overview_counts_directions_of_the_all_variant():
    html = page()
    assert ('<th scope="row">Alpha &lt;i&gt;</th><td class="num dir-supports-cell">3</td><td class="num dir-contradicts-cell">0</td>'
            '<td class="num dir-mixed-cell">1</td><td class="num dir-neutral-cell">0</td><td class="num">4</td><td class="num">1</td>'
            '<td class="num">2</td>') in html
    assert '<th scope="row">Beta</th><td colspan="7" class="lr-empty">not built</td>' in html


def test_user_text_is_escaped_and_sections_are_added_in_order():
    html = page([("Changes", Markup("<p>changed</p>")), ("How it was done", Markup("<p>method</p>")),
                 ("Changes", Markup("<p>again</p>"))])
    assert "<title>A &lt;review&gt; &amp; more</title>" in html
    assert "Jane &lt;Doe&gt;" in html and "<th>PEM &lt;only&gt;</th>" in html
    assert "<review>" not in html and "<i>" not in html
    titles = [line for line in html.splitlines() if line.startswith("<section")]
    assert titles == ['<section id="reports"><h2>Reports</h2>', '<section id="overview"><h2>Overview</h2>',
                      '<section id="changes"><h2>Changes</h2>', '<section id="how-it-was-done"><h2>How it was done</h2>',
                      '<section id="changes-2"><h2>Changes</h2>']
    assert '<li><a href="#how-it-was-done">How it was done</a></li>' in html
    assert '<h2>How it was done</h2>\n<p>method</p>\n</section>' in html
    assert "<script" not in html and "http" not in html and "url(" not in html  # self-contained


def test_a_section_body_that_is_not_markup_is_shown_as_text():
    html = page([("Notes", "<p>a <b>note</b></p>")])
    assert "<h2>Notes</h2>\n&lt;p&gt;a &lt;b&gt;note&lt;/b&gt;&lt;/p&gt;\n</section>" in html


def test_the_page_ends_with_a_newline_and_inlines_the_report_stylesheet():
    from livingreview.pages import stylesheet

    html = page()
    assert html.startswith("<!DOCTYPE html>\n") and html.endswith("</html>\n")
    assert f"<style>\n{stylesheet('report')}\n</style>" in html


def test_overview_variant_prefers_all():
    assert index.overview_variant(CONFIG) == "all"
    other = BuildConfig(title="t", authors=[], variants=[{"name": "pem", "title": "PEM"}])
    assert index.overview_variant(other) == "pem"


def test_a_section_whose_input_is_missing_is_skipped_with_a_note():
    from types import SimpleNamespace

    sections, notes = index.extra_sections(SimpleNamespace(config=None, search_log=None, flow_counts=None, screening_rows=[]))
    assert sections == []
    assert notes == ["index section skipped: reviews/build.yml: no build matrix",
                     "index section skipped: reviews/search.yml: the review keeps no search log and screening record"]


def test_the_index_shows_no_flow_diagram_while_a_screening_conflict_is_unresolved():
    from types import SimpleNamespace

    review = SimpleNamespace(config=None, search_log=object(), flow_counts=None, screening_rows=[],
                             dual_screening=SimpleNamespace(conflicts=("moe2017 at title-abstract",)))
    assert index.extra_sections(review)[1][1] == (
        "index section skipped: reviews/screening-decisions.csv: 1 screening conflict(s) unresolved, so nothing is "
        "counted (`livingreview screening conflicts` lists them)")


def test_the_summary_of_findings_row_names_the_lowest_critical_prediction_and_what_it_shows():
    from pathlib import Path
    from types import SimpleNamespace as NS

    from livingreview.project import Project
    from livingreview.synthesis.rules import load_rules

    rules = load_rules(Project(Path(__file__).resolve().parents[2]))
    predictions = [NS(prediction_id="P1", has_evidence=True, level="high", statement="High certainty that it holds.",
                      works=["doe2020"]),
                   NS(prediction_id="P2", has_evidence=True, level="low", statement="Low certainty that it fails.",
                      works=["roe2021", "doe2020"]),
                   NS(prediction_id="P3", has_evidence=False, level="no evidence", statement="", works=[])]
    rating = NS(predictions=predictions, critical=("P1", "P2", "P3"), marked=True, level="low", symbols="⊕⊕◯◯",
                without_evidence=["P3"])
    row = index.sof_row(NS(id="alpha", title="Alpha"), rating, rules)
    assert row == {"id": "alpha", "title": "Alpha", "level": "low", "symbols": "⊕⊕◯◯", "critical": ["P1", "P2", "P3"],
                   "marked": True, "without": ["P3"], "statement": "Low certainty that it fails.", "studies": 2}
