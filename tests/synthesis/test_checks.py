from __future__ import annotations

from pathlib import Path

from synthesis_fixtures import RULES_YAML, load_rules_text

from livingreview import yamlio
from livingreview.check import Context
from livingreview.notes.load import Collection, Loaded
from livingreview.notes.model import Hypothesis, Note
from livingreview.project import Project
from livingreview.synthesis.checks import check_synthesis, merged_questions, unknown_flags, unknown_predictions

ROOT = Path(__file__).resolve().parents[2]

HYPOTHESIS = """\
id: h-test
title: A fictional hypothesis
claim: Something happens.
mechanism: [one step]
predictions:
  - {id: P1, statement: It is seen.}
  - {id: P2, statement: It is seen twice.}
  - {id: P3, statement: It is seen thrice.}
conditions: [MS]
proposed_by: [doe2020]
open_questions:
  - id: q-dose
    text: Does a higher dose help?
"""

NOTE = """\
key: doe2020
source_type: primary
design: cohort
population: {conditions: [MS], patients: 80, controls: 80}
criteria: [other]
quick_summary: A cohort that proves it.
why_it_matters: Size.
findings:
  - {id: f1, statement: Seen., hypothesis: h-test, prediction: P1, direction: supports, kind: observed,
     extracted_from: Journal of Examples}
remaining_questions:
  - id: q-more-dose
    text: does a higher dose help
does_not_prove: Association only.
"""


def loaded(model, text: str, file: str) -> Loaded:
    data = yamlio.loads(text, file)
    return Loaded(model.model_validate(data), file, data)


def review():
    hypotheses = Collection({"h-test": loaded(Hypothesis, HYPOTHESIS, "reviews/hypotheses/h-test.yml")})
    notes = Collection({"doe2020": loaded(Note, NOTE, "reviews/notes/doe2020.yml")})
    return hypotheses, notes


def test_a_second_id_for_the_same_question_is_reported_where_it_is_raised():
    [diag] = merged_questions(*review())
    assert (diag.code, diag.file, diag.line, diag.field, diag.severity.value) == (
        "QUES001", "reviews/notes/doe2020.yml", 12, "remaining_questions[q-more-dose].id", "warning")
    assert diag.message == "question 'q-more-dose' has the same text as 'q-dose'; the register lists them as one, under 'q-dose'"


def test_a_flag_naming_no_finding_is_an_error_at_its_line():
    rules = load_rules_text(RULES_YAML.replace('finding: "doe2020#f2"', 'finding: "doe2020#f9"'))
    [diag] = unknown_flags(rules, review()[1])
    assert (diag.code, diag.file, diag.line) == ("CERT002", "reviews/certainty.yml", 35)
    assert unknown_flags(load_rules_text(RULES_YAML.replace("#f2", "#f1")), review()[1]) == []


def test_a_suspicion_or_upgrade_naming_no_prediction_is_an_error_at_its_line():
    rules = load_rules_text(RULES_YAML.replace("  - prediction: P3", "  - prediction: P33"))
    [diag] = unknown_predictions(rules, review()[0])
    assert (diag.code, diag.line, diag.field, diag.hint) == ("CERT003", 53, "upgrades.flags", "did you mean 'P3'?")
    assert unknown_predictions(load_rules_text(), review()[0]) == []


def context(root, hypotheses, notes) -> Context:
    """The loader's context for *root*, with these hypotheses and notes as if loaded (rules read from root)."""
    ctx = Context(Project(root))
    ctx.__dict__["_hypotheses"], ctx.__dict__["_notes"] = (hypotheses, []), (notes, [])
    return ctx


def test_check_runs_the_lint_with_the_projects_rules(tmp_path):
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / "certainty.yml").write_text(RULES_YAML.replace("#f2", "#f1"), encoding="utf-8")
    hypotheses, notes = review()
    found = check_synthesis(context(tmp_path, hypotheses, notes))
    assert [(d.code, d.line) for d in found] == [("QUES001", 12), ("LINT001", 6)]


def test_check_reports_a_broken_rules_file_and_still_checks_questions(tmp_path):
    hypotheses, notes = review()
    found = check_synthesis(context(tmp_path, hypotheses, notes))
    assert [d.code for d in found] == ["QUES001", "CERT001"]


def test_the_review_passes_the_synthesis_checks():
    assert [d.format() for d in check_synthesis(Context(Project(ROOT)))] == []
