"""The parameter contract: one code cell tagged ``parameters`` assigning literal defaults to exactly
the typed parameters. Broken, the build fails before any kernel and names notebook and cell."""

from __future__ import annotations

import json

import nbformat
import pytest
from build_fixtures import build, edit, notebook, tree

from livingreview import cli
from livingreview.build import contract, execute
from livingreview.errors import ConfigError
from first_review import ReportParameters

GOOD = 'hypothesis = "beta"\nconditions = "all"\npem_required_only = False\nyear_from = None\nyear_to = None\ncitation_style = "apa"'


@pytest.fixture
def no_kernels(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a kernel would have started")

    monkeypatch.setattr(execute, "run_jobs", refuse)


def cells(parameters: str = GOOD, *, tag_on: int = 1) -> list[dict]:
    nb = notebook(hypothesis="beta")
    nb.cells[1].source = parameters
    for i, cell in enumerate(nb.cells):
        cell.metadata["tags"] = ["parameters"] if i == tag_on else []
    return json.loads(nbformat.writes(nb))["cells"]


def problems(found) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in found]


def test_the_fixture_notebook_keeps_the_contract():
    assert contract.check_notebook(cells(), file="notebooks/beta.ipynb", hypothesis="beta", model=ReportParameters) == []


def test_the_tag_on_the_markdown_cell_above_is_an_error_naming_the_cell():
    [found] = contract.check_notebook(cells(tag_on=0), file="notebooks/beta.ipynb", hypothesis="beta", model=ReportParameters)
    assert found.code == "NBK003" and found.file == "notebooks/beta.ipynb"
    assert found.message.startswith("cell 1 (id cell-0), tagged 'parameters', is a markdown cell")


def test_the_tag_on_the_import_cell_is_an_error_naming_the_cell():
    found = contract.check_notebook(cells(tag_on=2), file="nb.ipynb", hypothesis="beta", model=ReportParameters)
    assert found and all(d.code == "NBK005" and d.message.startswith("cell 3 (id cell-2) (the parameters cell)") for d in found)
    assert any("is not a plain 'name = value' assignment" in d.message for d in found)
    assert any(d.message.endswith("it does not assign hypothesis, conditions, pem_required_only, year_from, year_to, "
                                  "citation_style") for d in found)


def test_two_tagged_cells_are_an_error():
    raw = cells()
    raw[2]["metadata"]["tags"] = ["parameters"]
    [found] = contract.check_notebook(raw, file="nb.ipynb", hypothesis="beta", model=ReportParameters)
    assert found.code == "NBK002" and "cell 2 (id cell-1), cell 3 (id cell-2)" in found.message


@pytest.mark.parametrize(("source", "message"), [
    (GOOD.replace('conditions = "all"', "conditions = 'al'"), "conditions = 'al': Input should be 'all'"),
    (GOOD.replace("year_from = None", "year_from = '2001'"), "year_from = '2001': Input should be a valid integer"),
    (GOOD.replace("year_from = None", "year_from = 2000 + 1"), "its line 4: year_from is not given a literal value"),
    (GOOD + "\nmin_sample = 10", "its line 7 assigns 'min_sample', which is not a report parameter"),
    (GOOD.replace("pem_required_only = False\n", ""), "it does not assign pem_required_only"),
    (GOOD + "\nimport os", "its line 7 is not a plain 'name = value' assignment"),
])
def test_the_parameters_cell_assigns_literal_defaults_to_exactly_the_parameters(source, message):
    [found] = contract.check_notebook(cells(source), file="nb.ipynb", hypothesis="beta", model=ReportParameters)
    assert found.code == "NBK005" and found.is_error
    assert found.message.startswith("cell 2 (id cell-1) (the parameters cell): " + message)


def test_a_misspelt_parameter_gets_a_did_you_mean():
    found = contract.check_notebook(cells(GOOD.replace("pem_required_only", "pem_requried_only")), file="nb.ipynb",
                                    hypothesis="beta", model=ReportParameters)
    assert "did you mean 'pem_required_only'?" in [d.hint for d in found]


def test_python_that_does_not_parse_is_named():
    [found] = contract.check_notebook(cells("hypothesis = ("), file="nb.ipynb", hypothesis="beta",
                                      model=ReportParameters)
    assert found.code == "NBK004" and "is not valid Python" in found.message


def test_another_hypothesis_as_default_is_only_a_warning():
    [found] = contract.check_notebook(cells(GOOD.replace('"beta"', '"alpha"')), file="nb.ipynb", hypothesis="beta",
                                      model=ReportParameters)
    assert (found.code, found.is_error) == ("NBK006", False)
    assert found.hint == 'hypothesis = "beta"'


@pytest.mark.parametrize(("damage", "what"), [
    (lambda c: c.__setitem__(1, "text"), "cell 2 is not a JSON object"),
    (lambda c: c[1].__setitem__("metadata", "x"), "cell 2 (id cell-1) has metadata that is not a JSON object"),
    (lambda c: c[1]["metadata"].__setitem__("tags", "parameters"), "cell 2 (id cell-1) has tags that are not a list of strings"),
    (lambda c: c[1].__setitem__("source", 5), "cell 2 (id cell-1) has a source that is neither text nor a list of lines"),
    (lambda c: c[0].__setitem__("cell_type", "heading"), "cell 1 (id cell-0) has no valid cell_type (got 'heading')"),
])
def test_malformed_cells_are_named_not_a_crash(damage, what):
    raw = cells()
    damage(raw)
    [found] = contract.check_notebook(raw, file="nb.ipynb", hypothesis="beta", model=ReportParameters)
    assert (found.code, found.message) == ("NBK001", what)


def test_the_wrong_cell_tagged_fails_the_build_before_any_kernel_and_leaves_outputs(built, no_kernels, capsys):
    before = tree(built.outputs_dir)
    path = built.root / "notebooks" / "beta.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].metadata["tags"], nb.cells[1].metadata["tags"] = ["parameters"], []
    nbformat.write(nb, path)
    assert cli.main(["--root", str(built.root), "build", "--no-pdf"]) == 2
    err = capsys.readouterr().err
    assert "notebooks/beta.ipynb: error NBK003 cell 1" in err and "Traceback" not in err
    assert tree(built.outputs_dir) == before


def test_check_reports_the_contract_too(built, capsys):
    edit(built.root / "notebooks" / "beta.ipynb", "year_from = None", "year_from = 'soon'")
    assert cli.main(["--root", str(built.root), "check"]) == 2
    assert "notebooks/beta.ipynb: error NBK005 cell 2 (id cell-1) (the parameters cell): year_from = 'soon'" in capsys.readouterr().out


def test_make_plan_raises_only_for_errors(fresh):
    from livingreview.build.plan import make_plan
    import livingreview

    edit(fresh.root / "notebooks" / "beta.ipynb", 'hypothesis = \\"beta\\"', 'hypothesis = \\"alpha\\"')
    assert len(make_plan(fresh, livingreview.load(fresh).hypotheses)) == 4
    edit(fresh.root / "notebooks" / "beta.ipynb", "year_to = None", "year_to = 'x'")
    with pytest.raises(ConfigError):
        make_plan(fresh, livingreview.load(fresh).hypotheses)
