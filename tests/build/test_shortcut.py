"""A build with nothing changed is answered from the tree fingerprint, before the review is loaded."""

from __future__ import annotations

import json

import pytest
from build_fixtures import build, edit

import livingreview
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


def test_force_only_and_explain_never_take_the_shortcut():
    for options in (BuildOptions(force=True), BuildOptions(explain=True), BuildOptions(only=["alpha"])):
        assert not shortcut.applies(options)
    assert shortcut.applies(BuildOptions())


def test_a_build_compared_with_another_folder_never_takes_the_shortcut(tmp_path):
    assert not shortcut.applies(BuildOptions(previous=tmp_path))


def test_a_partial_build_does_not_record_a_tree(fresh):
    assert build(fresh, only=["alpha/all"]) == 0
    assert recorded_tree(fresh) is None
