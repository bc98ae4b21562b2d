"""Quote matching on arbitrary text: never raises; a passage copied from the source is always found,
with a span whose text is the passage; typographic quote marks and dashes, and reflowed whitespace,
do not stop a match; the nearest passage of a quote that is not there is scored between 0 and 1."""

from __future__ import annotations

from hypothesis import assume, example, given
from hypothesis import strategies as st

from livingreview.notes.quotes import Source, is_plain_name, quote_form

from .strategies import FAST

prose = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
typographic = st.text(alphabet="ab ’‘“”–—'\"-\n\t\u00a0\u2028.", max_size=120)
PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


@FAST
@given(prose | typographic)
def test_normalising_is_idempotent(text):
    assert quote_form(quote_form(text)) == quote_form(text)


@FAST
@given(prose | typographic, st.data())
@example("a\u00a0 b", None)
def test_a_passage_of_the_source_is_found_and_its_span_holds_it(text, data):
    start = data.draw(st.integers(0, len(text))) if data else 0
    end = data.draw(st.integers(start, len(text))) if data else len(text)
    passage = text[start:end]
    assume(quote_form(passage))
    source = Source.from_bytes(text.encode("utf-8"))
    span = source.find(passage)
    assert span is not None
    assert 0 <= span[0] < span[1] <= len(text)
    assert quote_form(text[span[0]:span[1]]) == quote_form(passage)


@FAST
@given(typographic)
def test_plain_marks_and_reflowed_whitespace_still_match(text):
    assume(quote_form(text))
    source = Source.from_bytes(text.encode("utf-8"))
    plain = " \n ".join(text.translate(PLAIN).split())
    assert source.find(plain) is not None


@FAST
@given(prose | typographic, prose | typographic)
def test_the_nearest_passage_is_scored_between_0_and_1(text, quote):
    source = Source.from_bytes(text.encode("utf-8"))
    similarity, passage = source.nearest(quote)
    assert 0.0 <= similarity <= 1.0
    assert isinstance(passage, str)
    if source.find(quote) is None:
        assert quote_form(passage) != quote_form(quote) or not quote_form(quote)


@FAST
@given(st.binary(max_size=200))
def test_a_source_that_is_not_utf8_raises_only_unicode_errors(data):
    try:
        Source.from_bytes(data)
    except UnicodeDecodeError:
        pass


@FAST
@given(st.text(max_size=40))
@example("../x.txt")
@example("/etc/passwd")
@example("a\\b.txt")
@example("..")
def test_a_plain_name_never_leaves_the_folder(name):
    if is_plain_name(name):
        assert "/" not in name and "\\" not in name and ".." not in name and name not in ("", ".")
