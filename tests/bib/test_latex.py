import pytest

from livingreview.bib.latex import to_text, verbatim_text


@pytest.mark.parametrize(("raw", "shown"), [
    (r"M{\"u}ller", "Müller"),
    (r"Caf\'e au {\o}l", "Café au øl"),
    ("The {DNA} of {HIV}", "The DNA of HIV"),
    (r"$\alpha$-synuclein", "α-synuclein"),
    ("45--67", "45–67"),
    ("50% of A & B, {X}", "50% of A & B, X"),
    (r"50\% and \& stay", "50% and & stay"),
    ("plain text", "plain text"),
    (r"\href{http://a}{b}", r"\hrefhttp://ab"),  # pylatexenc fails on this: shown as written, minus braces
])
def test_display_text(raw, shown):
    assert to_text(raw) == shown


def test_verbatim_fields_are_unwrapped_not_decoded():
    assert verbatim_text(r"\url{https://example.org/~doe/a_b--c}") == "https://example.org/~doe/a_b--c"
    assert verbatim_text(r"10.5555/abc\_def") == "10.5555/abc_def"
