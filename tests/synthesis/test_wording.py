from __future__ import annotations

from pathlib import Path

import pytest

from livingreview import yamlio
from livingreview.diagnostics import Severity
from livingreview.notes.load import load_notes
from livingreview.notes.model import Note
from livingreview.project import Project
from livingreview.synthesis.rules import load_rules
from livingreview.synthesis.wording import NoteSource, causal_pattern, causal_words, lint

ROOT = Path(__file__).resolve().parents[2]

NOTE = """\
key: doe2020
source_type: primary
design: {design}
population:
  conditions: [FM]
  patients: 12
  controls: 12
criteria: ["not stated"]
source_text: doe2020.txt
quick_summary: {summary}
why_it_matters: Nothing here Causes concern, because it is fictional.
findings:
  - id: f1
    statement: The drug "cures" fatigue, say the authors.
    hypothesis: h-test
    direction: supports
    kind: observed
    quote: This treatment cures fatigue and proves the mechanism.
    locator: paragraph 2
  - id: f2
    statement: Lower binding caused worse pain and reverses with rest.
    hypothesis: h-test
    direction: supports
    kind: inferred
    extracted_from: Journal of Examples
discrepancies:
  - The press release says the drug ‘cures’ pain; the paper does not.
  - The press release proves nothing.
does_not_prove: {does_not_prove}
"""


def source(design="case-control", summary="An association was seen.", does_not_prove="It shows no cause.") -> NoteSource:
    file = "reviews/notes/doe2020.yml"
    data = yamlio.loads(NOTE.format(design=design, summary=summary, does_not_prove=does_not_prove), file)
    return NoteSource(Note.model_validate(data), file, data)


def found(diagnostics):
    return [(d.severity.value, d.code, d.line, d.field, d.message) for d in diagnostics]


def test_causal_verbs_in_the_notes_own_words_are_warnings_with_line_and_field(rules):
    assert found(lint({"doe2020": source()}, rules.wording)) == [
        ("warning", "LINT001", 11, "why_it_matters",
         "causal wording ('causes') in the note's own words; a case-control design cannot show cause and effect"),
        ("warning", "LINT001", 21, "findings[f2].statement",
         "causal wording ('caused', 'reverses') in the note's own words; a case-control design cannot show cause and effect"),
        ("warning", "LINT001", 28, "discrepancies[1]",
         "causal wording ('proves') in the note's own words; a case-control design cannot show cause and effect"),
    ]


def test_quotes_and_quoted_words_are_the_sources_words(rules):
    lines = [d.line for d in lint({"doe2020": source()}, rules.wording)]
    assert 14 not in lines  # "cures" in quotation marks in f1's statement
    assert 18 not in lines  # f1's verbatim quote
    assert 27 not in lines  # ‘cures’ in typographic quotes


def test_randomized_designs_may_say_cause(rules):
    assert lint({"doe2020": source(design="crossover-rct", does_not_prove='""')}, rules.wording) == []


def test_an_empty_does_not_prove_is_an_error_for_a_non_randomized_design(rules):
    [diag] = [d for d in lint({"doe2020": source(does_not_prove='""')}, rules.wording) if d.code == "LINT002"]
    assert (diag.severity, diag.line, diag.field, diag.key) == (Severity.ERROR, 29, "does_not_prove", "doe2020")
    assert diag.message == "does_not_prove is empty; a case-control design needs a sentence on what its findings do not show"


def test_a_missing_does_not_prove_points_at_the_note(rules):
    file = "reviews/notes/roe2021.yml"
    data = yamlio.loads("key: roe2021\nsource_type: primary\ndesign: cohort\npopulation: {conditions: [MS]}\n"
                        "criteria: [other]\nquick_summary: A cohort.\nwhy_it_matters: Size.\nfindings:\n"
                        "  - {id: f1, statement: Seen., hypothesis: h, direction: neutral, kind: observed, "
                        "extracted_from: Journal of Examples}\n", file)
    [diag] = lint({"roe2021": NoteSource(Note.model_validate(data), file, data)}, rules.wording)
    assert (diag.code, diag.line) == ("LINT002", 1)


def test_a_note_without_findings_needs_no_does_not_prove(rules):
    file = "reviews/notes/plan2024.yml"
    data = yamlio.loads("key: plan2024\nsource_type: trial-registration\ndesign: planned-trial\n"
                        "population: {conditions: [ME/CFS]}\ncriteria: [CCC]\nquick_summary: A plan.\n"
                        "why_it_matters: It will test q-x.\n", file)
    assert lint({"plan2024": NoteSource(Note.model_validate(data), file, data)}, rules.wording) == []


@pytest.mark.parametrize(("text", "words"), [
    ("It CAUSES fatigue", ["causes"]),
    ("because, procured, causal, proven, cured", []),
    ("a cause; the cause", ["cause"]),
    ('it "proves" it but cures it', ["cures"]),
    ("the patients' view cures nothing", ["cures"]),
])
def test_whole_words_in_any_case_outside_quotes(rules, text, words):
    assert causal_words(text, causal_pattern(rules.wording)) == words


def test_the_verb_list_is_data(rules):
    wording = rules.wording.model_copy(update={"causal_verbs": ["drives"]})
    assert causal_words("It drives and causes fatigue", causal_pattern(wording)) == ["drives"]


def test_the_review_passes_the_wording_lint():
    project = Project(ROOT)
    notes, problems = load_notes(project)
    assert problems == [] and notes
    assert [d.format() for d in lint(notes, load_rules(project).wording)] == []


def test_the_reviews_prose_is_linted_for_causal_wording_outside_quotes():
    from livingreview.loader import Document, Part
    from livingreview.synthesis.wording import lint_prose

    doc = Document("notebooks/h-test.ipynb", (
        Part("cell 4 (id synthesis)", text="The drug cures fatigue; the article says it \"reverses\" it."),
        Part("cell 5 (id figures)", calls=("plot",)),
        Part("cell 6 (id limits)", text="The trial found no difference."),
    ))
    from synthesis_fixtures import load_rules_text

    [found] = lint_prose({"h-test": doc}, load_rules_text().wording)
    assert (found.code, found.file, found.message) == (
        "LINT003", "notebooks/h-test.ipynb", "cell 4 (id synthesis): causal wording ('cures') in the review's prose")
