"""The changelog's previous build: the outputs folder itself, or a published folder named by
``--previous`` (CI starts from an empty outputs folder); and builds from uncommitted changes."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
from pathlib import Path

import nbformat
import pytest
from build_fixtures import build, edit, make_project, notebook

from livingreview import fingerprint
from livingreview import reads
from livingreview.build import changelog, shortcut
from livingreview.build.options import BuildOptions
from livingreview.cli import main

pytestmark = pytest.mark.slow


def checksums(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): fingerprint.sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def history(outputs: Path) -> list[dict]:
    return json.loads((outputs / changelog.JSON_NAME).read_text(encoding="utf-8"))["entries"]


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(args))
    return code, out.getvalue()


def test_a_build_into_an_empty_folder_lists_the_changes_since_the_previous_published_one(built, tmp_path):
    previous, fresh_outputs = built.outputs_dir, tmp_path / "ci-outputs"
    before = checksums(previous)
    edit(built.notes_dir / "poe2019.yml", "direction: contradicts", "direction: supports")
    assert build(built, outputs=fresh_outputs, previous=previous) == 0
    assert checksums(previous) == before, "the previous build was written to"
    text = (fresh_outputs / changelog.MD_NAME).read_text(encoding="utf-8")
    newest = text.split("\n## ")[1]
    assert "### beta/all\n\n- Direction changed: poe2019#f1 contradicts → supports\n" in newest
    assert "### beta/pem\n\n- Direction changed: poe2019#f1 contradicts → supports\n" in newest
    assert "First build" not in newest and "alpha/" not in newest  # alpha's evidence is as published
    entries = history(fresh_outputs)
    assert entries[1:] == history(previous)  # the published history goes on
    assert [c["report"] for c in entries[0]["changes"]] == ["beta/all", "beta/pem"]


def test_without_previous_an_empty_outputs_folder_is_a_first_build(built, tmp_path):
    assert build(built, outputs=tmp_path / "elsewhere", only=["alpha/pem"]) == 0
    assert history(tmp_path / "elsewhere")[0]["changes"] == [
        {"report": "alpha/pem", "first": True, "works": 1, "findings": 1, "questions": 1}]


def test_previous_is_compared_even_when_nothing_needs_building(built, tmp_path):
    """Every report is reused, but the folder named by --previous differs: its changes are listed."""
    older = tmp_path / "older"
    assert build(built, outputs=older, only=["beta/all"]) == 0  # a first build of beta/all only
    edit(built.notes_dir / "poe2019.yml", "direction: contradicts", "direction: neutral")
    assert build(built) == 0
    assert build(built, previous=older) == 0
    assert json.loads((built.outputs_dir / "build-report.json").read_text(encoding="utf-8"))["kernels_started"] == 0
    changes = {c["report"]: c for c in history(built.outputs_dir)[0]["changes"]}
    assert changes["beta/all"]["directions_changed"] == [{"finding": "poe2019#f1", "from": "contradicts", "to": "neutral"}]
    assert changes["alpha/all"]["first"] is True  # not in the older build


BROKEN_MANIFEST = '{\n  "schema": "livingreview/manifest@1",\n  "files": {\n    "a": "1",\n  }\n}\n'  # a comma too many


@pytest.mark.parametrize("make", ["nothing", "empty folder", "file", "broken manifest", "other JSON", "the outputs",
                                  "around the outputs"])
def test_previous_must_be_a_published_outputs_folder(fresh, tmp_path, make):
    folder = {"the outputs": fresh.outputs_dir, "around the outputs": fresh.root}.get(make, tmp_path / "previous")
    if make in ("the outputs", "around the outputs"):
        folder.mkdir(exist_ok=True)
        (folder / "manifest.json").write_text('{"schema": "livingreview/manifest@1", "files": {}, "reports": {}}\n', encoding="utf-8")
    elif make == "file":
        folder.write_text("not a folder\n", encoding="utf-8")
    elif make != "nothing":
        folder.mkdir()
    if make in ("broken manifest", "other JSON"):
        (folder / "manifest.json").write_text(BROKEN_MANIFEST if make == "broken manifest" else "[]\n", encoding="utf-8")
    code, out = cli("--root", str(fresh.root), "build", "--no-pdf", "--previous", str(folder))
    assert code == 2, out
    expected = {"nothing": f"--previous {folder}: no such folder", "file": f"--previous {folder}: is a file, not a folder",
                "empty folder": f"--previous {folder}: holds no manifest.json",
                "broken manifest": f"--previous {folder / 'manifest.json'}:5: not valid JSON",
                "other JSON": f"--previous {folder / 'manifest.json'}: not a livingreview manifest",
                "the outputs": f"--previous {folder} is the outputs folder this build writes",
                "around the outputs": f"--previous {folder} and the outputs folder {fresh.outputs_dir.resolve()} lie one inside the other"}[make]
    assert expected in out
    written = sorted(p.name for p in fresh.outputs_dir.iterdir()) if fresh.outputs_dir.exists() else []
    assert written == (["manifest.json"] if make == "the outputs" else []), "a build started although --previous was wrong"


# --- builds from uncommitted changes (a fictional project in a git repository of its own) ---

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
    assert reasons(committed) == ["changed: uncommitted changes"]
    assert BADGE not in alpha_report(committed) and "(no uncommitted changes)" in alpha_report(committed)
    assert second in alpha_report(committed)
    assert len(history(committed.outputs_dir)) == 1  # the evidence did not change: no entry

    # an uncommitted change to a file the report does not read leaves it as built from the commit: reused,
    # and still (truly) saying "no uncommitted changes"; committed, and again later, it stays reused and
    # goes on naming the commit it was built at (its inputs are the same there)
    (committed.notebooks_dir / "README.md").write_text("Fictional notes, edited.\n", encoding="utf-8")
    assert build(committed, only=["alpha/all"]) == 0
    assert status(committed) == "reused" and BADGE not in alpha_report(committed)
    git(committed.root, "commit", "-q", "-am", "README edited")
    (committed.notebooks_dir / "README.md").write_text("Fictional notes, edited again.\n", encoding="utf-8")
    git(committed.root, "commit", "-q", "-am", "README edited again")
    assert build(committed, only=["alpha/all"]) == 0
    assert status(committed) == "reused"
    assert second in alpha_report(committed) and BADGE not in alpha_report(committed)

    # the code is every report's input: an uncommitted change to it marks the report
    assert reads.uncommitted({"reviews/notes/roe2018.yml": "x"}, frozenset({"src/livingreview/review.py"}))
    assert not reads.uncommitted({"bib/references.bib#roe2018": "x"}, frozenset({"notebooks/README.md"}))
    assert reads.uncommitted({"bib/references.bib#roe2018": "x"}, frozenset({"bib/references.bib"}))


def status(project) -> str:
    report = json.loads((project.outputs_dir / "build-report.json").read_text(encoding="utf-8"))
    return report["reports"]["alpha/all"]["status"]


def test_the_no_op_shortcut_sees_uncommitted_changes_and_their_commit(committed):
    """The tree fingerprint covers the state of the tree, as the cache keys do: a build after a commit
    of files already built from must not be answered as "nothing changed"; a commit that changes no
    file may be."""
    options = BuildOptions(pdf=False)
    clean = shortcut.tree_fingerprint(committed, options)
    (committed.notebooks_dir / "README.md").write_text("Fictional notes, edited.\n", encoding="utf-8")
    dirty = shortcut.tree_fingerprint(committed, options)
    git(committed.root, "commit", "-q", "-am", "README edited")
    after = shortcut.tree_fingerprint(committed, options)
    assert len({clean, dirty, after}) == 3
    git(committed.root, "commit", "-q", "--allow-empty", "-m", "An empty commit")
    assert shortcut.tree_fingerprint(committed, options) == after
