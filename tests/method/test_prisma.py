from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET

import livingreview
from livingreview.method import prisma, screening, search
from livingreview.project import Project

from livingreview.method.agreement import Kappa
from livingreview.method.screening_decisions import DualScreening, StageAgreement

from .method_fixtures import DECISIONS_CSV, DUAL_RESOLVED, ROOT

SVG = "{http://www.w3.org/2000/svg}"


def svg_lines(svg: str) -> list[str]:
    """The text lines of an SVG, in drawing order, no-break spaces read as spaces."""
    root = ET.fromstring(svg.encode("utf-8"))
    return ["".join(node.itertext()).replace("\u00a0", " ") for node in root.iter(f"{SVG}text")]


def number(lines: list[str], label: str) -> int:
    [line] = [line for line in lines if line.startswith(label)]
    return int(re.search(r"\(n = (\d+)\)", line).group(1))


def test_the_diagram_shows_every_box_with_its_count(screened):
    lines = svg_lines(prisma.flow_svg(screening.counts(screened.project)))
    assert lines == [
        "Records identified (n = 6):", "• Search of the Example Register (n = 4)",
        "• Reference lists of included works (n = 2)",
        "Records removed before screening:", "• Duplicate records (n = 1)",
        "Records screened (n = 5)", "Records excluded (n = 1)",
        "Reports sought for retrieval (n = 4)", "Reports not retrieved (n = 1)",
        "Reports assessed for eligibility (n = 3)", "Reports excluded (n = 1):", "• wrong population (n = 1)",
        "Records included in review (n = 2)", "• Studies (n = 2)", "• Secondary sources (n = 0)",
        "Identification", "Screening", "Included",
    ]


