"""The section functions on a real (fictional) review: escaped, anchored, labelled."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

import pytest

from livingreview import report

from .report_fixtures import HYPOTHESIS_ID, html, row, words


def test_user_text_is_escaped_in_the_evidence_table(sel):
    out = html(report.evidence_table(sel))
    assert "<script>" not in out
    assert "More marker in patients &lt;script&gt;alert(1)&lt;/script&gt; &amp; controls." in out


def test_evidence_rows_are_ordered_anchored_and_cite_the_reference_list(sel):
    out = html(report.evidence_table(sel))
    assert re.findall(r'<tr id="(finding-[^"]+)"', out) == [
        "finding-roe2018-f1", "finding-doe2020-f1", "finding-doe2020-f2", "finding-exampleblog2021-f1"]
    assert '<a class="cite" href="#ref-doe2020">Doe &amp; Roe, 2020</a>' in row(out, "finding-doe2020-f1")
    assert '<a href="#prediction-EX1">EX1</a>' in row(out, "finding-doe2020-f1")


def test_provenance_badges_with_quote_and_locator_on_demand(sel):
    out = html(report.evidence_table(sel))
    verified = row(out, "finding-doe2020-f1")
    assert '<summary><span class="badge badge-prov prov-verified" title="the quote was found verbatim in the source text">quote verified</span></summary>' in verified
    assert '<blockquote class="lr-quote">“the marker was &#34;clearly higher&#34; in patients&#39; blood”</blockquote>' in verified
    assert '<p class="lr-locator">paragraph 2</p>' in verified
    extracted = row(out, "finding-roe2018-f1")
    assert ">extracted</span></summary>" in extracted
    assert "Extracted from: Roe 2018, Journal of Examples, results" in extracted


def test_unverified_and_failed_quotes_say_so(review_project, sel):
    import livingreview

    unchecked = livingreview.load(review_project.root).select(HYPOTHESIS_ID)  # no source texts, no quote record
    assert ">quote unverified</span>" in row(html(report.evidence_table(unchecked)), "finding-exampleblog2021-f1")
    evidence = sel.evidence.copy()
    evidence.loc[evidence["key"] == "exampleblog2021", "provenance"] = "failed"
    failed = html(report.evidence_table(dataclasses.replace(sel, evidence=evidence)))
    assert ('<span class="badge badge-prov prov-failed" title="the quote was not found in the source text; '
            'treat the finding with caution">quote not found</span>') in row(failed, "finding-exampleblog2021-f1")


def test_secondary_sources_are_labelled_and_link_the_finding_they_report(sel):
    out = html(report.evidence_table(sel))
    blog = row(out, "finding-exampleblog2021-f1")
    assert ">secondary</span>" in blog
    assert '<span class="lr-small">reports <a href="#finding-doe2020-f1">Doe &amp; Roe, 2020, finding f1</a></span>' in blog
    assert ">secondary</span>" not in row(out, "finding-doe2020-f1")


def test_population_criteria_and_pem_badge(sel):
    out = html(report.evidence_table(sel))
    assert "12 patients, 10 controls" in row(out, "finding-doe2020-f1")
    assert "40 patients, no controls" in row(out, "finding-roe2018-f1")
    assert "patients: not stated, controls: not stated" in row(out, "finding-exampleblog2021-f1")
    assert '<span class="badge badge-facet facet-required">PEM required</span>' in row(out, "finding-doe2020-f1")
    assert '<span class="badge badge-facet facet-not-required">PEM not required</span>' in row(out, "finding-roe2018-f1")
    assert '<span class="badge badge-facet facet-unknown">PEM unknown</span>' in row(out, "finding-exampleblog2021-f1")


def test_summary_counts_the_findings_of_primary_studies_and_context_apart(sel):
    out = html(report.summary(sel))
    tiles = re.findall(r'<span class="lr-tile-n">(\d+)</span> <span class="lr-tile-label">(\w+)</span>', out)
    assert tiles == [("2", "supports"), ("0", "contradicts"), ("1", "mixed"), ("0", "neutral")]  # the blog is not counted
    assert ("1 finding of 1 context source (secondary sources, reviews, registrations) is listed in the evidence "
            "table but not counted") in words(out)
    assert "every work in the review that bears on this hypothesis: 3 works with 4 findings." in out
    assert words(out[out.index('id="works-by-pem">') + 18:]).startswith("PEM required 1 PEM not required 1 PEM unknown 1")


def test_pem_only_variant_states_what_it_dropped(review):
    out = words(html(report.summary(review.select(HYPOTHESIS_ID, pem_required_only=True))))
    assert ("This report includes 1 work and 2 findings (all conditions, only studies whose criteria require PEM, "
            "all years). It leaves out 2 works and 2 findings that the review holds on this hypothesis: "
            "2 works (2 findings) with diagnostic criteria not shown to require PEM (criteria that do not require it, or not stated).") in out


def test_the_reasons_read_as_a_sentence_for_every_filter(review):
    out = words(html(report.summary(review.select(HYPOTHESIS_ID, conditions="MS", year_from=2019))))
    assert ("It leaves out 3 works and 4 findings that the review holds on this hypothesis: 2 works (3 findings) with "
            "populations that do not include the chosen condition; 1 work (1 finding) with a publication year outside "
            "the chosen years (or none recorded).") in out


def test_predictions_count_findings_by_direction(sel):
    out = html(report.predictions(sel))
    cells = re.findall(r'data-label="(\w+)" class="num[^"]*">(\d+)<', row(out, "status-EX1"))
    # doe2020 supports; the blog's finding on EX1 is context: counted apart, never in the total
    assert cells == [("supports", "1"), ("contradicts", "0"), ("mixed", "0"), ("neutral", "0"), ("context", "1")]
    assert "Findings not tied to a listed prediction" in out


def test_open_questions_link_the_works_or_the_hypothesis_raising_them(sel):
    out = html(report.open_questions(sel))
    assert out.count('<span class="badge badge-q q-open" title="no work in the review addresses or tests it yet">open</span>') == 2
    assert re.findall(r'<li id="(q-[^"]+)">', out) == ["q-example-cause", "q-example-dose"]
    assert 'Raised by <a class="cite" href="#ref-doe2020">Doe &amp; Roe, 2020</a>' in out
    assert 'Raised by <a href="#hypothesis-statement">the hypothesis</a>' in out


TRIAL_BIB = """
@misc{poe2024,
  author = {Poe, Alex},
  title = {An example registered trial},
  year = {2024},
}
"""

TRIAL_NOTE = """\
key: poe2024
source_type: trial-registration
design: planned-trial
population:
  conditions: [ME/CFS]
