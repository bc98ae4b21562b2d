"""The matrix is checked before any kernel starts: parameters, notebooks, ``--only``."""

from __future__ import annotations

import nbformat
import pytest
from build_fixtures import build, edit

import livingreview
from livingreview.build import execute
from livingreview.build.plan import make_plan, select_only
from livingreview.errors import ConfigError


@pytest.fixture
def no_kernels(monkeypatch):
    """Fail the test if the build gets as far as running notebooks."""
    def refuse(*args, **kwargs):
        raise AssertionError("a kernel would have started")

    monkeypatch.setattr(execute, "run_jobs", refuse)


def plan(project):
    return make_plan(project, livingreview.load(project).hypotheses)


def test_matrix_is_every_hypothesis_times_every_variant(fresh):
    targets = plan(fresh)
    assert [t.name for t in targets] == ["alpha/all", "alpha/pem", "beta/all", "beta/pem"]
    assert targets[1].parameters.model_dump() == {
        "hypothesis": "alpha", "conditions": "all", "pem_required_only": True, "year_from": None, "year_to": None,
        "citation_style": "apa"}
    assert targets[2].notebook == fresh.root / "notebooks" / "beta.ipynb"
    assert targets[3].title == "The beta example hypothesis — Only studies requiring PEM"


@pytest.mark.parametrize(("written", "message", "hint"), [
    ("pem_requried_only: true", "variant 'pem': unknown parameter 'pem_requried_only'", "did you mean 'pem_required_only'?"),
    ("pem_required_only: 'yes'", "variant 'pem': expected true or false, got 'yes'", None),
])
def test_a_bad_parameter_fails_before_any_kernel_naming_it(fresh, no_kernels, written, message, hint):
    edit(fresh.config_path, "pem_required_only: true", written)
    with pytest.raises(ConfigError) as caught:
        build(fresh)
    [problem] = caught.value.diagnostics
    assert (problem.file, problem.message, problem.hint) == ("reviews/build.yml", message, hint)
    assert not (fresh.root / "outputs").exists()


def test_notebook_without_parameters_cell_is_named(fresh, no_kernels):
    path = fresh.root / "notebooks" / "beta.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].metadata["tags"] = []
    nbformat.write(nb, path)
    with pytest.raises(ConfigError) as caught:
        build(fresh)
    [problem] = caught.value.diagnostics
    assert (problem.file, problem.code, problem.message) == ("notebooks/beta.ipynb", "BLD004", "no cell is tagged 'parameters'")


def test_missing_notebook_and_unknown_hypothesis_are_all_reported(fresh, no_kernels):
    (fresh.root / "notebooks" / "alpha.ipynb").unlink()
    edit(fresh.config_path, "variants:", "hypotheses: [alpha, betta]\nvariants:")
    with pytest.raises(ConfigError) as caught:
        build(fresh)
    found = [(d.file, d.code, d.message, d.hint) for d in caught.value.diagnostics]
    assert found == [
        ("notebooks/alpha.ipynb", "BLD002", "the report notebook for this hypothesis is missing", "create notebooks/alpha.ipynb (one notebook per hypothesis)"),
        ("reviews/build.yml", "BLD001", "hypothesis 'betta' has no file in reviews/hypotheses/", "did you mean 'beta'?"),
    ]


def test_only_keeps_the_named_reports(fresh):
    targets = plan(fresh)
    assert [t.name for t in select_only(targets, ["beta"])] == ["beta/all", "beta/pem"]
    assert [t.name for t in select_only(targets, ["alpha/pem", "beta/all"])] == ["alpha/pem", "beta/all"]
    assert select_only(targets, []) == targets


@pytest.mark.parametrize(("only", "message", "hint"), [
    ("alpah", "no hypothesis 'alpah' in the matrix", "did you mean 'alpha'?"),
    ("alpha/pme", "no variant 'pme' in the matrix", "did you mean 'pem'?"),
])
def test_only_naming_nothing_suggests_the_closest(fresh, only, message, hint):
    with pytest.raises(ConfigError) as caught:
        select_only(plan(fresh), [only])
    [problem] = caught.value.diagnostics
    assert (problem.message, problem.hint) == (message, hint)


@pytest.mark.parametrize(("content", "message", "line"), [
    (b"\xff\xd8\xff\xe0", "not a readable notebook: the file is not UTF-8 text", None),
    (b"", "not a readable notebook: invalid JSON (Expecting value)", 1),
    (b'{\n "cells": [\n  {"source": "x"\n', "not a readable notebook: invalid JSON (Expecting ',' delimiter)", 4),
    (b"[1, 2, 3]", "not a Jupyter notebook in format version 4", None),
    (b'{"nbformat": 3, "worksheets": []}', "not a Jupyter notebook in format version 4", None),
])
def test_an_unreadable_notebook_is_named_with_the_line_where_its_json_breaks(fresh, content, message, line):
    (fresh.notebooks_dir / "alpha.ipynb").write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        plan(fresh)
    [problem] = caught.value.diagnostics
    assert (problem.file, problem.code, problem.line, problem.message) == ("notebooks/alpha.ipynb", "BLD003", line, message)


def test_an_unknown_key_in_a_notebook_s_prose_fails_before_any_kernel_naming_notebook_and_cell(fresh, no_kernels, capsys):
    from livingreview.cli import main

    path = fresh.root / "notebooks" / "beta.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_markdown_cell("As [@doe2020] and [@nobody1999] found.", id="background"))
    nbformat.write(nb, path)
    assert main(["--root", str(fresh.root), "build", "--no-pdf"]) == 2
    err = capsys.readouterr().err
    assert ("notebooks/beta.ipynb: error NBK007 [nobody1999.source] cell 3 (id background): the citation "
            "[@nobody1999] cites 'nobody1999', which has no bibliography entry") in err
    assert "Traceback" not in err
    assert not (fresh.root / "outputs").exists()
