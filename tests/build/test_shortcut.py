"""A build with nothing changed is answered from the tree fingerprint, before the review is loaded."""

from __future__ import annotations

import json

import pytest
from build_fixtures import build, edit, tree

import livingreview
from livingreview import filehashes, fingerprint
from livingreview.build import manifest, shortcut
from livingreview.build.options import BuildOptions


def recorded_tree(project) -> str | None:
    return json.loads((project.outputs_dir / manifest.NAME).read_text(encoding="utf-8")).get("tree")


@pytest.fixture
def no_loading(monkeypatch):
    """Fail the test if the review is loaded (the shortcut must answer without it)."""
    def refuse(*args, **kwargs):
        raise AssertionError("the review was loaded")

    monkeypatch.setattr(livingreview, "load", refuse)


def test_a_complete_build_records_the_tree_it_read(built):
    assert recorded_tree(built) == shortcut.tree_fingerprint(built, BuildOptions(pdf=False))


def test_nothing_changed_is_answered_without_loading_the_review(built, no_loading, capsys):
    assert build(built) == 0
    report = json.loads((built.outputs_dir / manifest.BUILD_REPORT).read_text(encoding="utf-8"))
    assert report["kernels_started"] == 0
    assert set(r["status"] for r in report["reports"].values()) == {"reused"}
    assert "no input changed since the last complete build" in capsys.readouterr().out


def test_any_changed_input_goes_the_full_way(built, no_loading):
    edit(built.notes_dir / "poe2019.yml", "direction: contradicts", "direction: supports")
    with pytest.raises(AssertionError, match="the review was loaded"):
        build(built)


def _settled(monkeypatch) -> list[str]:
    """From now on runs start as if the files had been left alone for a minute; returns the files read and hashed."""
    real_now, real_sha = filehashes.time.time_ns, fingerprint.sha256_file
    monkeypatch.setattr(filehashes.time, "time_ns", lambda: real_now() + 60 * 10**9)
    seen = []
    monkeypatch.setattr(fingerprint, "sha256_file", lambda path: seen.append(str(path)) or real_sha(path))
    return seen


def test_a_second_no_op_reads_no_input_or_output_again(built, no_loading, monkeypatch):
    read = _settled(monkeypatch)
    assert build(built) == 0
    notes, outputs = str(built.notes_dir / "poe2019.yml"), str(built.outputs_dir / "alpha" / "all" / "evidence.csv")
    assert notes in read and outputs in read
    read.clear()
    assert build(built) == 0
    assert notes not in read and outputs not in read


def test_an_input_edited_after_the_hashes_were_recorded_goes_the_full_way(built, no_loading, monkeypatch):
    _settled(monkeypatch)
    assert build(built) == 0
    edit(built.notes_dir / "poe2019.yml", "direction: contradicts", "direction: supports")
    with pytest.raises(AssertionError, match="the review was loaded"):
        build(built)