criteria: [CCC]
tests_questions: [q-example-cause]
quick_summary: An invented trial registration.
why_it_matters: It will test whether the marker comes first.
"""


def test_each_question_shows_its_status_in_the_register(review_project):
    import livingreview

    review_project.write("bib/references.bib", (review_project.root / "bib" / "references.bib").read_text() + TRIAL_BIB)
    review_project.write("reviews/notes/poe2024.yml", TRIAL_NOTE)
    review_project.edit("reviews/notes/roe2018.yml", "    direction: mixed\n",
                        "    direction: mixed\n    addresses: [q-example-dose]\n")
    sel = livingreview.load(review_project.root).select(HYPOTHESIS_ID)
    out = html(report.open_questions(sel))
    badges = re.findall(r'<li id="(q-[^"]+)">.*?<span class="badge badge-q q-([a-z-]+)" title="([^"]+)">([^<]+)</span>',
                        out)
    assert badges == [
        ("q-example-cause", "being-tested", "a planned or registered trial in the review tests it", "being tested"),
        ("q-example-dose", "addressed", "a finding in the review addresses it", "addressed"),
    ]
    assert repr(report.open_questions(sel)) == "2 questions, 0 open"
    assert repr(report.open_questions(livingreview.load(review_project.root).select(HYPOTHESIS_ID, conditions="FND"))) \
        == "1 question, 0 open"


def test_references_are_formatted_and_anchored(sel):
    out = html(report.references(sel))
    assert re.findall(r'<li id="(ref-[^"]+)">', out) == ["ref-doe2020", "ref-exampleblog2021", "ref-roe2018"]
    assert "Doe, J., &amp; Roe, R. (2020). An example study of fatigue. <i>Journal of Examples</i>." in out


def test_the_selection_s_citation_style_numbers_the_citations(review):
    vancouver = review.select(HYPOTHESIS_ID, citation_style="vancouver")
    table = html(report.evidence_table(vancouver))
    assert '<a class="cite" href="#ref-doe2020">Doe &amp; Roe, 2020 [1]</a>' in table
    assert "Reference style: Vancouver." in html(report.references(vancouver))
    assert "Reference style: APA." in html(report.references(review.select(HYPOTHESIS_ID)))


def test_title_names_the_variant_and_parameters(review):
    out = html(report.title(review.select(HYPOTHESIS_ID, pem_required_only=True)))
    assert '<h1 id="top">The example hypothesis of fatigue</h1>' in out
    assert ("Only studies requiring PEM</span> — all conditions · only studies whose criteria require PEM · "
            "all years · APA references") in out
    assert "Jane Doe, Richard Roe · built 2023-11-14 outside a git checkout" in out


def test_parameters_outside_build_yml_are_named_custom(review):
    out = html(report.title(review.select(HYPOTHESIS_ID, year_from=2019, citation_style="harvard")))
    assert "Custom parameters</span> — all conditions · any diagnostic criteria · published 2019 or later · Harvard references" in out


def test_provenance_lists_input_hashes_and_parameters(sel):
    out = html(report.provenance(sel))
    # exactly what the cache key hashes (livingreview.reads): files by their bytes, bibliography entries,
    # derived values; a review-wide file the project does not have is listed as absent
    assert re.findall(r"<tr><td><code>([^<]+)</code></td>", out) == [
        "bib/references.bib#doe2020", "bib/references.bib#exampleblog2021", "bib/references.bib#roe2018",
        "flow diagram counts", "notebooks/example-fatigue.ipynb", "reviews/build.yml", "reviews/certainty.yml",
        "reviews/hypotheses/example-fatigue.yml", "reviews/notes/doe2020.yml", "reviews/notes/exampleblog2021.yml",
        "reviews/notes/roe2018.yml", "reviews/risk-of-bias.yml", "reviews/screening-decisions.csv",
        "reviews/screening-queue.csv", "reviews/screening.csv", "reviews/search-runs.csv", "reviews/search.yml",
        "reviews/vocabulary.yml", "risk of bias data", "selection data",
        "works left out"]
    assert len(re.findall(r'<code class="lr-hash">[0-9a-f]{64}</code>', out)) == 15  # the decisions, runs and queue files are absent
    note = sel.review.project.root / "reviews" / "notes" / "doe2020.yml"
    assert hashlib.sha256(note.read_bytes()).hexdigest() in out  # a reader can check a file with sha256sum
    assert ("citation_style=apa, conditions=all, hypothesis=example-fatigue, pem_required_only=False, "
            "year_from=None, year_to=None") in out
    assert "<dt>Build date</dt><dd>2023-11-14" in out
    assert "none: built outside a git checkout" in out


def test_how_to_cite_gives_an_escaped_bibtex_entry(review_project, review):
    out = html(report.how_to_cite(review.select(HYPOTHESIS_ID)))
    assert "@misc{livingreview:example-fatigue:all:2023," in out
    assert "author = {Jane Doe and Richard Roe}," in out
    assert "Jane Doe; Richard Roe (2023). The example hypothesis of fatigue: All studies." in out


def test_plot_section_inlines_an_svg_with_a_caption(sel):
    out = html(report.plot(sel, "timeline"))
    assert '<figure class="lr-section lr-figure" id="figure-timeline">' in out
    assert '<svg xmlns:xlink="http://www.w3.org/1999/xlink"' in out and 'id="plot-timeline-svg"' in out
    assert "<figcaption>Findings of primary studies by year of publication and direction.</figcaption>" in out


def test_unknown_plot_names_the_choices(sel):
    with pytest.raises(report.UnknownPlot, match="unknown plot 'pie'; choose one of: direction_by_design, risk_of_bias, risk_of_bias_summary, timeline"):
        report.plot(sel, "pie")


def test_plain_text_form_says_what_the_section_is(sel):
    assert repr(report.evidence_table(sel)) == "Evidence table: 4 findings"
    assert repr(report.summary(sel)) == "3 works, 4 findings"


def test_empty_selection_says_so(review):
    empty = review.select(HYPOTHESIS_ID, conditions="FND")
    assert "No findings match these parameters." in html(report.evidence_table(empty))
    assert "No findings of primary studies to plot." in html(report.plot(empty, "direction_by_design"))
    assert "It leaves out 3 works and 4 findings" in words(html(report.summary(empty)))


# --- effect estimates ---------------------------------------------------------------------------

from .report_fixtures import add_effects  # noqa: E402


@pytest.fixture
def effects_review(review_project):
    import livingreview

    add_effects(review_project)
    return livingreview.load(review_project.root, sources=review_project.sources)


def _block(markup: str, anchor: str) -> str:
    start = markup.index(f'id="{anchor}"')
    end = markup.find('<div class="lr-effects-prediction"', start + 1)
    return markup[start:end if end > 0 else len(markup)]


def test_effects_draw_each_prediction_with_its_table_and_pooled_result(effects_review):
    section = report.effects(effects_review.select(HYPOTHESIS_ID))
    assert repr(section) == "Effect estimates: 3 estimates, 1 pooled"
    markup = html(section)
    ex2 = _block(markup, "effects-EX2")
    assert ex2.count("<svg") == 1 and 'id="figure-forest-ex2"' in ex2
    assert '<a class="cite" href="#ref-roe2018">Roe, 2018</a>' in ex2 and 'href="#finding-roe2018-f1"' in ex2
    assert "-7.5 to -0.5" in words(ex2) and "drug 20, placebo 20 (40 in all)" in words(ex2)
    # roe2018 -4 [-7.5, -0.5] and poe2022 -2 [-4, 0]: inverse-variance weights 1/1.75² and 1/1² (in units of 1/1.96²)
    w1, w2 = 1 / 3.5**2, 1 / 2.0**2
    fixed = (w1 * -4.0 + w2 * -2.0) / (w1 + w2)
    assert f"mean difference {fixed:.2f} (95% CI" in words(ex2)
    assert "I² = 0%" in words(ex2)


def test_a_single_estimate_is_drawn_but_not_pooled_and_a_blogs_number_is_never_drawn(effects_review):
    ex1 = _block(html(report.effects(effects_review.select(HYPOTHESIS_ID))), "effects-EX1")
    assert "Not pooled: one estimate." in words(ex1)
    svg = ex1[ex1.index("<svg"):ex1.index("</svg>")]
    assert "Doe &amp; Roe, 2020" in svg and "Example Health Blog" not in svg
    table = ex1[ex1.index("<table"):ex1.index("</table>")]
    assert "exampleblog2021" not in table
    assert "Not drawn" in words(ex1) and "#ref-exampleblog2021" in ex1


def test_the_pem_report_keeps_one_estimate_for_ex2_and_says_so(effects_review):
    ex2 = _block(html(report.effects(effects_review.select(HYPOTHESIS_ID, pem_required_only=True))), "effects-EX2")
    assert "roe2018" not in ex2 and "Not pooled: one estimate." in words(ex2)


def test_a_report_without_any_estimate_says_so_once_and_draws_nothing(sel):
    markup = html(report.effects(sel))
    assert "<svg" not in markup and "<table" not in markup and 'id="effects-EX1"' not in markup
    assert words(markup).count("No work in this report states an effect estimate") == 1


def test_effects_html_is_the_same_every_time_and_escapes_the_outcome(review_project, effects_review):
    import livingreview

    first = html(report.effects(effects_review.select(HYPOTHESIS_ID)))
    assert first == html(report.effects(livingreview.load(review_project.root).select(HYPOTHESIS_ID)))
    review_project.edit("reviews/notes/poe2022.yml", "outcome: fatigue score (invented scale)",
                        "outcome: 'fatigue <b>score</b> & $x$'")
    markup = html(report.effects(livingreview.load(review_project.root).select(HYPOTHESIS_ID)))
    assert "<b>score</b>" not in markup and "fatigue &lt;b&gt;score&lt;/b&gt; &amp; $x$" in markup
    assert "Not pooled: estimates are of different outcomes" in words(markup)


def test_a_pem_only_report_says_why_the_works_it_left_out_do_not_count(review):
    out = words(html(report.summary(review.select(HYPOTHESIS_ID, pem_required_only=True))))
    assert ("Of the works left out for their criteria, 1 states criteria that do not require post-exertional "
            "malaise and 1 states no criteria that show it.") in out
    empty = words(html(report.summary(review.select(HYPOTHESIS_ID, pem_required_only=True, conditions="MS"))))
    assert ("this report is empty partly for lack of stated criteria and partly because studies used criteria that "
            "do not require it.") in empty


def test_a_summary_of_findings_without_evidence_on_a_critical_prediction_says_so(review):
    out = words(html(report.summary_of_findings(review.select(HYPOTHESIS_ID, conditions="FND"))))
    assert "Overall: no evidence — no primary study in this report bears on a critical prediction." in out
    assert "the lowest among" not in out


RETRACTIONS = Path(__file__).parents[1] / "bib" / "fixtures" / "retractions" / "retraction_watch.csv"


def test_a_report_citing_a_retracted_work_says_so_under_its_title(review_project):
    import livingreview
    from livingreview.reads import report_inputs

    review_project.edit("bib/references.bib", "  year = {2020},\n", "  year = {2020},\n  doi = {10.5555/example.doe2020},\n")
    plain = livingreview.load(review_project.root, sources=review_project.sources)
    flagged = livingreview.load(review_project.root, sources=review_project.sources, retractions=RETRACTIONS)
    assert list(flagged.retractions) == ["doe2020"]
    out = html(report.title(flagged.select(HYPOTHESIS_ID)))
    assert 'class="lr-banner lr-banner-retracted" role="alert"' in out
    assert "This report cites retracted work." in out
    assert "(doe2020) is retracted since 3/1/2022 (Retraction Watch record 90001, notice 10.5555/retract.0001)" in out
    assert "lr-banner" not in html(report.title(plain.select(HYPOTHESIS_ID)))
    inputs = report_inputs(flagged.select(HYPOTHESIS_ID))
    assert "retraction notices" in inputs and "retraction notices" not in report_inputs(plain.select(HYPOTHESIS_ID))


def test_a_long_provenance_list_prints_its_first_rows_and_says_where_the_rest_are(sel):
    from livingreview.pdf import pdf_html

    assert "lr-pdf-omit" not in str(report.provenance(sel))  # a short list prints whole
    big = dataclasses.replace(sel)
    big.__dict__["inputs"] = {f"reviews/notes/work{n:03d}.yml": f"{n:064x}" for n in range(150)}
    html = str(report.provenance(big))
    assert html.count(".yml</code>") == 150 and html.count('class="lr-pdf-omit"') == 125
    assert "This printed list shows the first 25 of the 150 inputs" in html and 'href="../../manifest.json"' in html
    printed = pdf_html(html)
    assert "work024.yml" in printed and "work025.yml" not in printed and "work149.yml" not in printed