def test_the_diagram_numbers_match_the_screening_rows(screened):
    with (screened.root / "reviews/screening.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept = [r for r in rows if not r["duplicate_of"]]
    lines = svg_lines(prisma.flow_svg(screening.counts(screened.project)))
    assert number(lines, "Records identified") == len(rows)
    assert number(lines, "• Duplicate records") == len(rows) - len(kept)
    assert number(lines, "Records screened") == len(kept)
    assert number(lines, "Records excluded") == sum(r["title_abstract"] == "exclude" for r in kept)
    assert number(lines, "Reports not retrieved") == sum(r["full_text"] == "not-retrieved" for r in kept)
    assert number(lines, "Reports excluded") == sum(r["full_text"] == "exclude" for r in kept)
    assert number(lines, "Records included") == sum(r["full_text"] == "include" for r in kept)


def test_the_diagram_is_deterministic_and_undated(screened):
    counts = screening.counts(screened.project)
    svg = prisma.flow_svg(counts)
    assert svg == prisma.flow_svg(counts)
    assert "<dc:date>" not in svg
    assert "font-family: 'DejaVu Sans'" in svg


def test_user_text_in_the_diagram_is_escaped_and_never_typeset(screened):
    screened.edit("reviews/search.yml", "title: Search of the Example Register", "title: 'A <b>bold</b> & $x^2$ search'")
    svg = prisma.flow_svg(screening.counts(screened.project))
    assert "<b>" not in svg and "&lt;b&gt;bold&lt;/b&gt; &amp; $x^2$" in svg
    assert "• A <b>bold</b> & $x^2$ search (n = 4)" in svg_lines(svg)


def test_a_long_source_title_wraps_but_keeps_its_count_whole(screened):
    screened.edit("reviews/search.yml", "title: Search of the Example Register",
                  "title: A search of the Example Register and the Register of Invented Trials, both of them")
    lines = svg_lines(prisma.flow_svg(screening.counts(screened.project)))
    assert lines[1:3] == ["• A search of the Example Register and the Register of", "   Invented Trials, both of them (n = 4)"]


def test_the_methods_paragraph_states_the_counted_numbers(screened):
    counts = screening.counts(screened.project)
    text = prisma.methods_paragraph(counts, search.load(screened.project).searches)
    assert text == (
        "We identified 6 records from 2 sources of records: Search of the Example Register (4 records; run 2020-05-01) and "
        "Reference lists of included works (2 records; date not recorded). After removing 1 duplicate, 5 records "
        "were screened by title and abstract and 1 excluded; 4 full texts were sought, 1 could not be retrieved, "
        "3 were assessed for eligibility and 1 excluded (wrong population: 1). Each record was screened by one "
        "reviewer. 2 records were included: "
        "2 studies (primary: 2) and 0 secondary sources. See the flow diagram.")


def test_the_methods_paragraph_follows_the_data(screened):
    screened.edit("reviews/search.yml", "records: 2", "records: 3")
    screened.write("reviews/screening.csv", (screened.root / "reviews/screening.csv").read_text()
                   + "koe2015,handsearch,,include,include,,\n")
    counts = screening.counts(screened.project, source_types={"doe2020": "news", "roe2018": "review"})
    text = prisma.methods_paragraph(counts, search.load(screened.project).searches)
    assert text.startswith("We identified 7 records from 2 sources of records: ")
    assert text.endswith("3 records were included: 1 study (review: 1), 1 secondary source (news: 1) and "
                         "1 record not yet classified (no note). See the flow diagram.")


def test_the_methods_paragraph_says_two_reviewers_screened_and_how_well_they_agreed(dual):
    dual.write("reviews/screening-decisions.csv", DECISIONS_CSV + DUAL_RESOLVED)
    review = livingreview.load(dual.project)
    text = prisma.methods_paragraph(review.flow_counts, review.search_log.searches, review.dual_screening)
    # the kappas of tests/method/test_screening_decisions.py: 6/11 (CI cut at 1) and 1
    assert ("and 1 excluded (wrong population: 1). Records were screened independently by two reviewers; agreement at "
            "title/abstract: κ = 0.55 (95% CI \u22120.16 to 1.00), 5 records, 80% agreement, 1 disagreement resolved; at "
            "full text: κ = 1.00 (95% CI 1.00 to 1.00), 3 of 4 records, 100% agreement. 2 records were included") in text
    title, body = prisma.index_section(review.search_log, review.flow_counts, review.screening_rows, review.dual_screening)
    assert "Records were screened independently by two reviewers; agreement at title/abstract: κ = 0.55" in body


def test_the_screening_sentence_when_kappa_is_undefined_or_no_record_was_screened_twice():
    alike = StageAgreement("title-abstract", 4, Kappa(4, 1.0, None, None, None), 0)
    single = StageAgreement("full-text", 2, Kappa(0, 0.0, None, None, None), 0)
    assert prisma.screening_sentence(DualScreening((alike, single), ())) == (
        "Records were screened independently by two reviewers; agreement at title/abstract: κ not defined (every "
        "decision was the same), 4 records, 100% agreement; at full text: no record was screened by two reviewers.")
    assert prisma.screening_sentence(None) == "Each record was screened by one reviewer."
    nothing = StageAgreement("title-abstract", 0, Kappa(0, 0.0, None, None, None), 0)
    assert prisma.screening_sentence(DualScreening((nothing,), ())) == (
        "Records are to be screened independently by two reviewers; none has been screened yet.")


def test_counts_as_data(screened):
    data = prisma.counts_dict(screening.counts(screened.project))
    assert data == {
        "assessed_for_eligibility": 3, "duplicates_removed": 1,
        "excluded_at_full_text": {"by_reason": {"wrong population": 1}, "total": 1},
        "excluded_at_screening": 1,
        "identified": {"by_search": [{"records": 4, "search": "registry", "title": "Search of the Example Register"},
                                     {"records": 2, "search": "handsearch", "title": "Reference lists of included works"}],
                       "total": 6},
        "included": {"by_source_type": {"primary": 2}, "secondary_sources": 0, "studies": 2, "total": 2,
                     "unclassified": 0},
        "not_retrieved": 1, "screened": 5, "sought_for_retrieval": 4,
    }
    assert json.dumps(data) == json.dumps(data, sort_keys=True)


def test_the_excluded_table_lists_each_exclusion_escaped(screened):
    screened.edit("reviews/screening.csv", "healthy volunteers only", "<script>healthy</script> & only")
    assert prisma.excluded_table_html(screening.read(screened.project)) == (
        '<table class="excluded"><thead><tr><th>Record</th><th>Search</th><th>Stage</th><th>Reason</th>'
        "<th>Notes</th></tr></thead><tbody>"
        "<tr><td>poe2019</td><td>registry</td><td>title/abstract</td><td>not about fatigue mechanisms</td>"
        "<td>an invented conference abstract</td></tr>"
        "<tr><td>moe2017</td><td>registry</td><td>full text</td><td>wrong population</td>"
        "<td>&lt;script&gt;healthy&lt;/script&gt; &amp; only</td></tr>"
        "<tr><td>zoe2016</td><td>registry</td><td>not retrieved</td><td></td><td></td></tr>"
        "</tbody></table>")


def test_no_exclusions_say_so(screened):
    screened.write("reviews/screening.csv", "record,search,duplicate_of,title_abstract,full_text,exclusion_reason,notes\n"
                   "doe2020,registry,,include,include,,\n")
    assert prisma.excluded_table_html(screening.read(screened.project)) == '<p class="excluded-none">No record was excluded.</p>'


def test_the_index_section(screened):
    screened.edit("reviews/search.yml", "method: fatigue AND example", "method: fatigue AND <example>")
    review = livingreview.load(screened.project)
    title, body = prisma.index_section(review.search_log, review.flow_counts, review.screening_rows)
    assert title == "How the studies were found"
    assert body.startswith("<p>We identified 6 records from 2 sources of records: ")
    assert '<p class="search-note">An invented search log.</p>' in body
    assert "<td>fatigue AND &lt;example&gt;</td>" in body and "<td>not recorded</td>" in body
    assert '<figure class="prisma" id="prisma"><svg ' in body and "<?xml" not in body
    assert '<table class="excluded">' in body
    root = ET.fromstring(body[body.index("<svg"):body.index("</svg>") + 6])
    assert root.tag == f"{SVG}svg"


def test_the_real_review_diagram_parses_and_has_no_exclusions():
    lines = svg_lines(prisma.flow_svg(screening.counts(Project(ROOT), source_types={})))
    assert number(lines, "Records identified") == 49
    assert (number(lines, "Records excluded"), number(lines, "Reports excluded")) == (0, 0)


def test_the_flow_diagram_ignores_the_settings_of_the_machine_that_draws_it(screened):
    import matplotlib

    counts = screening.counts(screened.project)
    plain = prisma.flow_svg(counts)
    with matplotlib.rc_context({"lines.linewidth": 9.0, "font.size": 20.0, "patch.edgecolor": "#ff0000",
                                "svg.fonttype": "path"}):
        assert prisma.flow_svg(counts) == plain
