"""Loading hypotheses and notes: every schema problem is one diagnostic with file, line, field and hint."""

from __future__ import annotations

import pytest

from livingreview.notes.load import load_hypotheses, load_notes

NOTE = "reviews/notes/doe2020.yml"
HYP = "reviews/hypotheses/example-fatigue.yml"


def _formatted(diagnostics):
    return [d.format() for d in sorted(diagnostics)]


def test_a_valid_project_loads_with_lines(tiny_project):
    hypotheses, hyp_problems = load_hypotheses(tiny_project.project)
    notes, note_problems = load_notes(tiny_project.project)
    assert (hyp_problems, note_problems) == ([], [])
    assert sorted(hypotheses) == ["example-fatigue"]
    assert sorted(notes) == ["doe2020", "roe2018"]
    doe = notes["doe2020"]
    assert doe.file == NOTE
    assert doe.value.findings[0].quote == "the marker was \"clearly higher\" in patients' blood"
    assert doe.line("findings", 0, "prediction") == 16
    assert doe.field("findings", 0, "prediction") == "findings[f1].prediction"
    assert hypotheses["example-fatigue"].line("predictions", 1, "id") == 10
    assert notes.invalid == frozenset() and hypotheses.invalid == frozenset()


#: an invented estimate for doe2020's first finding (lines 21-28 once inserted after its locator)
ESTIMATE = """\
    estimate:
      measure: mean difference
      value: 1.5
      ci: [0.4, 2.6]
      ci_level: 95
      p: '0.01'
      n: {patients: 12, placebo: 10}
      outcome: example marker (invented units)
"""

