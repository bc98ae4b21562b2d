"""The example review under ``examples/`` (fictional, another field: exercise therapy for knee
osteoarthritis) builds end to end with its own vocabulary, and a variant filtering on its facet is
typed: a wrong value fails before any kernel starts."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest

from livingreview import cli
from livingreview.loader import collect
from livingreview.project import Project

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "knee-oa"
#: the example's works whose criteria require radiographic confirmation (KL grade 2+, ACR radiographic)
RADIOGRAPHIC = ["fict_birch2020", "fict_cedar2021"]


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example review (its committed files only), so a build writes nothing into the repository."""
    root = tmp_path / "knee-oa"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("outputs", "schemas", ".venv", "__pycache__"))
    return root


def test_the_example_checks_clean_with_its_own_vocabulary():
    project = Project(EXAMPLE)
    assert list(project.vocabulary.conditions) == ["knee OA", "hip OA"]
    assert list(project.vocabulary.facets) == ["radiographic"]
    assert "radiographic_required_only" in project.report_parameters.model_fields
    assert "pem_required_only" not in project.report_parameters.model_fields
    _, diagnostics = collect(project)
    assert [d.format() for d in diagnostics] == []


@pytest.mark.slow
def test_the_example_builds_every_report_and_its_facet_variant_keeps_only_radiographic_studies(example, capsys):
    assert cli.main(["--root", str(example), "build", "--no-pdf"]) == 0
    outputs = example / "outputs"
    assert sorted(p.parent.relative_to(outputs).as_posix() for p in outputs.glob("*/*/report.html")) == [
        f"{h}/{v}" for h in ("exercise-dose", "quadriceps-strength") for v in ("all", "knee", "radiographic")]
    rows = list(csv.DictReader(io.StringIO((outputs / "exercise-dose" / "radiographic" / "evidence.csv").read_text())))
    assert sorted({r["key"] for r in rows}) == ["fict_birch2020"] and {r["radiographic"] for r in rows} == {"required"}
    strength = list(csv.DictReader(io.StringIO((outputs / "quadriceps-strength" / "radiographic" / "evidence.csv").read_text())))
    assert sorted({r["key"] for r in strength}) == ["fict_cedar2021"]
    html = (outputs / "exercise-dose" / "radiographic" / "report.html").read_text(encoding="utf-8")
    assert "only studies whose criteria require imaging" in html and "All studies → imaging-required only" in html
    assert re.search(r"badge-facet facet-required\">imaging required<", html)
    everything = (outputs / "exercise-dose" / "all" / "report.html").read_text(encoding="utf-8")
    assert "do not show that osteoarthritis was confirmed on a radiograph" in everything  # the example's own rule
    knee = list(csv.DictReader(io.StringIO((outputs / "quadriceps-strength" / "knee" / "evidence.csv").read_text())))
    assert "fict_dogwood2018" in {r["key"] for r in knee}  # knee and hip OA: it includes knee OA


@pytest.mark.parametrize(("value", "message"), [
    ('"yes"', "expected true or false, got 'yes'"),
])
def test_a_wrong_facet_value_fails_before_any_kernel_starts(example, capsys, value, message):
    build = example / "reviews" / "build.yml"
    build.write_text(build.read_text(encoding="utf-8").replace("radiographic_required_only: true",
                                                                 f"radiographic_required_only: {value}"), encoding="utf-8")
    assert cli.main(["--root", str(example), "build", "--no-pdf"]) == 2
    err = capsys.readouterr().err
    assert "reviews/build.yml:" in err and "CFG001" in err and message in err
    assert not (example / "outputs").exists() or not list((example / "outputs").glob("*/*/report.html"))


def test_a_misspelt_facet_parameter_gets_a_did_you_mean(example, capsys):
    build = example / "reviews" / "build.yml"
    build.write_text(build.read_text(encoding="utf-8").replace("radiographic_required_only:", "radiografic_required_only:"),
                     encoding="utf-8")
    assert cli.main(["--root", str(example), "build", "--no-pdf"]) == 2
    assert "did you mean 'radiographic_required_only'?" in capsys.readouterr().err


def test_a_condition_outside_the_vocabulary_is_named_with_its_choices(example, capsys):
    build = example / "reviews" / "build.yml"
    build.write_text(build.read_text(encoding="utf-8").replace("conditions: knee OA", "conditions: knee-OA"), encoding="utf-8")
    assert cli.main(["--root", str(example), "build", "--no-pdf"]) == 2
    assert "did you mean 'knee OA'?" in capsys.readouterr().err
