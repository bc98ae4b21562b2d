"""``livingreview plan``: the reports ``build`` would run, as text or as a GitHub Actions matrix."""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from build_fixtures import edit, tree

from livingreview.cli import main

pytestmark = pytest.mark.slow


def plan(project, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(project.root), "plan", *args])
    return code, out.getvalue(), err.getvalue()


def test_a_project_never_built_plans_every_report_in_matrix_order(fresh):
    code, out, _ = plan(fresh, "--format", "github-matrix")
    assert code == 0 and out.count("\n") == 1  # one line, as a job output ($GITHUB_OUTPUT) takes it
    assert json.loads(out) == {"include": [
        {"report": "alpha/all", "hypothesis": "alpha", "variant": "all", "artifact": "report-alpha__all"},
        {"report": "alpha/pem", "hypothesis": "alpha", "variant": "pem", "artifact": "report-alpha__pem"},
        {"report": "beta/all", "hypothesis": "beta", "variant": "all", "artifact": "report-beta__all"},
        {"report": "beta/pem", "hypothesis": "beta", "variant": "pem", "artifact": "report-beta__pem"},
    ]}
    assert not fresh.outputs_dir.exists() or not any(fresh.outputs_dir.iterdir())  # planning builds nothing


def test_only_the_reports_an_edit_changes_are_planned_and_nothing_is_written(built):
    edit(built.notes_dir / "poe2019.yml", "direction: contradicts", "direction: supports")
    before = tree(built.outputs_dir)
    code, out, _ = plan(built, "--format", "github-matrix", "--no-pdf")
    assert code == 0
    assert [entry["report"] for entry in json.loads(out)["include"]] == ["beta/all", "beta/pem"]
    assert tree(built.outputs_dir) == before


def test_an_up_to_date_build_plans_an_empty_matrix(built):
    assert plan(built, "--format", "github-matrix", "--no-pdf")[1] == '{"include":[]}\n'
    # a build with PDFs would rebuild every report (the option is part of each key)
    assert len(json.loads(plan(built, "--format", "github-matrix")[1])["include"]) == 4


def test_force_and_only_narrow_and_widen_the_plan_as_build_would(built):
    code, out, _ = plan(built, "--format", "github-matrix", "--no-pdf", "--force", "--only", "alpha/pem")
    assert [entry["report"] for entry in json.loads(out)["include"]] == ["alpha/pem"]


def test_the_text_format_is_what_build_explain_says(built):
    edit(built.notes_dir / "poe2019.yml", "quick_summary: An invented study.", "quick_summary: An invented trial.")
    code, out, _ = plan(built, "--no-pdf")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 4
    assert lines[0].startswith("alpha/all: reuse — nothing it reads changed (key ")
    assert lines[2:] == ["beta/all: rebuild — changed: reviews/notes/poe2019.yml",
                         "beta/pem: rebuild — changed: reviews/notes/poe2019.yml"]


def test_an_only_naming_no_report_is_bad_input(built):
    code, out, err = plan(built, "--format", "github-matrix", "--only", "gamma")
    assert (code, out) == (2, "")
    assert "--only: error BLD005 no hypothesis 'gamma' in the matrix" in err
