"""Builds from uncommitted changes say so, in the changelog and in the reports, until they are committed
(a fictional project in a git repository of its own)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import nbformat
import pytest
from build_fixtures import build, edit, make_project, notebook

from livingreview.build import changelog, shortcut
from livingreview.build.options import BuildOptions

pytestmark = pytest.mark.slow


def history(outputs: Path) -> list[dict]:
    return json.loads((outputs / changelog.JSON_NAME).read_text(encoding="utf-8"))["entries"]


GIT_ENV = {"GIT_AUTHOR_NAME": "Jane Doe", "GIT_AUTHOR_EMAIL": "jane@example.invalid", "GIT_COMMITTER_NAME": "Jane Doe",
           "GIT_COMMITTER_EMAIL": "jane@example.invalid", "GIT_AUTHOR_DATE": "2024-05-01T12:00:00Z",
           "GIT_COMMITTER_DATE": "2024-05-01T12:00:00Z", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
PROVENANCE = "from livingreview import report\ndisplay(report.provenance(sel))"
BADGE = '<span class="badge badge-warn">uncommitted changes</span>'


def git(root: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | GIT_ENV
    return subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def committed(tmp_path):
    """The tiny project, its alpha report showing its provenance, committed in a repository of its own."""
    project = make_project(tmp_path / "review")
    nbformat.write(notebook(extra=PROVENANCE), project.notebooks_dir / "alpha.ipynb")
    (project.notebooks_dir / "README.md").write_text("Fictional notes about the notebooks.\n", encoding="utf-8")
    git(project.root, "init", "-q", "-b", "main")
    (project.root / ".gitignore").write_text("/outputs/\n", encoding="utf-8")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "An example review")
    return project


def alpha_report(project) -> str:
    return (project.outputs_dir / "alpha" / "all" / "report.html").read_text(encoding="utf-8")


def reasons(project) -> list[str]:
    report = json.loads((project.outputs_dir / "build-report.json").read_text(encoding="utf-8"))
    return report["reports"]["alpha/all"].get("reasons", [])


def test_a_build_from_uncommitted_changes_says_so_until_they_are_committed(committed):
    first = git(committed.root, "rev-parse", "HEAD")
    edit(committed.notes_dir / "roe2018.yml", "direction: mixed", "direction: supports")  # alpha/all reads it
    assert build(committed, only=["alpha/all"]) == 0
    entry = history(committed.outputs_dir)[0]
    assert (entry["commit"], entry["uncommitted_changes"]) == (first, True)
    assert f"## 2024-05-01 (commit {first[:12]}, with uncommitted changes)" in (
        committed.outputs_dir / changelog.MD_NAME).read_text(encoding="utf-8")
    assert BADGE in alpha_report(committed) and first in alpha_report(committed)

    git(committed.root, "commit", "-q", "-am", "roe2018 supports alpha")
    second = git(committed.root, "rev-parse", "HEAD")
    assert build(committed, only=["alpha/all"]) == 0
    assert reasons(committed) == ["changed: commit, uncommitted changes"]
    assert BADGE not in alpha_report(committed) and "(no uncommitted changes)" in alpha_report(committed)
    assert second in alpha_report(committed)
    assert len(history(committed.outputs_dir)) == 1  # the evidence did not change: no entry

    # a change to a file no report reads leaves every input as it was except the state of the tree
    (committed.notebooks_dir / "README.md").write_text("Fictional notes, edited.\n", encoding="utf-8")
    assert build(committed, only=["alpha/all"]) == 0
    assert reasons(committed) == ["changed: uncommitted changes"]
    assert BADGE in alpha_report(committed)


def test_the_no_op_shortcut_sees_a_new_commit_and_uncommitted_changes(committed):
    """The tree fingerprint covers the commit and the state of the tree, as the cache keys do: a
    build after a commit of files already built from must not be answered as "nothing changed"."""
    options = BuildOptions(pdf=False)
    clean = shortcut.tree_fingerprint(committed, options)
    (committed.notebooks_dir / "README.md").write_text("Fictional notes, edited.\n", encoding="utf-8")
    dirty = shortcut.tree_fingerprint(committed, options)
    git(committed.root, "commit", "-q", "-am", "README edited")
    after = shortcut.tree_fingerprint(committed, options)
    assert len({clean, dirty, after}) == 3
    git(committed.root, "commit", "-q", "--allow-empty", "-m", "An empty commit")
    assert shortcut.tree_fingerprint(committed, options) != after
