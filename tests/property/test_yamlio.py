"""Safe YAML on arbitrary input: only YamlError (with the file and a line inside it) or plain data;
plain data written by a YAML dumper reads back equal, with a line for every mapping key."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from livingreview import textfile, yamlio

from .strategies import FAST, any_text, yaml_like

plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def _assert_plain(value) -> None:
    assert value is None or isinstance(value, (bool, int, float, str, list, dict, bytes)) or hasattr(value, "isoformat")
    if isinstance(value, dict):
        assert set(value.lines) == set(value)
        for key, item in value.items():
            _assert_plain(key)
            _assert_plain(item)
    elif isinstance(value, list):
        assert len(value.lines) == len(value)
        for item in value:
            _assert_plain(item)


@FAST
@given(yaml_like | any_text)
@example("a: " + "[" * 200 + "]" * 200)
@example("a:\n  " + "- " * 3000 + "x")
@example("a: 2020-02-30")
@example("a: &x 1\nb: *x")
@example("? [a, b]\n: c")
def test_any_text_is_plain_data_or_one_yaml_error(text):
    try:
        value = yamlio.loads(text, "x.yml")
    except yamlio.YamlError as exc:
        (d,) = exc.diagnostics
        assert d.file == "x.yml" and d.code.startswith("YAML")
        assert d.line is None or 1 <= d.line <= len(text.splitlines()) + 1
        return
    _assert_plain(value)


@FAST
@given(plain)
def test_plain_data_reads_back_as_written(value):
    text = yaml.dump(value, Dumper=_NoAliases)  # non-ASCII escaped: a raw U+0085 is a line break to YAML
    assert yamlio.loads(text, "x.yml") == value


@FAST
@given(st.binary(max_size=200))
def test_any_file_is_plain_data_or_one_yaml_error(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.yml"
        path.write_bytes(data)
        try:
            _assert_plain(yamlio.load_file(path, "x.yml", scope=textfile.Scope.of(folder, 4)))
        except yamlio.YamlError as exc:
            assert [d.file for d in exc.diagnostics] == ["x.yml"]


def _shape(value):
    """*value* with every line it remembers and the type and repr of every scalar, to compare two loads exactly."""
    if isinstance(value, dict):
        return ("map", value.line, dict(value.lines), [(_shape(k), _shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", value.line, list(value.lines), [_shape(v) for v in value])
    return (type(value).__name__, repr(value))


@FAST
@given(yaml_like | any_text | plain.map(lambda value: yaml.dump(value, Dumper=_NoAliases)))
@example("a: 1\na: 2")
@example("a: &x [1]\nb: *x")
@example("<<: {a: 1}")
@example("a: 1\n---\nb: 2\n")
def test_fast_path_builds_exactly_what_the_full_loader_builds(text):
    try:
        fast = yamlio._fast(text)
    except yamlio._LEFT_TO_FULL_LOADER:
        return
    assert _shape(fast) == _shape(yaml.load(text, Loader=yamlio._Loader))  # noqa: S506 - a SafeLoader


def test_fast_path_reads_a_note_with_its_lines():
    text = "key: doe2020\npatients: 12\nok: yes\nwhen: 2020-01-02\nnone:\nfindings:\n  - id: f1\n    quote: 'x'\n  - {id: f2}\n"
    data = yamlio._fast(text)
    assert _shape(data) == _shape(yaml.load(text, Loader=yamlio._Loader))  # noqa: S506 - a SafeLoader
    assert data == {"key": "doe2020", "patients": 12, "ok": True, "when": datetime.date(2020, 1, 2), "none": None,
                    "findings": [{"id": "f1", "quote": "x"}, {"id": "f2"}]}
    assert (data.lines, data["findings"].lines, data["findings"][1].line) == (
        {"key": 1, "patients": 2, "ok": 3, "when": 4, "none": 5, "findings": 6}, [7, 9], 9)


def test_fast_path_leaves_anchors_duplicates_merges_and_deep_nesting_to_the_full_loader():
    for text in ["a: &x [1]\nb: *x", "a: 1\na: 2", "<<: {a: 1}", "? [a]\n: b", "a: !!str 1", "a: 1\n---\nb: 2",
                 "a: [", "a: 2020-13-45", "[" * 100 + "]" * 100]:
        with pytest.raises(yamlio._LEFT_TO_FULL_LOADER):
            yamlio._fast(text)
