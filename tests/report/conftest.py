"""Fixtures for the report tests (the fictional review itself is in report_fixtures.py)."""

from __future__ import annotations

import pytest

from report_fixtures import fake_format_references, make_project, selection


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr("livingreview.report.sections._format_references",
                        lambda sel, style: fake_format_references(sel.review.bibliography, sel.keys, style))
    from livingreview import fingerprint

    fingerprint.build_date.cache_clear()
    yield make_project(tmp_path)
    fingerprint.build_date.cache_clear()


@pytest.fixture
def sel(project):
    return selection(project)