def test_an_output_damaged_after_the_hashes_were_recorded_goes_the_full_way(built, no_loading, monkeypatch):
    _settled(monkeypatch)
    assert build(built) == 0
    (built.outputs_dir / "alpha" / "all" / "evidence.csv").write_text("tampered\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="the review was loaded"):
        build(built)


def test_a_damaged_output_goes_the_full_way(built, no_loading):
    (built.outputs_dir / "alpha" / "all" / "evidence.csv").write_text("tampered\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="the review was loaded"):
        build(built)


def test_a_different_pdf_option_is_a_different_tree(built):
    assert shortcut.tree_fingerprint(built, BuildOptions(pdf=True)) != shortcut.tree_fingerprint(built, BuildOptions(pdf=False))


def test_a_strict_build_after_a_lenient_one_goes_the_full_way(fresh):
    """A lenient build publishes what --strict refuses (an unresolved screening conflict, a cell's warning), so
    the tree it records must not answer a strict build."""
    assert shortcut.tree_fingerprint(fresh, BuildOptions(strict=True)) != shortcut.tree_fingerprint(fresh, BuildOptions())


def test_force_never_takes_the_shortcut():
    assert not shortcut.applies(BuildOptions(force=True))
    for options in (BuildOptions(), BuildOptions(explain=True), BuildOptions(only=["alpha"])):
        assert shortcut.applies(options)


def test_a_forced_build_after_no_change_goes_the_full_way(built, no_loading):
    with pytest.raises(AssertionError, match="the review was loaded"):
        build(built, force=True)


def _full_path(monkeypatch):
    """Make the shortcut answer nothing (so what it would have answered can be compared with the full path's)."""
    monkeypatch.setattr(shortcut, "unchanged", lambda *a: None)


def _build_report(project) -> dict:
    return json.loads((project.outputs_dir / manifest.BUILD_REPORT).read_text(encoding="utf-8"))


@pytest.mark.parametrize("only", [["alpha/pem"], ["beta"], ["beta/all", "alpha/all"]])
def test_only_is_answered_without_loading_the_review_as_the_full_path_answers(built, capsys, monkeypatch, only):
    with monkeypatch.context() as m:
        _full_path(m)
        assert build(built, only=only) == 0
    full, full_report = capsys.readouterr().out, _build_report(built)
    with monkeypatch.context() as m:
        m.setattr(livingreview, "load", lambda *a, **k: pytest.fail("the review was loaded"))
        assert build(built, only=only) == 0
    out = capsys.readouterr().out
    assert _build_report(built) == full_report
    assert [line for line in out.splitlines() if line.startswith("reused")] == \
           [line for line in full.splitlines() if line.startswith("reused")]
    assert "0 built" in out and "0 kernels started" in out


def test_only_naming_no_report_goes_the_full_way_and_is_refused(built):
    from livingreview.errors import ConfigError

    with pytest.raises(ConfigError, match="no variant 'nope'"):
        build(built, only=["alpha/nope"])


@pytest.mark.parametrize("only", [[], ["alpha"]])
def test_explain_is_answered_without_loading_the_review_as_the_full_path_answers(built, capsys, monkeypatch, only):
    with monkeypatch.context() as m:
        _full_path(m)
        assert build(built, explain=True, only=only) == 0
    full = capsys.readouterr().out
    before = tree(built.outputs_dir)
    with monkeypatch.context() as m:
        m.setattr(livingreview, "load", lambda *a, **k: pytest.fail("the review was loaded"))
        assert build(built, explain=True, only=only) == 0
    assert capsys.readouterr().out == full
    assert "reuse — nothing it reads changed" in full
    assert "    last built: kernel " in full  # each report's phases, from the build that made it
    assert tree(built.outputs_dir) == before  # explaining writes nothing, not even the build report


@pytest.mark.parametrize("args", [["--no-pdf"], ["--no-pdf", "--format", "github-matrix"], ["--no-pdf", "--only", "beta/pem"]])
def test_plan_is_answered_without_loading_the_review_as_the_full_path_answers(built, capsys, monkeypatch, args):
    from livingreview.cli import main

    with monkeypatch.context() as m:
        _full_path(m)
        assert main(["--root", str(built.root), "plan", *args]) == 0
    full = capsys.readouterr().out
    with monkeypatch.context() as m:
        m.setattr(livingreview, "load", lambda *a, **k: pytest.fail("the review was loaded"))
        assert main(["--root", str(built.root), "plan", *args]) == 0
    assert capsys.readouterr().out == full


@pytest.mark.parametrize("options", [dict(only=["alpha/all"]), dict(explain=True)])
def test_any_changed_input_takes_only_and_explain_the_full_way(built, no_loading, options):
    edit(built.notes_dir / "poe2019.yml", "direction: contradicts", "direction: supports")
    with pytest.raises(AssertionError, match="the review was loaded"):
        build(built, **options)


def test_after_a_partial_build_nothing_is_answered_from_the_manifest(built, monkeypatch):
    """A partial build leaves the other reports as they were, perhaps out of date (beta/pem here): no tree
    is recorded, so neither a plain build, --only, --explain nor plan is answered before loading."""
    edit(built.notes_dir / "poe2019.yml", "direction: contradicts", "direction: supports")
    assert build(built, only=["beta/all"]) == 0
    assert recorded_tree(built) is None
    monkeypatch.setattr(livingreview, "load", lambda *a, **k: (_ for _ in ()).throw(AssertionError("the review was loaded")))
    for options in (dict(), dict(only=["beta/all"]), dict(explain=True)):
        with pytest.raises(AssertionError, match="the review was loaded"):
            build(built, **options)
    assert shortcut.unchanged(built, BuildOptions(pdf=False), built.outputs_dir) is None


def test_reports_are_named_in_the_matrix_order_of_build_yml(built, capsys):
    """Variants listed pem before all: the manifest is sorted by name, the answer follows build.yml."""
    edit(built.root / "reviews" / "build.yml", "  - name: all\n    title: All studies\n", "")
    edit(built.root / "reviews" / "build.yml", "      pem_required_only: true\n",
         "      pem_required_only: true\n  - name: all\n    title: All studies\n")
    assert build(built) == 0
    capsys.readouterr()
    assert build(built, explain=True) == 0
    assert [line.split(":")[0] for line in capsys.readouterr().out.splitlines() if not line.startswith(" ")] == [
        "alpha/pem", "alpha/all", "beta/pem", "beta/all"]


def test_a_build_compared_with_another_folder_never_takes_the_shortcut(tmp_path):
    assert not shortcut.applies(BuildOptions(previous=tmp_path))


def test_a_partial_build_does_not_record_a_tree(fresh):
    assert build(fresh, only=["alpha/all"]) == 0
    assert recorded_tree(fresh) is None
