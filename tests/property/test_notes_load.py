"""The note loader never raises on any YAML text or any mapping: a note either loads or is
reported, with diagnostics that name the file and a line inside it. The whole check, run on a
project holding such a note, raises nothing but the project's own errors and exits 0 or 2."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from livingreview import check, yamlio
from livingreview.diagnostics import Diagnostic
from livingreview.notes.load import load_notes, validate_data
from livingreview.notes.model import Note
from livingreview.project import Project

from bad_inputs.corpus import BASE, SOURCES
from .strategies import FAST, SLOW, VALID_NOTE, any_text, json_like, mutated_note, yaml_like

NOTE = "reviews/notes/doe2020.yml"


@pytest.fixture(scope="module")
def project_root():
    """A copy of the bad-input corpus's valid project, shared by the examples (each rewrites one note)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        shutil.copytree(BASE, root, ignore=shutil.ignore_patterns(SOURCES))
        yield root


def _assert_located(diagnostics, lines: int) -> None:
    for d in diagnostics:
        assert isinstance(d, Diagnostic)
        assert d.line is None or 1 <= d.line <= lines, d.format()
        assert d.message


def _load_text(root: Path, data: bytes):
    """Load the notes with *data* as doe2020.yml; roe2018.yml stays valid."""
    (root / NOTE).write_bytes(data)
    notes, diagnostics = load_notes(Project(root))
    text = data.decode("utf-8", errors="replace")
    _assert_located(diagnostics, len(text.splitlines()) + 1)
    if diagnostics:
        assert {d.file for d in diagnostics} == {NOTE}
    return notes, diagnostics


@FAST
@given(yaml_like)
@example("key: doe2020\nfindings: " + "[" * 2000 + "]" * 2000)
@example("a: &a [*a]")
@example("key: !!python/object/apply:os.system ['touch pwned']")
def test_yaml_shaped_text_loads_or_is_reported(project_root, text):
    notes, diagnostics = _load_text(project_root, text.encode("utf-8"))
    assert len(notes) + len(notes.invalid) == 2  # the file is loaded or reported, never dropped silently


@FAST
@given(any_text | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_any_text_loads_or_is_reported(project_root, text):
    _load_text(project_root, text.encode("utf-8"))


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_load_or_are_reported(project_root, data):
    _load_text(project_root, data)


@FAST
@given(json_like)
def test_any_value_validates_or_is_reported(value):
    loaded, diagnostics = validate_data(value, Note, NOTE, "NOTE001", "doe2020")
    assert (loaded is None) == bool(diagnostics)
    assert all(d.code == "NOTE001" and d.file == NOTE for d in diagnostics)


@FAST
@given(mutated_note())
def test_a_note_changed_in_one_place_validates_or_is_reported(value):
    data = yamlio.loads(yaml.safe_dump(value, allow_unicode=True), NOTE)  # with lines, as read from a file
    loaded, diagnostics = validate_data(data, Note, NOTE, "NOTE001", "doe2020")
    assert (loaded is None) == bool(diagnostics)
    _assert_located(diagnostics, yaml.safe_dump(value, allow_unicode=True).count("\n") + 1)
    assert all(d.field is None or d.field for d in diagnostics)


def test_the_unchanged_note_is_valid():
    loaded, diagnostics = validate_data(yamlio.loads(yaml.safe_dump(VALID_NOTE), NOTE), Note, NOTE, "NOTE001", "doe2020")
    assert diagnostics == [] and loaded.value.key == "doe2020"


@SLOW
@given(mutated_note() | yaml_like)
def test_the_whole_check_reports_any_note_without_raising(project_root, value):
    text = value if isinstance(value, str) else yaml.safe_dump(value, allow_unicode=True)
    (project_root / NOTE).write_text(text, encoding="utf-8")
    out = io.StringIO()
    code = check.run(Project(project_root), out=out, fmt="json")
    assert code in (0, 2)
