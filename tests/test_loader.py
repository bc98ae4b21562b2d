"""The loader's checks that span files: here, report notebooks that no hypothesis has."""

from __future__ import annotations

from livingreview.loader import collect
from livingreview.project import Project


def test_a_notebook_no_hypothesis_has_is_reported_with_a_guess(tiny_project):
    notebook = (tiny_project.root / "notebooks" / "example-fatigue.ipynb").read_text(encoding="utf-8")
    tiny_project.write("notebooks/example-fatige.ipynb", notebook)
    tiny_project.write("notebooks/unrelated.ipynb", notebook)
    found = [d for d in collect(Project(tiny_project.root))[1] if d.code == "NBK008"]
    assert [(d.file, d.severity.value, d.hint) for d in found] == [
        ("notebooks/example-fatige.ipynb", "warning", "did you mean 'example-fatigue'?"),
        ("notebooks/unrelated.ipynb", "warning", "add reviews/hypotheses/unrelated.yml, or remove the notebook")]


def test_every_notebook_of_a_hypothesis_passes(tiny_project):
    assert not [d for d in collect(Project(tiny_project.root))[1] if d.code == "NBK008"]
