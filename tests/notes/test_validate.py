"""Cross-file rules: each has a failing case with its exact diagnostic."""

from __future__ import annotations

import pytest

from livingreview.notes.load import load_hypotheses, load_notes
from livingreview.notes.validate import validate
from first_review import VOCABULARY

DOE = "reviews/notes/doe2020.yml"
ROE = "reviews/notes/roe2018.yml"
HYP = "reviews/hypotheses/example-fatigue.yml"
#: a stand-in bibliography: validate only asks which keys exist
BIB = {"doe2020": object(), "roe2018": object(), "lee2019": object()}

OTHER_HYPOTHESIS = """\
id: another-idea
title: Another example idea
claim: Something else explains fatigue.
mechanism: [One step.]
predictions:
  - id: OT1
    statement: Another marker differs.
conditions: [FM]
proposed_by: [roe2018]
open_questions:
  - id: q-example-dose
    text: Which dose of the example drug matters most?
"""


def _problems(tiny, bib=BIB):
    hypotheses, hyp_problems = load_hypotheses(tiny.project)
    notes, note_problems = load_notes(tiny.project)
    assert hyp_problems + note_problems == []
    return [d.format() for d in validate(bib, hypotheses, notes, VOCABULARY)]


def test_the_tiny_project_is_consistent(tiny_project):
    assert _problems(tiny_project) == []


CASES = [
    # (file, old, new, expected)
    (HYP, "proposed_by: [doe2020]", "proposed_by: [doe2020, doe2002]",
     f"{HYP}:13: error HYP010 [example-fatigue.proposed_by[1]] 'doe2002' is not in the bibliography — did you mean 'doe2020'?"),
    (HYP, "proposed_by: [doe2020]", "proposed_by: [doe2020]\nrelated: [no-such-idea]",
     f"{HYP}:14: error HYP011 [example-fatigue.related[0]] related hypothesis 'no-such-idea' does not exist — "
     "hypotheses: example-fatigue"),
    (ROE, "key: roe2018", "key: roe2018\nreports: [nobody1999]",
     f"{ROE}:2: error NOTE011 [roe2018.reports[0]] 'nobody1999' is not in the bibliography — add the entry to a bib/*.bib "
     "file (e.g. with `livingreview import`) or correct the key"),
    (ROE, "    hypothesis: example-fatigue", "    hypothesis: example-fatigu",
     f"{ROE}:14: error NOTE012 [roe2018.findings[f1].hypothesis] hypothesis 'example-fatigu' does not exist — did you mean "
     "'example-fatigue'?"),
    (ROE, "    prediction: EX2", "    prediction: EX3",
     f"{ROE}:15: error NOTE013 [roe2018.findings[f1].prediction] prediction 'EX3' does not exist — predictions of "
     "'example-fatigue': EX1, EX2"),
    (ROE, "    kind: observed", "    kind: observed\n    paraphrases: nobody1999#f1",
     f"{ROE}:18: error NOTE014 [roe2018.findings[f1].paraphrases] 'nobody1999' is not in the bibliography — add the "
     "entry to a bib/*.bib file (e.g. with `livingreview import`) or correct the key"),
    (ROE, "    kind: observed", "    kind: observed\n    paraphrases: lee2019#f1",
     f"{ROE}:18: error NOTE015 [roe2018.findings[f1].paraphrases] there is no note for 'lee2019' — write it first: "
     "`livingreview new lee2019`"),
    (ROE, "    kind: observed", "    kind: observed\n    paraphrases: doe2020#f9",
     f"{ROE}:18: error NOTE015 [roe2018.findings[f1].paraphrases] the note for 'doe2020' has no finding 'f9' — its findings: "
     "f1, f2"),
    (ROE, "why_it_matters: It tests EX2.",
     "why_it_matters: It tests EX2.\nremaining_questions:\n  - id: q-example-dose\n    text: Which dose is best?",
     f"{ROE}:13: error NOTE016 [roe2018.remaining_questions[q-example-dose].text] question 'q-example-dose' has a different "
     f"text in {HYP} — the same id is the same question: copy its text, or give this question a new id"),
    (DOE, "criteria: [CCC]", "criteria: [CCC]\nrequires:\n  pme: {fact: patients needed it, extracted_from: the record}",
     f"{DOE}:10: error NOTE017 [doe2020.requires.pme] facet 'pme' is not one of the review's — did you mean 'pem'?"),
    (HYP, "conditions: [ME/CFS, MS]", "conditions: [ME/CFS, MS, FMS]",
     f"{HYP}:12: error HYP014 [example-fatigue.conditions[2]] condition 'FMS' is not one of the review's — did you mean "
     "'MS'?"),
    (DOE, "conditions: [ME/CFS]", "conditions: [ME/CFS, knee OA]",
     f"{DOE}:5: error NOTE023 [doe2020.population.conditions[1]] condition 'knee OA' is not one of the review's — declare "
     "it in reviews/vocabulary.yml, or use one of: ME/CFS, MS, FM, FND, long COVID, Q fever fatigue syndrome, TBI, cancer, "
     "other"),
    (DOE, "criteria: [CCC]", "criteria: [CCC, Canadian]",
     f"{DOE}:8: error NOTE024 [doe2020.criteria[1]] criterion 'Canadian' is not one of the review's — declare it in "
     "reviews/vocabulary.yml, or use one of: CCC, ICC, IOM, Fukuda, Oxford, other, not stated"),
    (ROE, "source_type: primary", "source_type: news",
     f"{ROE}:3: error NOTE018 [roe2018.design] a news is a secondary source; its design cannot be 'rct' — give the design "
     "of this source itself (e.g. 'summary' or 'commentary'); the trial it reports gets its own note, listed under 'reports'"),
    (ROE, "key: roe2018", "key: roe2018\ntests_questions: [q-example-dos]",
     f"{ROE}:2: error NOTE019 [roe2018.tests_questions[0]] question 'q-example-dos' is not raised by any hypothesis or note "
     "— did you mean 'q-example-dose'?"),
    (ROE, "    kind: observed", "    kind: observed\n    addresses: [q-unrelated-thing]",
     f"{ROE}:18: error NOTE019 [roe2018.findings[f1].addresses[0]] question 'q-unrelated-thing' is not raised by any "
     "hypothesis or note — raise it under a hypothesis's open_questions or a note's remaining_questions"),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), CASES, ids=[c[3].split(" ")[2] + "-" + c[2].strip()[-14:] for c in CASES])
