"""Safe YAML on arbitrary input: only YamlError (with the file and a line inside it) or plain data;
plain data written by a YAML dumper reads back equal, with a line for every mapping key."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from livingreview import yamlio

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
            _assert_plain(yamlio.load_file(path, "x.yml"))
        except yamlio.YamlError as exc:
            assert [d.file for d in exc.diagnostics] == ["x.yml"]