NOTE_CASES = [
    ("source_type: primary", "source_type: primray",
     [f"{NOTE}:2: error NOTE001 [doe2020.source_type] 'primray' is not allowed — did you mean 'primary'?"]),
    ("design: case-control", "desing: case-control",
     [f"{NOTE}:1: error NOTE001 [doe2020.design] 'design' is missing — one of: rct, crossover-rct, cohort, case-control, "
      "cross-sectional, pilot, uncontrolled-trial, narrative-review, systematic-review, opinion, planned-trial, commentary, summary, not-stated",
      f"{NOTE}:3: error NOTE001 [doe2020.desing] unknown field 'desing' — did you mean 'design'?"]),
    ("patients: 12", "patients: many",
     [f"{NOTE}:6: error NOTE001 [doe2020.population.patients] expected a whole number or 'unknown', got 'many'"]),
    ("controls: 10", "controls: -3",
     [f"{NOTE}:4: error NOTE001 [doe2020.population] controls cannot be negative"]),
    ("criteria: [CCC]", "criteria: []",
     [f"{NOTE}:8: error NOTE001 [doe2020.criteria] 'criteria' needs at least one item — the diagnostic criteria as "
      "stated, named as reviews/vocabulary.yml declares them"]),
    ("    kind: observed", "    kind: observd",
     [f"{NOTE}:18: error NOTE001 [doe2020.findings[f1].kind] 'observd' is not allowed — did you mean 'observed'?"]),
    ("  - id: f2", "  - id: g2",
     [f"{NOTE}:21: error NOTE001 [doe2020.findings[g2].id] 'g2' is not valid here — write 'f' then a number, e.g. 'f1'"]),
    ("    locator: paragraph 2\n", "",
     [f"{NOTE}:13: error NOTE001 [doe2020.findings[f1]] a quote needs a 'locator' (e.g. 'paragraph 4')"]),
    ("    prediction: EX1", "    prediction: [EX1]",
     [f"{NOTE}:16: error NOTE001 [doe2020.findings[f1].prediction] expected text, got a list"]),
    ("quick_summary: An invented case-control study.", "quick_summary:",
     [f"{NOTE}:10: error NOTE001 [doe2020.quick_summary] 'quick_summary' is empty"]),
    ("    text: Does the marker come before fatigue or after it?", "    text: 3",
     [f"{NOTE}:29: error NOTE001 [doe2020.remaining_questions[q-example-cause].text] expected text, got 3 — "
      "write it in quotes to keep it as written, e.g. '3'"]),
    ("    quote: 'the marker", "    quote: '" + "x" * 290 + " the marker",
     [f"{NOTE}:19: error NOTE001 [doe2020.findings[f1].quote] 341 characters long, at most 300 are allowed — "
      "quote the shortest passage that carries the finding"]),
    ("    kind: inferred\n", "    kind: inferred\n    paraphrases: roe2018-f1\n",
     [f"{NOTE}:26: error NOTE001 [doe2020.findings[f2].paraphrases] 'roe2018-f1' is not valid here — write "
      "'<citation key>#<finding id>', e.g. 'Doe2020#f1'"]),
    ("    locator: paragraph 2\n", "    locator: paragraph 2\n" + ESTIMATE.replace("value: 1.5", "value: 3.5"),
     [f"{NOTE}:23: error NOTE001 [doe2020.findings[f1].estimate.value] the value 3.5 is outside its confidence interval "
      "[0.4, 2.6] — check the value and the interval against the source"]),
    ("    locator: paragraph 2\n", "    locator: paragraph 2\n" + ESTIMATE.replace("[0.4, 2.6]", "[2.6, 0.4]"),
     [f"{NOTE}:24: error NOTE001 [doe2020.findings[f1].estimate.ci] the lower limit 2.6 is above the upper limit 0.4 — "
      "write the interval as [low, high]"]),
    ("    locator: paragraph 2\n", "    locator: paragraph 2\n" + ESTIMATE.replace("mean difference", "odds ratio")
     .replace("value: 1.5", "value: -0.5").replace("[0.4, 2.6]", "[-1, 0]"),
     [f"{NOTE}:23: error NOTE001 [doe2020.findings[f1].estimate.value] an odds ratio is positive; the value is -0.5"]),
    ("    locator: paragraph 2\n", "    locator: paragraph 2\n" + ESTIMATE.replace("placebo: 10", "placebo: -10"),
     [f"{NOTE}:27: error NOTE001 [doe2020.findings[f1].estimate.n.placebo] 'findings[f1].estimate.n.placebo' cannot be "
      "negative (it is -10)"]),
    ("    locator: paragraph 2\n", "    locator: paragraph 2\n" + ESTIMATE.replace("p: '0.01'", "p: 0.01"),
     [f"{NOTE}:26: error NOTE001 [doe2020.findings[f1].estimate.p] expected text, got 0.01 — write it in quotes to keep "
      "it as written, e.g. '0.01'"]),
    ("    locator: paragraph 2\n", "    locator: paragraph 2\n" + ESTIMATE.replace("mean difference", "mean diff"),
     [f"{NOTE}:22: error NOTE001 [doe2020.findings[f1].estimate.measure] 'mean diff' is not allowed — did you mean "
      "'mean difference'?"]),
    ("    locator: paragraph 2\n", "    locator: paragraph 2\n" + ESTIMATE.replace("[0.4, 2.6]", "[0.4, 1.5, 2.6]"),
     [f"{NOTE}:24: error NOTE001 [doe2020.findings[f1].estimate.ci] a confidence interval is two numbers, [low, high]; "
      "3 are given"]),
    ("    locator: paragraph 2\n", "    locator: paragraph 2\n" + ESTIMATE.replace("value: 1.5", "value: large"),
     [f"{NOTE}:23: error NOTE001 [doe2020.findings[f1].estimate.value] expected a number, got 'large'"]),
    ("    locator: paragraph 2\n", "    locator: paragraph 2\n" + ESTIMATE.replace("ci_level: 95", "ci_level: 0.95"),
     [f"{NOTE}:25: error NOTE001 [doe2020.findings[f1].estimate.ci_level] 'findings[f1].estimate.ci_level' must be at "
      "least 50 (it is 0.95) — the interval's level in per cent, e.g. 90 (default 95)"]),
    ("key: doe2020", "key: Doe2020",
     [f"{NOTE}:1: error NOTE002 [Doe2020.key] the note for 'Doe2020' is in 'doe2020.yml' — a note's file name is its key: "
      "rename it to reviews/notes/Doe2020.yml"]),
]


