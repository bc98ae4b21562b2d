"""`livingreview new`: a template note from a bibliography entry, never overwriting by accident."""

from __future__ import annotations

import pytest

from livingreview.notes.load import load_notes
from livingreview.notes.scaffold import NoteExists, UnknownKey, new_note

LEE = """\
@article{lee2019,
  author = {Lee, Ann and Doe, Jane and Roe, Richard and Poe, Edgar},
  title = {An {Example} of
           fatigue},
  journal = {Journal of Examples},
  year = 2019,
}

@misc{moe2022,
  title = {An example preprint},
  eprint = {0000.00000},
}
"""
NOTE = "reviews/notes/lee2019.yml"


@pytest.fixture
def tiny(tiny_project):
    tiny_project.write("bib/more.bib", LEE)
    return tiny_project


def test_the_template_names_the_work_and_leaves_the_reading_to_the_author(tiny):
    path = new_note(tiny.project, "lee2019")
    assert path == tiny.root / NOTE
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:4] == ["# yaml-language-server: $schema=../../schemas/note.schema.json",
                         "# Note on: An Example of fatigue", "# Lee, Ann; Doe, Jane; Roe, Richard; et al., 2019", "#"]
    assert "key: lee2019" in lines and "source_type:" in lines and "findings: []" in lines
    assert max(len(line) for line in lines) <= 100


def test_the_new_note_loads_and_check_names_each_field_to_fill_in(tiny):
    new_note(tiny.project, "lee2019")
    notes, problems = load_notes(tiny.project)
    assert [d.format() for d in sorted(problems)] == [
        f"{NOTE}:10: error NOTE001 [lee2019.source_type] 'source_type' is empty — one of: primary, review, "
        "trial-registration, preprint, news, blog, forum, atlas-summary",
        f"{NOTE}:13: error NOTE001 [lee2019.design] 'design' is empty — one of: rct, crossover-rct, cohort, case-control, "
        "cross-sectional, pilot, uncontrolled-trial, narrative-review, systematic-review, opinion, planned-trial, "
        "commentary, summary, not-stated",
        f"{NOTE}:16: error NOTE001 [lee2019.population.conditions] 'population.conditions' needs at least one item — the "
        "conditions studied, named as reviews/vocabulary.yml declares them",
        f"{NOTE}:22: error NOTE001 [lee2019.criteria] 'criteria' needs at least one item — the diagnostic criteria as "
        "stated, named as reviews/vocabulary.yml declares them",
        f"{NOTE}:26: error NOTE001 [lee2019.quick_summary] 'quick_summary' is empty",
        f"{NOTE}:27: error NOTE001 [lee2019.why_it_matters] 'why_it_matters' is empty",
    ]
    for old, new in [("\nsource_type:\n", "\nsource_type: primary\n"), ("\ndesign:\n", "\ndesign: cohort\n"),
                     ("conditions: []", "conditions: [FM]"), ("\ncriteria: []", "\ncriteria: [other]"),
                     ("\nquick_summary:\n", "\nquick_summary: An invented cohort.\n"),
                     ("\nwhy_it_matters:\n", "\nwhy_it_matters: An example.\n")]:
        tiny.edit(NOTE, old, new)
    notes, problems = load_notes(tiny.project)
    assert problems == []
    assert notes["lee2019"].value.population.patients == "unknown"


def test_an_eprint_marks_a_preprint(tiny):
    text = new_note(tiny.project, "moe2022").read_text(encoding="utf-8")
    assert "\nsource_type: preprint\n" in text
    assert text.startswith("# yaml-language-server: $schema=../../schemas/note.schema.json\n"
                           "# Note on: An example preprint\n#\n")


def test_an_existing_note_is_never_overwritten_without_force(tiny):
    path = new_note(tiny.project, "lee2019")
    path.write_text("my notes\n", encoding="utf-8")
    with pytest.raises(NoteExists) as exc:
        new_note(tiny.project, "lee2019")
    assert [d.format() for d in exc.value.diagnostics] == [
        f"{NOTE}: error NOTE021 [lee2019] the note already exists — edit it, or pass --force to replace it with an empty template"]
    assert path.read_text(encoding="utf-8") == "my notes\n"
    new_note(tiny.project, "lee2019", force=True)
    assert path.read_text(encoding="utf-8").splitlines()[1] == "# Note on: An Example of fatigue"


def test_an_unknown_key_suggests_the_nearest_one(tiny):
    with pytest.raises(UnknownKey) as exc:
        new_note(tiny.project, "lee2091")
    assert [d.format() for d in exc.value.diagnostics] == [
        "bib: error NOTE020 [lee2091] 'lee2091' is not in the bibliography — did you mean 'lee2019'?"]
    assert not (tiny.root / "reviews/notes/lee2091.yml").exists()


def test_a_design_with_a_tool_gets_its_risk_of_bias_block(tiny, capsys):
    from livingreview import check
    from livingreview.cli import main

    assert main(["--root", str(tiny.root), "new", "lee2019", "--design", "crossover-rct"]) == 0
    text = (tiny.root / NOTE).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert "design: crossover-rct" in lines and max(len(line) for line in lines) <= 100
    assert "    DS:  # Bias arising from period and carryover effects" in lines
    block = text[text.index("risk_of_bias:"):]
    assert block.count("judgement: no information") == 6 and "fill in its basis" in text
    for old, new in [("\nsource_type:\n", "\nsource_type: primary\n"), ("conditions: []", "conditions: [FM]"),
                     ("\ncriteria: []", "\ncriteria: [other]"), ("\nquick_summary:\n", "\nquick_summary: An example.\n"),
                     ("\nwhy_it_matters:\n", "\nwhy_it_matters: An example.\n")]:
        tiny.edit(NOTE, old, new)
    notes, problems = load_notes(tiny.project)
    assert problems == [] and sorted(notes["lee2019"].value.risk_of_bias.domains) == ["D1", "D2", "D3", "D4", "D5", "DS"]
    _, found = check.collect(tiny.project)
    assert [d.code for d in found if d.file == NOTE and d.code.startswith("ROB")] == []


def test_a_design_without_a_tool_gets_no_block(tiny):
    from livingreview.cli import main

    assert main(["--root", str(tiny.root), "new", "lee2019", "--design", "opinion"]) == 0
    text = (tiny.root / NOTE).read_text(encoding="utf-8")
    assert "design: opinion" in text.splitlines() and "risk_of_bias" not in text
