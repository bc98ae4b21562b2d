"""The notebook-facing API on the tiny fictional project: load, findings, questions, select."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import livingreview
from livingreview.errors import InputError, ReviewInvalid
from first_review import VOCABULARY, ReportParameters
from livingreview.review import (EVIDENCE_COLUMNS, QUESTION_COLUMNS, SELECTION_QUESTION_COLUMNS, SOURCES_VARIABLE,
                                 UnknownHypothesis, evidence_columns, load, parameters)

DOE = "reviews/notes/doe2020.yml"
ROE = "reviews/notes/roe2018.yml"
HYP = "example-fatigue"


def _na(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _rows(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(None if _na(v) else v for v in row) for row in frame[list(columns)].itertuples(index=False)]


def test_load_gives_the_validated_review_with_its_warnings(tiny_project):
    review = livingreview.load(tiny_project.root)
    assert (sorted(review.hypotheses), sorted(review.notes)) == ([HYP], ["doe2020", "roe2018"])
    assert sorted(review.bibliography) == ["doe2020", "roe2018"]
    assert review.config.title == "An example living review"
    assert {k: c.status for k, c in review.quote_status.items()} == {
        ("doe2020", "f1"): "unverified", ("doe2020", "f2"): "extracted", ("roe2018", "f1"): "extracted"}
    assert [(d.code, d.line) for d in review.diagnostics] == [("QUOTE005", 19)]


def test_load_with_sources_verifies_quotes_but_leaves_the_record_to_check(tiny_project):
    review = load(tiny_project.root, sources=tiny_project.sources)
    assert review.quote_status[("doe2020", "f1")].status == "verified"
    assert review.diagnostics == []
    assert not (tiny_project.root / "reviews" / "quote-record.json").exists()


def test_load_takes_the_sources_folder_from_the_environment(tiny_project, monkeypatch):
    monkeypatch.setenv(SOURCES_VARIABLE, str(tiny_project.sources))
    assert load(tiny_project.root).quote_status[("doe2020", "f1")].status == "verified"
    # an explicit folder wins over the environment
    empty = tiny_project.root.parent / "no-texts"
    empty.mkdir()
    assert load(tiny_project.root, sources=empty).quote_status[("doe2020", "f1")].status == "unverified"
    monkeypatch.setenv(SOURCES_VARIABLE, "")
    assert load(tiny_project.root).quote_status[("doe2020", "f1")].status == "unverified"


def test_load_refuses_a_review_with_errors_and_lists_them(tiny_project):
    tiny_project.edit(ROE, "    prediction: EX2", "    prediction: EX7")
    tiny_project.edit(DOE, "design: case-control", "design: case-contro")
    with pytest.raises(ReviewInvalid) as exc:
        load(tiny_project.root)
    assert [(d.code, d.file, d.line) for d in exc.value.diagnostics] == [("NOTE001", DOE, 3), ("NOTE013", ROE, 15)]
    assert str(exc.value).startswith("the review has 2 error(s); `livingreview check` lists them:\n")


def test_findings_one_row_each_in_a_stable_order_with_fixed_columns(tiny_project):
    findings = load(tiny_project.root, sources=tiny_project.sources).findings()
    assert tuple(findings.columns) == evidence_columns(VOCABULARY)
    assert _rows(findings, "prediction", "key", "finding_id", "provenance") == [
        ("EX1", "doe2020", "f1", "verified"), ("EX2", "roe2018", "f1", "extracted"), (None, "doe2020", "f2", "extracted")]
    first = {k: (None if _na(v) else v) for k, v in findings.iloc[1].items()}
    assert first == {
        "key": "roe2018", "finding_id": "f1", "hypothesis": HYP, "prediction": "EX2", "direction": "mixed",
        "kind": "observed", "statement": "Fatigue fell on the example drug.", "provenance": "extracted", "quote": None,
        "locator": None, "extracted_from": "Roe 2018, Journal of Examples, results", "source_type": "primary",
        "secondary": False, "design": "rct", "randomized": True, "conditions": "MS", "patients": 40, "controls": 0,
        "criteria": "Fukuda", "pem": "not-required", "pem_basis": None, "year": 2018, "title": "An example trial", "paraphrases": None,
        "role": "evidence",
    }
    assert {c: str(findings[c].dtype) for c in ("secondary", "randomized", "patients", "controls", "year", "key")} == {
        "secondary": "bool", "randomized": "bool", "patients": "Int64", "controls": "Int64", "year": "Int64", "key": "str"}


def test_unknown_counts_are_missing_and_several_conditions_are_joined(tiny_project):
    tiny_project.edit(DOE, "  patients: 12\n  controls: 10\n", "")
    tiny_project.edit(DOE, "conditions: [ME/CFS]", "conditions: [ME/CFS, FM]")
    tiny_project.edit(DOE, "criteria: [CCC]", "criteria: [Fukuda, other]")
    row = load(tiny_project.root).findings().iloc[0]
    assert (row["patients"] is pd.NA, row["controls"] is pd.NA) == (True, True)
    assert (row["conditions"], row["criteria"], row["pem"]) == ("ME/CFS; FM", "Fukuda; other", "unknown")


def test_findings_sort_by_finding_number_not_text(tiny_project):
    tiny_project.edit(DOE, "  - id: f1\n", "  - id: f10\n")
    tiny_project.edit(DOE, "    kind: inferred\n", "    kind: inferred\n    prediction: EX1\n")
    findings = load(tiny_project.root).findings()
    assert _rows(findings, "key", "finding_id") == [("doe2020", "f2"), ("doe2020", "f10"), ("roe2018", "f1")]


def test_questions_one_row_per_question_and_file(tiny_project):
    tiny_project.edit(ROE, "why_it_matters: It tests EX2.", "why_it_matters: It tests EX2.\nremaining_questions:\n"
                      "  - id: q-example-dose\n    text: Which dose of the example drug matters?")
    questions = load(tiny_project.root).questions()
    assert tuple(questions.columns) == QUESTION_COLUMNS
    assert _rows(questions, *QUESTION_COLUMNS) == [
        ("q-example-cause", "Does the marker come before fatigue or after it?", HYP, "doe2020"),
        ("q-example-dose", "Which dose of the example drug matters?", HYP, "example-fatigue"),
        ("q-example-dose", "Which dose of the example drug matters?", HYP, "roe2018"),
    ]


def test_select_everything(tiny_project):
    sel = load(tiny_project.root).select(HYP)
    assert sel.hypothesis.id == HYP
    assert sel.parameters == ReportParameters(hypothesis=HYP)
    assert sel.parameters.model_dump() == {"hypothesis": HYP, "conditions": "all", "pem_required_only": False,
                                           "year_from": None, "year_to": None, "citation_style": "apa"}
    assert sorted(sel.notes) == ["doe2020", "roe2018"]
    assert _rows(sel.evidence, "key", "finding_id") == [("doe2020", "f1"), ("roe2018", "f1"), ("doe2020", "f2")]
    assert list(sel.evidence.index) == [0, 1, 2]
    assert sel.dropped == {"works": 0, "findings": 0, "by": {"conditions": (0, 0), "pem": (0, 0), "years": (0, 0)}}
    assert sel.keys == ["doe2020", "roe2018"]


@pytest.mark.parametrize(("parameters", "kept", "dropped"), [
    ({"conditions": "MS"}, ["roe2018"], (1, 2, {"conditions": (1, 2), "pem": (0, 0), "years": (0, 0)})),
    ({"conditions": "FND"}, [], (2, 3, {"conditions": (2, 3), "pem": (0, 0), "years": (0, 0)})),
    ({"pem_required_only": True}, ["doe2020"], (1, 1, {"conditions": (0, 0), "pem": (1, 1), "years": (0, 0)})),
    ({"year_from": 2019}, ["doe2020"], (1, 1, {"conditions": (0, 0), "pem": (0, 0), "years": (1, 1)})),
    ({"year_to": 2019}, ["roe2018"], (1, 2, {"conditions": (0, 0), "pem": (0, 0), "years": (1, 2)})),
    ({"year_from": 2018, "year_to": 2020}, ["doe2020", "roe2018"], (0, 0, {"conditions": (0, 0), "pem": (0, 0), "years": (0, 0)})),
    # a work failing two filters counts under each, once in the totals
    ({"conditions": "MS", "pem_required_only": True}, [], (2, 3, {"conditions": (1, 2), "pem": (1, 1), "years": (0, 0)})),
])
def test_select_filters_works_and_counts_what_it_dropped(tiny_project, parameters, kept, dropped):
    sel = load(tiny_project.root).select(HYP, **parameters)
    assert sorted(sel.notes) == kept
    assert sorted(set(sel.evidence["key"])) == kept
    assert sel.dropped == {"works": dropped[0], "findings": dropped[1], "by": dropped[2]}


def test_proposing_works_are_cited_even_when_their_findings_are_dropped(tiny_project):
    sel = load(tiny_project.root).select(HYP, conditions="MS")
    assert sorted(sel.notes) == ["roe2018"]
    assert sel.keys == ["doe2020", "roe2018"]  # doe2020 proposes the hypothesis


def test_a_work_without_a_year_fails_any_year_bound(tiny_project):
    tiny_project.edit("bib/references.bib", "  year = {2018},\n", "")
    tiny_project.edit("bib/references.bib", "title = {An example trial},", "title = {An example trial},\n  note = {In press},")
    review = load(tiny_project.root)
    assert review.findings().set_index("key").loc["roe2018", "year"] is pd.NA
    assert review.select(HYP, year_to=2030).dropped["by"]["years"] == (1, 1)
    assert review.select(HYP).dropped["works"] == 0


def test_selection_questions_are_the_register_filtered_to_the_selection(tiny_project):
    tiny_project.edit(ROE, "why_it_matters: It tests EX2.", "why_it_matters: It tests EX2.\nremaining_questions:\n"
                      "  - id: q-example-dose\n    text: Which dose of the example drug matters?\n"
                      "  - id: q-marker-timing\n    text: does the marker come before fatigue  or after it\n"
                      "  - id: q-roe-only\n    text: Does the effect last?")
    tiny_project.edit(DOE, "    locator: paragraph 2\n", "    locator: paragraph 2\n    addresses: [q-example-dose]\n")
    sel = load(tiny_project.root).select(HYP)
    assert tuple(sel.questions.columns) == SELECTION_QUESTION_COLUMNS
    # one row per question id, sorted; the same text under another id is listed under the first id
    assert _rows(sel.questions, *SELECTION_QUESTION_COLUMNS) == [
        ("q-example-cause", "Does the marker come before fatigue or after it?", HYP, "doe2020; roe2018", "open"),
        ("q-example-dose", "Which dose of the example drug matters?", HYP, "example-fatigue; roe2018", "addressed"),
        ("q-roe-only", "Does the effect last?", HYP, "roe2018", "open"),
    ]
    # a dropped work's questions are not the report's, but a question keeps the review's status
    assert _rows(load(tiny_project.root).select(HYP, conditions="MS").questions, "question_id", "raised_by", "status") == [
        ("q-example-cause", "roe2018", "open"), ("q-example-dose", "example-fatigue; roe2018", "addressed"),
        ("q-roe-only", "roe2018", "open")]


def test_an_empty_selection_keeps_its_columns_and_types(tiny_project):
    sel = load(tiny_project.root).select(HYP, conditions="FND")
    assert len(sel.evidence) == 0 and tuple(sel.evidence.columns) == evidence_columns(VOCABULARY)
    assert str(sel.evidence["year"].dtype) == "Int64" and str(sel.evidence["secondary"].dtype) == "bool"
    assert _rows(sel.questions, "question_id", "raised_by") == [("q-example-dose", HYP)]


def test_select_refuses_an_unknown_hypothesis_with_a_hint(tiny_project):
    with pytest.raises(UnknownHypothesis) as exc:
        load(tiny_project.root).select("example-fatige")
    assert [d.format() for d in exc.value.diagnostics] == [
        "select(): error SEL002 [example-fatige.hypothesis] hypothesis 'example-fatige' does not exist — did you mean "
        "'example-fatigue'?"]


def test_select_refuses_parameters_of_the_wrong_kind(tiny_project):
    with pytest.raises(InputError) as exc:
        load(tiny_project.root).select(HYP, conditions="CFS", year_from="2019")
    assert [d.format() for d in exc.value.diagnostics] == [
        f"select(): error SEL001 [{HYP}.conditions] 'CFS' is not allowed — did you mean 'ME/CFS'?",
        f"select(): error SEL001 [{HYP}.year_from] expected a whole number, got '2019'",
    ]


def test_typed_parameters_select_as_their_keywords_do(tiny_project):
    review = load(tiny_project.root)
    typed = review.select(ReportParameters(hypothesis=HYP, conditions="MS", citation_style="vancouver"))
    keywords = review.select(HYP, conditions="MS", citation_style="vancouver")
    assert typed.parameters == keywords.parameters
    assert (sorted(typed.notes), typed.dropped) == (sorted(keywords.notes), keywords.dropped) == (
        ["roe2018"], {"works": 1, "findings": 2, "by": {"conditions": (1, 2), "pem": (0, 0), "years": (0, 0)}})
    with pytest.raises(TypeError, match="select\\(\\) takes ReportParameters, or a hypothesis id and keyword parameters"):
        review.select(ReportParameters(hypothesis=HYP), conditions="MS")
    with pytest.raises(TypeError, match="got dict"):
        review.select({"hypothesis": HYP})
    with pytest.raises(TypeError, match="got str and keywords"):
        review.select(HYP, hypothesis="other")  # the hypothesis twice


def test_select_names_an_unknown_keyword_with_a_hint(tiny_project):
    with pytest.raises(InputError) as exc:
        load(tiny_project.root).select(HYP, pem_requried_only=True)
    assert [d.format() for d in exc.value.diagnostics] == [
        f"select(): error SEL001 [{HYP}.pem_requried_only] unknown field 'pem_requried_only' — did you mean "
        "'pem_required_only'?"]


#: what a notebook's namespace holds after its parameters cell ran (and the build injected its values)
NAMESPACE = {"hypothesis": HYP, "conditions": "all", "pem_required_only": True, "year_from": None, "year_to": None,
             "citation_style": "harvard", "In": [], "get_ipython": print, "_": None, "review": object()}


def test_parameters_takes_exactly_the_report_parameters_from_a_namespace(tiny_project):
    expected = ReportParameters(hypothesis=HYP, pem_required_only=True, citation_style="harvard")
    assert parameters(NAMESPACE, ReportParameters) == expected
    assert load(tiny_project.root).parameters(NAMESPACE) == expected  # what a notebook calls


def test_the_facet_columns_follow_the_criteria_in_the_vocabulary_order():
    columns = evidence_columns(VOCABULARY)
    assert columns[columns.index("criteria") + 1:][:3] == ("pem", "pem_basis", "year")
    assert set(columns) - set(EVIDENCE_COLUMNS) == {"pem", "pem_basis"}


def test_report_parameters_pickle_by_value_and_compare_equal():
    import pickle

    chosen = ReportParameters(hypothesis=HYP, pem_required_only=True)
    again = pickle.loads(pickle.dumps(chosen))
    assert again == chosen and type(again) is type(chosen)


def test_parameters_names_the_field_of_a_bad_value():
    with pytest.raises(InputError) as exc:
        parameters({**NAMESPACE, "conditions": "CFS", "year_to": "2020"}, ReportParameters)
    assert [d.format() for d in exc.value.diagnostics] == [
        f"parameters cell: error SEL001 [{HYP}.conditions] 'CFS' is not allowed — did you mean 'ME/CFS'?",
        f"parameters cell: error SEL001 [{HYP}.year_to] expected a whole number, got '2020'",
    ]


def test_parameters_refuses_a_namespace_missing_one_and_suggests_the_misspelt_name():
    namespace = {k: v for k, v in NAMESPACE.items() if k != "pem_required_only"} | {"pem_requried_only": True}
    with pytest.raises(InputError) as exc:
        parameters(namespace, ReportParameters)
    assert [d.format() for d in exc.value.diagnostics] == [
        f"parameters cell: error SEL001 [{HYP}.pem_required_only] 'pem_required_only' is not set — did you mean "
        "'pem_requried_only'?"]


def test_the_same_inputs_give_identical_tables(tiny_project):
    one, two = load(tiny_project.root), load(tiny_project.root)
    assert one.findings().to_csv() == two.findings().to_csv()
    assert one.select(HYP).questions.to_csv() == two.select(HYP).questions.to_csv()


def test_the_builds_snapshot_gives_the_same_review_without_loading_again(tiny_project, tmp_path, monkeypatch):
    from livingreview.review import SNAPSHOT_VARIABLE, from_snapshot, snapshot_bytes

    from livingreview.bib import cite

    review = livingreview.load(tiny_project.root)
    path = tmp_path / "review.pickle"
    ahead = {("a-style", '{"id": "x"}'): ("<p>X.</p>", "(X)")}  # references the build rendered ahead
    path.write_bytes(snapshot_bytes(review, None, ahead))
    monkeypatch.setattr(cite, "_remembered", {})
    again = from_snapshot(path, tiny_project.project, None)
    assert again is not None and again is not review
    assert cite.remembered() == ahead  # the kernel renders none of them again
    assert again.select(HYP).evidence.equals(review.select(HYP).evidence)
    assert again.bibliography["doe2020"].fields["title"] == review.bibliography["doe2020"].fields["title"]
    # another project, other sources, or a damaged file: not this review; the kernel loads from disk
    assert from_snapshot(path, tiny_project.project, tiny_project.sources) is None
    other = tmp_path / "other"
    other.mkdir()
    assert from_snapshot(path, type(tiny_project.project)(other), None) is None
    (tmp_path / "broken.pickle").write_bytes(b"not a pickle")
    assert from_snapshot(tmp_path / "broken.pickle", tiny_project.project, None) is None
    # what livingreview.load() does in a report kernel of a build
    tiny_project.edit("reviews/notes/roe2018.yml", "quick_summary: An invented trial.", "quick_summary: Edited on disk.")
    monkeypatch.setenv(SNAPSHOT_VARIABLE, str(path))
    assert livingreview.load(tiny_project.root).notes["roe2018"].quick_summary == "An invented trial."


def test_a_selection_knows_the_works_its_notebook_s_prose_cites(tiny_project):
    import json

    import livingreview

    nb = json.loads((tiny_project.root / "notebooks/example-fatigue.ipynb").read_text(encoding="utf-8"))
    nb["cells"].insert(1, {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": "As @roe2018 found."})
    nb["cells"].insert(1, {"cell_type": "markdown", "id": "usage", "metadata": {"tags": ["remove-cell"]},
                           "source": "Cite with [@nobody1999]."})  # left out of the report: not read for citations
    tiny_project.write("notebooks/example-fatigue.ipynb", json.dumps(nb))
    review = livingreview.load(tiny_project.root, sources=tiny_project.sources)
    sel = review.select("example-fatigue", conditions="ME/CFS")
    assert "roe2018" not in sel.notes and "roe2018" in sel.keys
    assert sel.document.cited == ["roe2018"]
    assert [p.cell for p in sel.document.parts] == ["cell 1 (id parameters)", "cell 3 (id intro)", "cell 4 (id body)"]


def test_the_old_module_level_parameters_call_says_what_replaced_it():
    with pytest.raises(AttributeError, match=r"now review\.parameters\(globals\(\)\)"):
        livingreview.parameters({})
