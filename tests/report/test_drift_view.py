"""The claim-drift section: where a secondary source's account differs from the study it
reports, and the differences its note records (human-written, shown escaped)."""

from __future__ import annotations

import re

import livingreview
from livingreview import report
from livingreview.reads import report_inputs

from .report_fixtures import HYPOTHESIS_ID, html, words

OTHER_HYPOTHESIS = """\
id: other-example
title: Another example hypothesis
claim: Fatigue follows from another example mechanism.
mechanism:
  - Another marker falls.
predictions:
  - id: OT1
    statement: Patients have less of the other marker.
conditions: [ME/CFS]
proposed_by: [doe2020]
"""

DOE_OTHER_FINDING = """\
  - id: f3
    statement: Less of the other marker in patients.
    hypothesis: other-example
    prediction: OT1
    direction: supports
    kind: observed
    extracted_from: Doe 2020, results
    stated:
      n: 22
"""

BLOG_OTHER_FINDING = """\
  - id: f2
    statement: The blog says the other marker halved in 99 people.
    hypothesis: other-example
    prediction: OT1
    direction: supports
    kind: inferred
    extracted_from: Example Health Blog 2021
    paraphrases: doe2020#f3
    stated:
      n: 99
"""


#: the fixture's blog against the study it reports (tests/report/report_fixtures.py)
BLOG_ROWS = [
    "Example Health Blog, 2021 finding f1 n = 30 Doe &amp; Roe, 2020 finding f1 12 patients, 10 controls sample size",
    "Example Health Blog, 2021 finding f1 doubled Doe &amp; Roe, 2020 finding f1 no numbers stated numbers",
]


def rows(markup: str) -> list[str]:
    body = markup[markup.index("<tbody>"):markup.index("</tbody>")]
    return [words(r) for r in re.findall(r"<tr>.*?</tr>", body, flags=re.S)]


def test_each_difference_names_both_sides_and_the_aspect(sel):
    out = html(report.claim_drift(sel))
    assert '<h2 id="claim-drift">Where secondary sources differ from the studies</h2>' in out
    assert rows(out) == BLOG_ROWS
    assert ('<a class="cite" href="#ref-exampleblog2021">Example Health Blog, 2021</a>'
            '<span class="lr-small"><a href="#finding-exampleblog2021-f1">finding f1</a></span>') in out
    assert '<span class="lr-small"><a href="#finding-doe2020-f1">finding f1</a></span>' in out
    assert repr(report.claim_drift(sel)) == "Claim drift: 2 differences, 1 annotated source"


def test_the_notes_discrepancies_are_shown_escaped(sel):
    out = html(report.claim_drift(sel))
    notes = out[out.index('<dl class="lr-discrepancies">'):]
    assert '<dt><a class="cite" href="#ref-exampleblog2021">Example Health Blog, 2021</a></dt>' in notes
    assert "<li>The blog says the marker &#34;doubled&#34;; the study gives &lt;b&gt;no&lt;/b&gt; figure.</li>" in notes
    assert "<b>" not in out


def test_differences_about_another_hypothesis_are_left_out(review_project):
    review_project.write("reviews/hypotheses/other-example.yml", OTHER_HYPOTHESIS)
    review_project.edit("reviews/notes/doe2020.yml", "remaining_questions:", DOE_OTHER_FINDING + "remaining_questions:")
    review_project.edit("reviews/notes/exampleblog2021.yml", "discrepancies:", BLOG_OTHER_FINDING + "discrepancies:")
    review = livingreview.load(review_project.root, sources=review_project.sources)
    assert rows(html(report.claim_drift(review.select(HYPOTHESIS_ID)))) == BLOG_ROWS
    other = rows(html(report.claim_drift(review.select("other-example"))))
    assert other == ["Example Health Blog, 2021 finding f2 n = 99 Doe &amp; Roe, 2020 finding f3 "
                     "stated n = 22; 12 patients, 10 controls sample size"]


def test_a_study_outside_the_selection_is_shown_and_listed_as_an_input(review_project, review):
    sel = review.select(HYPOTHESIS_ID, year_from=2021)  # keeps the 2021 blog, not the 2020 study
    assert sorted(sel.notes) == ["exampleblog2021"]
    out = html(report.claim_drift(sel))
    assert rows(out) == BLOG_ROWS
    assert '<span class="lr-small">finding f1</span>' in out  # the study's row is not in this report's table
    assert "reviews/notes/doe2020.yml" in report_inputs(sel)


def test_no_drift_says_so_in_one_sentence(review):
    out = html(report.claim_drift(review.select(HYPOTHESIS_ID, conditions="MS")))
    assert words(out) == ("Where secondary sources differ from the studies No secondary source in this report is "
                          "recorded as differing from a study it reports.")
