"""Git facts for the provenance and the cache: which files differ from the commit."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from livingreview import fingerprint

GIT_ENV = {"GIT_AUTHOR_NAME": "Jane Doe", "GIT_AUTHOR_EMAIL": "jane@example.org", "GIT_COMMITTER_NAME": "Jane Doe",
           "GIT_COMMITTER_EMAIL": "jane@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(root: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | GIT_ENV
    subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True)


def test_uncommitted_paths_are_project_relative_even_in_a_subfolder_of_the_repository(tmp_path):
    project = tmp_path / "repo" / "my review"
    for name in ("reviews/notes/doe2020.yml", "reviews/notes/roe2018.yml", "bib/references.bib", "README.md"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text("invented\n", encoding="utf-8")
    git(tmp_path / "repo", "init", "-q")
    git(tmp_path / "repo", "add", "-A")
    git(tmp_path / "repo", "commit", "-q", "-m", "an invented review")
    assert fingerprint.uncommitted_paths(project) == frozenset()
    (project / "reviews/notes/doe2020.yml").write_text("edited\n", encoding="utf-8")
    (project / "reviews/notes/new2024.yml").write_text("new\n", encoding="utf-8")
    git(tmp_path / "repo", "mv", "my review/bib/references.bib", "my review/bib/works.bib")
    (project / "README.md").write_text("outside the folders a build reads\n", encoding="utf-8")
    assert fingerprint.uncommitted_paths(project) == {"reviews/notes/doe2020.yml", "reviews/notes/new2024.yml",
                                                      "bib/works.bib"}
    assert fingerprint.git_dirty(project)


def test_outside_git_nothing_is_uncommitted(tmp_path):
    assert fingerprint.uncommitted_paths(tmp_path) == frozenset()
