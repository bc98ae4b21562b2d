"""The synthetic review the scale and kill benchmarks use: valid, clearly synthetic, deterministic,
and written only into a new folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from livingreview.check import collect
from livingreview.project import Project

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic import generate  # noqa: E402


def test_a_generated_review_passes_check_and_says_it_is_synthetic(tmp_path):
    root = generate(tmp_path / "review", works=12, hypotheses=3)
    ctx, diagnostics = collect(Project(root))
    assert [d.format() for d in diagnostics] == []
    assert len(ctx.notes) == 12 and sorted(ctx.hypotheses) == ["synthetic-01", "synthetic-02", "synthetic-03"]
    assert all(note.value.synthetic for note in ctx.notes.values())
    assert all(entry.title.startswith("SYNTHETIC") for entry in ctx.bibliography.values())
    assert sorted(p.name for p in (root / "notebooks").iterdir()) == [f"synthetic-0{h}.ipynb" for h in (1, 2, 3)]


def test_generation_is_deterministic(tmp_path):
    one, two = generate(tmp_path / "one", works=5, hypotheses=2), generate(tmp_path / "two", works=5, hypotheses=2)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)


def test_it_never_writes_into_an_existing_folder(tmp_path):
    (tmp_path / "review").mkdir()
    with pytest.raises(FileExistsError):
        generate(tmp_path / "review", works=5)
