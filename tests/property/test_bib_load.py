"""The bibliography loader never raises on any text or bytes: every problem is a diagnostic
naming the file and a line inside it, and every entry it returns can be displayed."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from livingreview.bib.lint import lint
from livingreview.bib.load import load_bibliography
from livingreview.diagnostics import Diagnostic

from .strategies import FAST, any_text, bibtex_like


def _load(data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "refs.bib"
        path.write_bytes(data)
        return load_bibliography([path], root=Path(folder))


def _lines(data: bytes) -> int:
    text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def _assert_reported_well(data: bytes) -> None:
    bibliography, diagnostics = _load(data)
    for d in diagnostics:
        assert isinstance(d, Diagnostic)
        assert d.file == "refs.bib"
        assert d.line is None or 1 <= d.line <= _lines(data), d.format()
        assert d.message
    for entry in bibliography.values():  # display values decode lazily: reading them must not raise
        assert all(isinstance(value, str) for value in entry.fields.values())
        assert isinstance(entry.authors, list)
        assert entry.year is None or isinstance(entry.year, int)
        assert entry.doi is None or entry.doi.startswith("10.")
    cited = {key: [("reviews/notes/x.yml", 1)] for key in bibliography}
    assert all(isinstance(d, Diagnostic) for d in lint(bibliography, cited))


@FAST
@given(bibtex_like)
@example("@article{a, title = {x}, crossref = {b}}\n@article{b, crossref = {a}}")
@example("@string{a = b # a}\n@article{k, title = a}")
@example("@article{k, title = {" + "{" * 5000 + "}" * 5000 + "}}")
@example("@article{k, author = {and and , , and}, year = {-0}, doi = {10.}}")
def test_bibtex_shaped_text_gives_entries_and_diagnostics(text):
    _assert_reported_well(text.encode("utf-8", errors="surrogatepass"))


@FAST
@given(any_text)
def test_any_text_gives_entries_and_diagnostics(text):
    _assert_reported_well(text.encode("utf-8"))


@FAST
@given(st.binary(max_size=300))
@example(b"\xff\xfe@\x00a\x00")  # UTF-16
@example("@article{k, title = {Zürich}}".encode("latin-1"))
def test_any_bytes_give_entries_and_diagnostics(data):
    _assert_reported_well(data)


def test_a_file_that_is_not_utf8_is_one_diagnostic_with_its_line():
    _, diagnostics = _load("@article{k,\n  title = {Zürich},\n}\n".encode("latin-1"))
    assert [(d.code, d.line) for d in diagnostics] == [("BIB001", 2)]
