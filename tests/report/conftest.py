"""Fixtures for the report tests: a real review loaded from a fictional project."""

from __future__ import annotations

import pytest

import livingreview

from .report_fixtures import HYPOTHESIS_ID, extend

#: the test notebook is the report notebook of the test review, which the tests write into a temporary
#: project (test_render, test_citations); nbval, which runs the notebooks it finds, would run it here
collect_ignore = ["fixtures/citing.ipynb"]


@pytest.fixture
def review_project(tiny_project, monkeypatch):
    """The tiny project extended for the report (not a git checkout; build date from SOURCE_DATE_EPOCH)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    extend(tiny_project)
    return tiny_project


@pytest.fixture
def review(review_project):
    return livingreview.load(review_project.root, sources=review_project.sources)


@pytest.fixture
def sel(review):
    return review.select(HYPOTHESIS_ID)
