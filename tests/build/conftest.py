"""Fixtures for the build tests (the fictional project itself is in build_fixtures.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_fixtures import build, make_project
from livingreview.project import Project


@pytest.fixture(scope="session")
def built_once(tmp_path_factory) -> Path:
    """The tiny project built once (four kernels), shared read-only by the tests."""
    root = tmp_path_factory.mktemp("built") / "review"
    project = make_project(root)
    assert build(project) == 0
    return root


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> Project:
    """A private copy of the built tiny project."""
    root = tmp_path / "review"
    shutil.copytree(built_once, root)
    return Project(root)


@pytest.fixture
def fresh(tmp_path: Path) -> Project:
    """The tiny project, never built."""
    return make_project(tmp_path / "review")
