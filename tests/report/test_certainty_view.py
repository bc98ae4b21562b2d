"""The certainty section: each prediction's level with its direction, starting level, every GRADE
domain that applies with its reason sentence (escaped), the studies rated and the context listed; in a
PEM-only report, how the ratings move."""

from __future__ import annotations

import re

import livingreview
from livingreview import report
from livingreview.report.certainty_view import certainty_view, level_class

from .report_fixtures import HYPOTHESIS_ID, html, row, words

NO_FLAGS = "    flags: []"
FLAG = "    flags:\n      - finding: doe2020#f1\n        reason: '<script>alert(2)</script> blood, not brain'\n"


def load(project):
    return livingreview.load(project.root, sources=project.sources)


def levels(markup: str) -> list[str]:
    return re.findall(r'<span class="badge badge-cert cert-[a-z-]+">([^<]+)</span>', markup)


def test_every_domain_that_applies_is_shown_with_its_reason_sentence_escaped(review_project):
    review_project.edit("reviews/certainty.yml", NO_FLAGS, FLAG)
    out = html(report.certainty(load(review_project).select(HYPOTHESIS_ID)))
    assert "<script>" not in out
    ex1 = row(out, "certainty-EX1")
    assert re.findall(r'<li data-rule="([a-z_]+)">(.*?) <span class="lr-levels">−1 level</span></li>', ex1) == [
        ("risk_of_bias", "Risk of bias: doe2020 (high)."),
        ("indirectness", "Indirect measure: doe2020#f1 (&lt;script&gt;alert(2)&lt;/script&gt; blood, not brain)."),
        ("imprecision", "Imprecision: 22 participants in all (doe2020 n = 22), fewer than 400."),
    ]
    assert levels(ex1) == ["very low"] and '<span class="lr-small">starts at low</span>' in ex1
    ex2 = row(out, "certainty-EX2")
    assert re.findall(r'<li data-rule="([a-z_]+)">', ex2) == ["imprecision"]  # roe2018 is at low risk of bias
    assert levels(ex2) == ["moderate"] and '<span class="lr-small">starts at high</span>' in ex2


def test_each_rating_says_which_way_the_evidence_points(sel):
    out = html(report.certainty(sel))
    statements = re.findall(r'<p class="lr-certainty-statement">(.*?)</p>', out)
    assert len(statements) == len(sel.hypothesis.predictions)
    assert all(s.split(" ", 1)[0] in ("High", "Moderate", "Low", "Very", "No") for s in statements)
    assert all(("certainty" in s) or s.startswith("No primary study") for s in statements)


def test_overall_rating_rules_file_and_works_rated_and_context(sel):
    out = html(report.certainty(sel))
    assert '<h2 id="certainty">How certain is the evidence</h2>' in out
    assert "(rules: reviews/certainty.yml)" in out and "<code>reviews/certainty.yml</code>" in out
    assert words(out[out.index('class="lr-certainty-overall"'):]).startswith(
        'class="lr-certainty-overall"> Overall ⊕◯◯◯ very low — the lowest among the predictions that have evidence '
        '(the hypothesis marks none as critical).')
    ex1 = row(out, "certainty-EX1")
    assert '<span class="lr-label">Rated</span> <a class="cite" href="#ref-doe2020">Doe &amp; Roe, 2020</a>' in ex1
    assert ('<li><a class="cite" href="#ref-exampleblog2021">Example Health Blog, 2021</a> '
            '<span class="lr-small">secondary source (blog post): reports others&#39; work</span></li>') in ex1
    assert "Context, not rated" in ex1 and "Context, not rated" not in row(out, "certainty-EX2")
    assert repr(report.certainty(sel)) == "Certainty: very low overall (reviews/certainty.yml)"


def test_the_comparison_with_all_studies_appears_only_in_a_pem_only_report(review):
    assert "lr-certainty-compare" not in html(report.certainty(review.select(HYPOTHESIS_ID)))
    out = html(report.certainty(review.select(HYPOTHESIS_ID, pem_required_only=True)))
    table = out[out.index('<table class="lr-certainty-compare">'):]
    assert "All studies → PEM-required only" in out
    rows = [words(r) for r in re.findall(r"<tr[^>]*>\s*<th scope=\"row\".*?</tr>", table, flags=re.S)]
    assert rows == ["EX1 very low very low same —", "EX2 moderate no evidence lower roe2018", "Overall very low very low same —"]


def test_a_prediction_without_evidence_says_so(review):
    out = html(report.certainty(review.select(HYPOTHESIS_ID, pem_required_only=True)))
    ex2 = row(out, "certainty-EX2")
    assert levels(ex2) == ["no evidence"] and "starts at" not in ex2
    assert "No evidence: no primary study in this report bears on this prediction." in ex2
    empty = html(report.certainty(review.select(HYPOTHESIS_ID, conditions="FND")))
    assert "Overall no evidence — no critical prediction has a primary study in this report." in words(empty)


def test_the_comparison_keeps_the_other_parameters(review):
    view = certainty_view(review.select(HYPOTHESIS_ID, pem_required_only=True, year_from=2019))
    # with 2019 or later, roe2018 is out of both ratings, so nothing is left out by the PEM filter
    assert [(r["prediction"], r["level_all"], r["level_filtered"], r["works_dropped"]) for r in view.comparison] == [
        ("EX1", "very low", "very low", []), ("EX2", "no evidence", "no evidence", []),
        ("overall", "very low", "very low", [])]


def test_level_class_is_css_safe():
    assert [level_class(v) for v in ("very low", "no evidence", "High", "<b>")] == ["very-low", "no-evidence", "high", "b"]