@pytest.mark.parametrize(("old", "new", "expected"), NOTE_CASES, ids=[c[1].strip()[:30] for c in NOTE_CASES])
def test_each_note_schema_problem_is_reported_exactly(tiny_project, old, new, expected):
    tiny_project.edit(NOTE, old, new)
    notes, problems = load_notes(tiny_project.project)
    assert _formatted(problems) == expected


def test_a_note_that_fails_is_left_out_and_remembered_as_invalid(tiny_project):
    tiny_project.edit(NOTE, "source_type: primary", "source_type: primray")
    notes, _ = load_notes(tiny_project.project)
    assert sorted(notes) == ["roe2018"]
    assert notes.invalid == frozenset({"doe2020"})


def test_a_diagnostic_carries_key_and_field_separately(tiny_project):
    tiny_project.edit(NOTE, "patients: 12", "patients: many")
    [problem] = load_notes(tiny_project.project)[1]
    assert problem.as_dict() == {
        "severity": "error", "code": "NOTE001", "file": NOTE, "line": 6, "key": "doe2020",
        "field": "population.patients", "message": "expected a whole number or 'unknown', got 'many'", "hint": None,
    }


HYPOTHESIS_CASES = [
    ("id: example-fatigue", "id: Example_Fatigue",
     [f"{HYP}:1: error HYP001 [Example_Fatigue.id] 'Example_Fatigue' is not valid here — write lower-case letters, digits "
      "and hyphens, e.g. 'dopamine-imbalance'"]),
    ("claim:", "claims:",
     [f"{HYP}:1: error HYP001 [example-fatigue.claim] 'claim' is missing",
      f"{HYP}:3: error HYP001 [example-fatigue.claims] unknown field 'claims' — did you mean 'claim'?"]),
    ("  - id: EX2", "  - id: ex2",
     [f"{HYP}:10: error HYP001 [example-fatigue.predictions[ex2].id] 'ex2' is not valid here — write capital letters "
      "then a number, e.g. 'DA1'"]),
    ("  - id: q-example-dose", "  - id: example-dose",
     [f"{HYP}:15: error HYP001 [example-fatigue.open_questions[example-dose].id] 'example-dose' is not valid here — "
      "write 'q-' then lower-case letters, digits and hyphens, e.g. 'q-dose-response'"]),
    ("  - id: EX1\n    statement: Patients have more of the example marker than controls.\n", "  - id: EX1\n    stated: x\n",
     [f"{HYP}:8: error HYP001 [example-fatigue.predictions[EX1].statement] 'predictions[EX1].statement' is missing",
      f"{HYP}:9: error HYP001 [example-fatigue.predictions[EX1].stated] unknown field 'stated' — did you mean 'statement'?"]),
]


@pytest.mark.parametrize(("old", "new", "expected"), HYPOTHESIS_CASES, ids=[c[1].strip()[:30] for c in HYPOTHESIS_CASES])
def test_each_hypothesis_schema_problem_is_reported_exactly(tiny_project, old, new, expected):
    tiny_project.edit(HYP, old, new)
    hypotheses, problems = load_hypotheses(tiny_project.project)
    assert _formatted(problems) == expected
    assert hypotheses == {}


