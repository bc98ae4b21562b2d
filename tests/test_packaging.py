"""The package stands on its own: a built wheel holds the templates and schemas (package data), and
installed from it, outside this repository, ``livingreview init`` writes a review that checks clean."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), str(ROOT)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    [built] = folder.glob("livingreview-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_holds_the_templates_and_schemas(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("templates/init/tasks", "templates/init/dot-gitignore", "templates/init/dot-github/workflows/review.yml",
                 "templates/init/reviews/vocabulary.yml", "templates/init/tests/test_review.py",
                 "templates/notebook/report.ipynb", "templates/sections/evidence.html.j2", "templates/static/report.css",
                 "schemas/evidence.schema.json"):
        assert f"livingreview/{name}" in names, name
    assert not [n for n in names if "__pycache__" in n]


@pytest.mark.slow
def test_installed_from_the_wheel_outside_the_repository_init_writes_a_review_that_checks_clean(wheel, tmp_path):
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (target / "bin" / "livingreview").is_file()  # the command
    env = {**os.environ, "PYTHONPATH": str(target)}  # the dependencies: this environment's
    env.pop("LIVINGREVIEW_ROOT", None)

    def run(*args, cwd=tmp_path):
        return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)

    where = run("-c", "import livingreview; print(livingreview.__file__)")
    assert where.stdout.strip().startswith(str(target)), where.stdout + where.stderr  # the installed copy, not ours
    assert run("-m", "livingreview", "init", "review").returncode == 0
    checked = run("-m", "livingreview", "check", cwd=tmp_path / "review")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 errors, 0 warnings" in checked.stdout
