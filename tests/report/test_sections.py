"""The section functions on a fictional selection: escaped, anchored, labelled."""

from __future__ import annotations

import re

import pytest

from livingreview import report
from livingreview.report.markup import Section

from report_fixtures import selection


def html(section: Section) -> str:
    assert isinstance(section, Section)
    return section._repr_html_()


def test_user_text_is_escaped_in_the_evidence_table(sel):
    out = html(report.evidence_table(sel))
    assert "<script>" not in out
    assert "More marker in patients &lt;script&gt;alert(1)&lt;/script&gt;." in out


def test_claim_with_markup_characters_is_escaped(sel):
    out = html(report.hypothesis(sel))
    assert "an example mechanism &amp; its &lt;consequences&gt;." in out


def test_evidence_rows_are_anchored_and_cite_the_reference_list(sel):
    out = html(report.evidence_table(sel))
    rows = re.findall(r'<tr id="(finding-[^"]+)"', out)
    assert rows == ["finding-roe2018-f1", "finding-doe2020-f1", "finding-doe2020-f2", "finding-exampleblog2021-f1"]
    assert '<a class="cite" href="#ref-doe2020">Doe &amp; Roe, 2020</a>' in out


def test_provenance_badges_and_quotes_on_demand(sel):
    out = html(report.evidence_table(sel))
    assert out.count("<details>") == 4
    assert '<span class="badge badge-prov prov-verified" title="the quote was found verbatim in the source text">quote verified</span>' in out
    assert ">quote not found</span>" in out and ">quote unverified</span>" in out and ">extracted</span>" in out
    assert '<blockquote class="lr-quote">“the marker was higher in patients”</blockquote>' in out
    assert '<p class="lr-locator">paragraph 2</p>' in out
    assert "Extracted from: Roe 2018, Journal of Examples, abstract" in out


def test_secondary_sources_are_labelled_and_point_to_the_finding_they_report(sel):
    out = html(report.evidence_table(sel))
    blog = out[out.index('id="finding-exampleblog2021-f1"'):]
    blog = blog[: blog.index("</tr>")]
    assert ">secondary</span>" in blog
    assert '<a href="#finding-doe2020-f1">Doe &amp; Roe, 2020, finding f1</a>' in blog
    doe = out[out.index('id="finding-doe2020-f1"'):]
    assert ">secondary</span>" not in doe[: doe.index("</tr>")]


def test_population_criteria_and_pem_badge(sel):
    out = html(report.evidence_table(sel))
    assert "12 patients, 10 controls" in out
    assert "1 patient, no controls" in out
    assert '<span class="badge badge-pem pem-required">PEM required</span>' in out
    assert '<span class="badge badge-pem pem-not-required">PEM not required</span>' in out


def test_summary_counts_every_direction_and_the_designs(sel):
    out = html(report.summary(sel))
    tiles = re.findall(r'<span class="lr-tile-n">(\d+)</span> <span class="lr-tile-label">(\w+)</span>', out)
    assert tiles == [("2", "supports"), ("1", "contradicts"), ("1", "mixed"), ("0", "neutral")]
    assert "every work in the review that bears on this hypothesis: 3 works with 4 findings." in out
    assert '<tr><th scope="row">randomized controlled trial</th><td>1</td></tr>' in out


def test_pem_only_variant_states_what_it_dropped(project):
    out = html(report.summary(selection(project, pem_required_only=True)))
    sentence = " ".join(re.sub(r"<[^>]+>", "", out).split())
    assert "It left out 2 works and 2 findings that the full review holds for this hypothesis (pem required only: 2)." in sentence
    assert "This report includes 1 work and 2 findings (all conditions, only studies whose criteria require PEM, all years)." in sentence


def test_predictions_count_findings_by_direction(sel):
    out = html(report.predictions(sel))
    row = out[out.index('id="status-EX1"'):]
    row = row[: row.index("</tr>")]
    assert re.findall(r'data-label="(\w+)" class="num[^"]*">(\d+)<', row) == [
        ("supports", "1"), ("contradicts", "1"), ("mixed", "0"), ("neutral", "0")]
    assert "Findings not tied to a listed prediction" in out


def test_open_questions_link_the_works_raising_them(sel):
    out = html(report.open_questions(sel))
    assert '<li id="q-example-dose"><span class="lr-question">Which dose matters?</span>' in out
    assert 'Raised by <a class="cite" href="#ref-doe2020">Doe &amp; Roe, 2020</a>; <a class="cite" href="#ref-roe2018">Roe, 2018</a>' in out


def test_references_are_anchored(sel):
    out = html(report.references(sel))
    assert re.findall(r'<li id="(ref-[^"]+)">', out) == ["ref-doe2020", "ref-exampleblog2021", "ref-roe2018"]
    assert "Reference style: APA." in out


def test_title_names_the_variant_and_parameters(project):
    out = html(report.title(selection(project, pem_required_only=True)))
    assert '<h1 id="top">The example hypothesis of fatigue</h1>' in out
    assert "Only studies requiring PEM</span> — all conditions · only studies whose criteria require PEM · all years · APA references" in out
    assert "built 2023-11-14 outside a git checkout" in out


def test_custom_parameters_are_named_as_such(project):
    out = html(report.title(selection(project, year_from=2019)))
    assert "Custom parameters</span> — all conditions · any diagnostic criteria · published 2019 or later" in out


def test_provenance_lists_input_hashes_and_parameters(sel, project):
    out = html(report.provenance(sel))
    paths = re.findall(r"<tr><td><code>([^<]+)</code></td>", out)
    assert paths == ["bib/example.bib", "reviews/build.yml", "reviews/hypotheses/example-hypothesis.yml",
                     "reviews/notes/doe2020.yml", "reviews/notes/exampleblog2021.yml", "reviews/notes/roe2018.yml"]
    assert re.search(r'<code class="lr-hash">[0-9a-f]{64}</code>', out)
    assert "citation_style=apa, conditions=all, hypothesis=example-hypothesis, pem_required_only=False" in out
    assert "<dt>Build date</dt><dd>2023-11-14" in out


def test_how_to_cite_gives_an_escaped_bibtex_entry(sel):
    out = html(report.how_to_cite(sel))
    assert "@misc{livingreview:example-hypothesis:all:2023," in out
    assert "author = {Jane Doe and Richard Roe}," in out
    assert "Jane Doe; Richard Roe (2023). The example hypothesis of fatigue: All studies." in out


def test_plot_section_inlines_an_svg_with_a_caption(sel):
    out = html(report.plot(sel, "timeline"))
    assert '<figure class="lr-section lr-figure" id="figure-timeline">' in out
    assert '<svg xmlns:xlink="http://www.w3.org/1999/xlink"' in out
    assert "<figcaption>Findings by year of publication and direction.</figcaption>" in out


def test_unknown_plot_names_the_choices(sel):
    with pytest.raises(report.UnknownPlot, match="unknown plot 'pie'; choose one of: direction_by_design, timeline"):
        report.plot(sel, "pie")


def test_plain_text_form_says_what_the_section_is(sel):
    assert repr(report.evidence_table(sel)) == "Evidence table: 4 findings"
    assert repr(report.summary(sel)) == "3 works, 4 findings"


def test_empty_selection_says_so(project):
    empty = selection(project, conditions="FND")
    empty.notes, empty.evidence = {}, empty.evidence.iloc[0:0]
    assert "No findings match these parameters." in html(report.evidence_table(empty))
    assert "No findings to plot." in html(report.plot(empty, "direction_by_design"))
