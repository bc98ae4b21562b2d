"""The risk-of-bias section and figures over the report tests' fictional review."""

from __future__ import annotations

import re

import livingreview
from livingreview import report
from livingreview.report import plots
from livingreview.report.rob_view import rob_tables

from .report_fixtures import HYPOTHESIS_ID, html, words

ROE = "reviews/notes/roe2018.yml"
DOE = "reviews/notes/doe2020.yml"


def test_one_table_per_tool_with_every_domain_and_the_computed_overall(sel):
    tables = rob_tables(sel)
    assert [(t.tool, [r.key for r in t.rows]) for t in tables] == [("rob2", ["roe2018"]), ("robins-e", ["doe2020"])]
    out = html(report.risk_of_bias(sel))
    assert re.findall(r'<table class="lr-rob-table" id="([^"]+)"', out) == ["risk-of-bias-rob2", "risk-of-bias-robins-e"]
    roe = out[out.index('id="risk-of-bias-roe2018"'):]
    roe = roe[:roe.index("</tr>")]
    assert re.findall(r"badge-rob rob-([a-z-]+)", roe) == [
        "some-concerns", "low", "low", "low", "no-information", "some-concerns"]
    assert "extracted from Roe 2018, Journal of Examples, methods: Randomised; the method of allocation is not described." in words(roe)
    assert 'href="#ref-roe2018"' in roe  # the evidence table's citation link
    doe = out[out.index('id="risk-of-bias-doe2020"'):]
    assert "The record does not say whether assessors knew who was a patient." in doe


def test_a_quote_is_shown_in_quotation_marks_with_its_locator_and_status(review_project):
    review_project.edit(DOE, "      fact: No adjustment for any confounder is reported.\n      extracted_from: Doe 2020, methods\n",
                        "      quote: an invented study\n      locator: paragraph 1\n")
    sel = livingreview.load(review_project.root, sources=review_project.sources).select(HYPOTHESIS_ID)
    out = words(html(report.risk_of_bias(sel)))
    assert "“an invented study” paragraph 1 · quote verified" in out


def test_a_primary_study_without_a_block_is_listed_as_not_assessed(review_project):
    text = (review_project.root / ROE).read_text(encoding="utf-8")
    review_project.write(ROE, text[:text.index("risk_of_bias:")])
    sel = livingreview.load(review_project.root).select(HYPOTHESIS_ID)
    section = report.risk_of_bias(sel)
    assert repr(section) == "Risk of bias: 1 study assessed, 1 not assessed"
    assert "not assessed: the note has no risk-of-bias block" in html(section)
    assert list(plots.draw_rob(rob_tables(sel), {}, "risk_of_bias").data.index) == ["doe2020"]


def test_a_domain_missing_from_the_block_is_said_so(review_project):
    review_project.edit(ROE, "    D5:\n      judgement: no information\n", "")
    sel = livingreview.load(review_project.root).select(HYPOTHESIS_ID)
    assert "not judged in the note; counted as no information" in html(report.risk_of_bias(sel))


def test_nothing_to_assess_is_a_sentence_not_an_empty_figure(review_project):
    for note in (ROE, DOE):
        text = (review_project.root / note).read_text(encoding="utf-8")
        review_project.write(note, text[:text.index("risk_of_bias:")])
    review_project.edit(ROE, "source_type: primary", "source_type: preprint")
    review_project.edit(DOE, "source_type: primary", "source_type: preprint")
    sel = livingreview.load(review_project.root).select(HYPOTHESIS_ID)
    assert "No study in this report is of a design the review assesses for risk of bias." in html(report.risk_of_bias(sel))
    for name in ("risk_of_bias", "risk_of_bias_summary"):
        out = html(report.plot(sel, name))
        assert "<svg" not in out and "No study in this report has a risk-of-bias assessment to plot." in out


def test_the_figures_are_svg_with_their_numbers_beneath_and_the_same_every_time(sel):
    light = report.plot(sel, "risk_of_bias")
    out = html(light)
    assert out.count("<svg") == 1 and 'id="figure-risk-of-bias"' in out
    for symbol in ("+", "−", "×", "?"):  # symbols as text: the plot reads in greyscale
        assert f">{symbol}</text>" in out or f">{symbol}<" in out
    assert "The numbers in this figure" in out
    assert html(report.plot(sel, "risk_of_bias")) == out
    summary = report.plot(sel, "risk_of_bias_summary")
    assert "unweighted" in html(summary)
    assert html(report.plot(sel, "risk_of_bias_summary")) == html(summary)


def test_the_traffic_light_draws_a_disc_in_its_colour_for_each_judgement_one_collection_a_panel(sel):
    drawn = plots.draw_rob(rob_tables(sel), {}, "risk_of_bias")
    judgements = [j for _, row in drawn.data.drop(columns="Tool").iterrows() for j in row if j]
    discs = re.findall(r'<use xlink:href="#[^"]+" x="[^"]+" y="[^"]+" style="fill: (#[0-9a-f]{6})',
                       drawn.svg[:drawn.svg.index("legend_1")])  # the legend's samples are no judgement
    assert sorted(discs) == sorted(plots.JUDGEMENT_STYLE[j][1].lower() for j in judgements)
    # one scatter a panel, not one a disc: a collection each drawn twice (layout, then SVG) grew with the table
    assert drawn.svg.count('PathCollection_') == len(rob_tables(sel))