def test_each_rule_reports_file_line_field_and_hint(tiny_project, file, old, new, expected):
    tiny_project.edit(file, old, new)
    assert _problems(tiny_project) == [expected]


def test_a_note_whose_key_is_not_in_the_bibliography(tiny_project):
    bib = {k: v for k, v in BIB.items() if k != "roe2018"}
    assert _problems(tiny_project, bib) == [
        f"{ROE}:1: error NOTE010 [roe2018.key] 'roe2018' is not in the bibliography — add the entry to a bib/*.bib file "
        "(e.g. with `livingreview import`) or correct the key",
    ]


def test_predictions_are_unique_and_belong_to_their_hypothesis(tiny_project):
    tiny_project.write("reviews/hypotheses/another-idea.yml", OTHER_HYPOTHESIS.replace("id: OT1", "id: EX1"))
    tiny_project.edit(ROE, "    prediction: EX2", "    prediction: EX1")
    tiny_project.edit(HYP, "Which dose of the example drug matters?", "Which dose of the example drug matters most?")
    assert _problems(tiny_project) == [
        f"{HYP}:8: error HYP012 [example-fatigue.predictions[EX1].id] prediction id 'EX1' is already used in "
        "reviews/hypotheses/another-idea.yml — prediction ids are unique across the review: choose another",
    ]


def test_a_prediction_of_another_hypothesis(tiny_project):
    tiny_project.write("reviews/hypotheses/another-idea.yml", OTHER_HYPOTHESIS)
    tiny_project.edit(ROE, "    prediction: EX2", "    prediction: OT1")
    assert _problems(tiny_project) == [
        f"{HYP}:16: error HYP013 [example-fatigue.open_questions[q-example-dose].text] question 'q-example-dose' has a "
        "different text in reviews/hypotheses/another-idea.yml — the same id is the same question: copy its text, or give "
        "this question a new id",
        f"{ROE}:15: error NOTE013 [roe2018.findings[f1].prediction] prediction 'OT1' belongs to hypothesis 'another-idea', "
        "not 'example-fatigue' — predictions of 'example-fatigue': EX1, EX2",
    ]


def test_the_same_question_text_may_differ_in_line_breaks(tiny_project):
    tiny_project.edit(ROE, "why_it_matters: It tests EX2.", "why_it_matters: It tests EX2.\nremaining_questions:\n"
                      "  - id: q-example-dose\n    text: >-\n      Which dose of the\n      example drug matters?")
    assert _problems(tiny_project) == []


def test_references_to_files_that_failed_to_load_are_not_reported_again(tiny_project):
    tiny_project.edit(ROE, "    kind: observed", "    kind: observed\n    paraphrases: doe2020#f9")
    tiny_project.edit(DOE, "design: case-control", "design: case-contro")
    tiny_project.edit(HYP, "claim:", "claims:")
    hypotheses, _ = load_hypotheses(tiny_project.project)
    notes, _ = load_notes(tiny_project.project)
    assert (hypotheses.invalid, notes.invalid) == ({"example-fatigue"}, {"doe2020"})
    assert validate(BIB, hypotheses, notes, VOCABULARY) == []