def test_a_file_that_is_not_a_mapping_says_so(tiny_project):
    tiny_project.write(NOTE, "")
    tiny_project.write("reviews/notes/roe2018.yml", "- roe2018\n")
    problems = _formatted(load_notes(tiny_project.project)[1])
    fields = ("key, source_type, design, population, criteria, criteria_any_of, requires, source_text, reports, tests_questions, quick_summary, "
              "why_it_matters, findings, remaining_questions, does_not_prove, discrepancies, risk_of_bias, synthetic")
    assert problems == [
        f"{NOTE}:1: error NOTE001 [doe2020] the file is empty; it must be a mapping of fields ({fields})",
        f"reviews/notes/roe2018.yml:1: error NOTE001 [roe2018] the file holds a list; it must be a mapping of fields ({fields})",
    ]


def test_bad_yaml_is_reported_and_the_other_files_still_load(tiny_project):
    tiny_project.edit(NOTE, "design: case-control", "design: case-control\ndesign: cohort")
    notes, problems = load_notes(tiny_project.project)
    assert _formatted(problems) == [f"{NOTE}:4: error YAML001 YAML: duplicate key 'design' (first on line 3)"]
    assert sorted(notes) == ["roe2018"] and notes.invalid == frozenset({"doe2020"})


def test_a_folder_named_like_a_note_is_reported_not_a_crash(tiny_project):
    (tiny_project.root / "reviews/notes/folder.yml").mkdir()
    notes, problems = load_notes(tiny_project.project)
    assert _formatted(problems) == ["reviews/notes/folder.yml: error FILE003 the path is a folder, not a regular file; "
                                    "it is not read — replace it by a plain text file"]
    assert sorted(notes) == ["doe2020", "roe2018"] and notes.invalid == frozenset({"folder"})


def test_two_notes_with_one_key(tiny_project):
    tiny_project.write("reviews/notes/zz-copy.yml", (tiny_project.root / NOTE).read_text())
    notes, problems = load_notes(tiny_project.project)
    assert _formatted(problems) == [
        "reviews/notes/zz-copy.yml:1: error NOTE002 [doe2020.key] the note for 'doe2020' is in 'zz-copy.yml' — a note's "
        "file name is its key: rename it to reviews/notes/doe2020.yml",
        "reviews/notes/zz-copy.yml:1: error NOTE003 [doe2020.key] key 'doe2020' is already used by reviews/notes/doe2020.yml "
        "— give each note its own key",
    ]
    assert notes["doe2020"].file == NOTE


def test_hypothesis_ids_are_unique_and_match_their_file(tiny_project):
    text = (tiny_project.root / HYP).read_text()
    tiny_project.write("reviews/hypotheses/renamed.yml", text.replace("id: example-fatigue", "id: renamed-idea"))
    tiny_project.write("reviews/hypotheses/zz-copy.yml", text)
    hypotheses, problems = load_hypotheses(tiny_project.project)
    assert _formatted(problems) == [
        "reviews/hypotheses/renamed.yml:1: warning HYP003 [renamed-idea.id] hypothesis 'renamed-idea' is in 'renamed.yml' "
        "— a hypothesis's file name is its id: rename it to reviews/hypotheses/renamed-idea.yml",
        "reviews/hypotheses/zz-copy.yml:1: error HYP002 [example-fatigue.id] id 'example-fatigue' is already used by "
        "reviews/hypotheses/example-fatigue.yml — give each hypothesis its own id",
        "reviews/hypotheses/zz-copy.yml:1: warning HYP003 [example-fatigue.id] hypothesis 'example-fatigue' is in "
        "'zz-copy.yml' — a hypothesis's file name is its id: rename it to reviews/hypotheses/example-fatigue.yml",
    ]
    assert sorted(hypotheses) == ["example-fatigue", "renamed-idea"]


def test_a_project_without_notes_or_hypotheses_folders_loads_empty(tmp_path):
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / "build.yml").write_text("title: t\n")
    from livingreview.project import Project

    assert load_notes(Project(tmp_path)) == ({}, [])
    assert load_hypotheses(Project(tmp_path)) == ({}, [])
