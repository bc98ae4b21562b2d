"""``livingreview add-hypothesis``: a hypothesis template and a notebook from the package's template."""

from __future__ import annotations

import json

import pytest

from livingreview import cli, yamlio
from livingreview.build.contract import check_notebook
from livingreview.loader import collect, document
from livingreview.notes.scaffold_hypothesis import TEMPLATE, HypothesisNotAdded, add_hypothesis, notebook_text
from livingreview.project import Project
from livingreview.report import __all__ as SECTIONS


def test_it_writes_both_files_and_the_notebook_passes_the_parameter_contract(tiny_project):
    yml, notebook = add_hypothesis(Project(tiny_project.root), "exercise-load", title="Exercise load")
    assert (yml.name, notebook.name) == ("exercise-load.yml", "exercise-load.ipynb")
    data = yamlio.loads(yml.read_text(encoding="utf-8"), "reviews/hypotheses/exercise-load.yml")
    assert (data["id"], data["title"]) == ("exercise-load", "Exercise load")
    assert yml.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schemas/hypothesis.schema.json")
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    model = Project(tiny_project.root).report_parameters
    assert check_notebook(cells, file="notebooks/exercise-load.ipynb", hypothesis="exercise-load", model=model) == []
    shown = {call for part in document(cells, "nb").parts for call in part.calls}
    assert shown == set(SECTIONS) - {"UnknownPlot", "report_citation"}  # every section a report has


def test_check_then_names_what_remains_to_fill_in(tiny_project):
    add_hypothesis(Project(tiny_project.root), "exercise-load")
    errors = [d for d in collect(Project(tiny_project.root))[1] if d.is_error]
    assert errors and {d.file for d in errors} == {"reviews/hypotheses/exercise-load.yml"}


def test_it_refuses_a_bad_id_and_never_overwrites(tiny_project):
    project = Project(tiny_project.root)
    with pytest.raises(HypothesisNotAdded, match="not a valid hypothesis id"):
        add_hypothesis(project, "Exercise Load")
    with pytest.raises(HypothesisNotAdded) as exc:
        add_hypothesis(project, "example-fatigue")
    assert {d.file for d in exc.value.diagnostics} == {"reviews/hypotheses/example-fatigue.yml",
                                                       "notebooks/example-fatigue.ipynb"}


def test_the_template_names_no_review_of_its_own():
    text = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    words = json.dumps(text).casefold()
    assert not [w for w in ("naltrexone", "me/cfs", "fibromyalgia", "post-exertional", "pem") if w in words]


def test_the_parameters_cell_is_the_reviews_own(tiny_project):
    model = Project(tiny_project.root).report_parameters
    cells = json.loads(notebook_text("x", model))["cells"]
    [cell] = [c for c in cells if "parameters" in c["metadata"].get("tags", [])]
    assert "".join(cell["source"]).splitlines() == [
        'hypothesis = "x"', 'conditions = "all"', "pem_required_only = False", "year_from = None", "year_to = None",
        'citation_style = "apa"']


def test_the_command_says_what_it_wrote(tiny_project, capsys):
    assert cli.main(["--root", str(tiny_project.root), "add-hypothesis", "exercise-load"]) == 0
    assert "wrote reviews/hypotheses/exercise-load.yml and notebooks/exercise-load.ipynb" in capsys.readouterr().out
    assert cli.main(["--root", str(tiny_project.root), "add-hypothesis", "exercise-load"]) == 2
