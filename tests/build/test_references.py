"""References rendered ahead for a build: every pair its reports need, the same in processes as here."""

from __future__ import annotations

import pytest
from build_fixtures import make_project

import livingreview
from livingreview.bib import cite
from livingreview.build import references
from livingreview.report.citations import references as report_references


@pytest.fixture
def selections(tmp_path):
    review = livingreview.load(make_project(tmp_path / "review").root)
    return review, [review.select(h, conditions="all") for h in ("alpha", "beta")]


def test_what_is_rendered_ahead_is_what_the_reports_render(selections, monkeypatch):
    review, chosen = selections
    monkeypatch.setattr(cite, "_remembered", {})
    made = references.render_ahead(review, chosen, workers=1)
    assert made and cite.remembered() == made
    monkeypatch.setattr(cite, "_render_now", lambda *a: pytest.fail(f"rendered again: {a}"))
    for selection in chosen:  # the report's registry renders nothing itself
        assert {r.key for r in report_references(selection)} == set(selection.keys)


def test_many_references_are_rendered_in_processes_to_the_same_strings(selections, monkeypatch):
    review, chosen = selections
    monkeypatch.setattr(cite, "_remembered", {})
    here = references.render_ahead(review, chosen, workers=1)
    monkeypatch.setattr(cite, "_remembered", {})
    monkeypatch.setattr(references, "IN_PROCESS", 0)
    monkeypatch.setattr(references, "CHUNK", 1)  # one pair per task: several processes take part
    spawned = []
    real = references.ProcessPoolExecutor
    monkeypatch.setattr(references, "ProcessPoolExecutor", lambda **kw: spawned.append(kw) or real(**kw))
    there = references.render_ahead(review, chosen, workers=2)
    assert spawned and there == here
    # its processes leave on their own when the build is killed, as the printers do
    from livingreview.build import printing

    assert spawned[0]["initializer"] is printing.exit_with
