"""``livingreview publish --merge``: partial builds (``build --only``, one report each, in another project
folder as on another machine) published as one outputs folder, byte for byte what one build leaves."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest
from build_fixtures import build, edit, make_project, tree, untimed

from livingreview import fingerprint
from livingreview.build import manifest
from livingreview.cli import main
from livingreview.project import Project

pytestmark = pytest.mark.slow

REPORTS = ("alpha/all", "alpha/pem", "beta/all", "beta/pem")


@pytest.fixture(scope="module")
def partials(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    """A never-built project and, per report, the outputs folder of `build --only` that report (four kernels)."""
    base = tmp_path_factory.mktemp("partials")
    project = make_project(base / "review")
    folders = {}
    for name in REPORTS:
        folders[name] = base / "artifacts" / name.replace("/", "__")
        assert build(project, only=[name], outputs=folders[name]) == 0
    return project.root, folders


@pytest.fixture
def target(partials, tmp_path) -> Project:
    """A copy of the partial builds' project, never built: the machine that merges."""
    shutil.copytree(partials[0], tmp_path / "review")
    return Project(tmp_path / "review")


def publish(project: Project, *folders: Path, extra: tuple[str, ...] = ("--no-pdf",)) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(project.root), "publish", *extra, "--merge", *map(str, folders)])
    return code, out.getvalue(), err.getvalue()


def test_the_merged_partial_builds_are_byte_for_byte_one_build_of_the_review(partials, target, built_once):
    code, out, err = publish(target, *partials[1].values())
    assert (code, err) == (0, ""), err
    assert out.splitlines()[-1] == f"4 merged, 0 reused; outputs in {target.outputs_dir}"
    merged, single = tree(target.outputs_dir), tree(built_once / "outputs")
    assert sorted(merged) == sorted(single)
    # the build report's timings differ from run to run; everything else is the same bytes
    merged, single = untimed(merged), untimed(single)
    assert [name for name in single if merged[name] != single[name]] == []
    # each merged report keeps the figures of the partial build that made it
    report = json.loads((target.outputs_dir / "build-report.json").read_text(encoding="utf-8"))
    for name, folder in partials[1].items():
        partial = json.loads((folder / "build-report.json").read_text(encoding="utf-8"))
        assert report["reports"][name]["time"] == partial["reports"][name]["time"]



def test_a_build_after_the_merge_has_nothing_to_do(partials, target):
    assert publish(target, *partials[1].values())[0] == 0
    assert build(target) == 0
    report = json.loads((target.outputs_dir / "build-report.json").read_text(encoding="utf-8"))
    assert report["kernels_started"] == 0


def test_a_report_already_up_to_date_in_the_outputs_is_reused(partials, target):
    assert publish(target, *partials[1].values())[0] == 0
    before = tree(target.outputs_dir)
    code, out, _ = publish(target, partials[1]["alpha/all"])
    assert code == 0 and "reused  alpha/all" in out and out.splitlines()[-1].startswith("0 merged, 4 reused")
    assert {n: d for n, d in tree(target.outputs_dir).items() if n != "build-report.json"} == \
        {n: d for n, d in before.items() if n != "build-report.json"}


def self_consistent_copy(folder: Path, into: Path, file: str, data: bytes) -> Path:
    """A copy of *folder* with *file* holding *data*, its manifest updated to match (so it verifies)."""
    shutil.copytree(folder, into)
    (into / file).write_bytes(data)
    recorded = json.loads((into / manifest.NAME).read_text(encoding="utf-8"))
    recorded["files"][file] = fingerprint.sha256_bytes(data)
    (into / manifest.NAME).write_bytes(fingerprint.stable_json(recorded))
    return into


def test_two_different_copies_of_one_report_are_refused_naming_both_folders(partials, target, tmp_path):
    original = partials[1]["alpha/pem"]
    other = self_consistent_copy(original, tmp_path / "other", "alpha/pem/report.html", b"<p>another build</p>")
    code, out, err = publish(target, *partials[1].values(), other)
    assert (code, out) == (2, "")
    assert f"error BLD012 {original.as_posix()} and {other.as_posix()} hold different copies of alpha/pem " \
           "(alpha/pem/report.html)" in err
    assert not target.outputs_dir.exists() or not any(target.outputs_dir.iterdir())


def test_a_file_that_differs_from_its_manifest_is_refused(partials, target, tmp_path):
    damaged = tmp_path / "damaged"
    shutil.copytree(partials[1]["beta/all"], damaged)
    (damaged / "beta/all/evidence.csv").write_bytes(b"key\n")
    (damaged / "beta/all/notes.txt").write_text("added by hand", encoding="utf-8")
    code, _, err = publish(target, *[f for n, f in partials[1].items() if n != "beta/all"], damaged)
    assert code == 2
    assert f"{damaged.as_posix()}/beta/all/evidence.csv: error BLD011 differs from the hash its manifest.json records" in err
    assert f"{damaged.as_posix()}/beta/all/notes.txt: error BLD011 is not listed in its manifest.json" in err


def test_a_report_no_folder_holds_must_be_up_to_date_in_the_outputs(partials, target):
    code, _, err = publish(target, *[f for n, f in partials[1].items() if n != "beta/pem"])
    assert code == 2
    assert "beta/pem: error BLD014 no merged folder holds beta/pem" in err
    assert "livingreview build --only beta/pem" in err


def test_a_report_built_from_other_inputs_is_refused_naming_what_changed(partials, target):
    edit(target.notes_dir / "roe2018.yml", "quick_summary: An invented study.", "quick_summary: An invented trial.")
    code, _, err = publish(target, *partials[1].values())
    assert code == 2
    lines = [line for line in err.splitlines() if "BLD013" in line]
    assert [line.split(": error")[0].rsplit("/", 2)[-2:] for line in lines] == [["alpha", "all"], ["alpha", "pem"]]
    assert "alpha/all was built from other inputs than this checkout's (changed: reviews/notes/roe2018.yml)" in lines[0]


def test_other_options_than_the_builds_had_are_named(partials, target):
    code, _, err = publish(target, *partials[1].values(), extra=())  # the partial builds skipped PDFs
    assert code == 2 and err.count("BLD013") == 4 and "changed: option pdf" in err


def test_a_folder_that_no_build_published_is_refused(partials, target, tmp_path):
    (tmp_path / "empty").mkdir()
    target.outputs_dir.mkdir()
    code, _, err = publish(target, tmp_path / "empty", tmp_path / "absent", target.outputs_dir)
    assert code == 2
    assert f"{(tmp_path / 'empty').as_posix()}: error BLD010 holds no manifest.json" in err
    assert f"{(tmp_path / 'absent').as_posix()}: error BLD010 no such folder" in err
    assert f"{target.outputs_dir.as_posix()}: error BLD010 is, or lies inside or around, the outputs folder" in err
