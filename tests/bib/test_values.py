import pytest

from livingreview.bib.values import MONTHS, Part, ValueSyntaxError, evaluate, parse


def test_parts_of_a_concatenation():
    assert parse('jex # { and } # "More {B}" # 2020') == [
        Part("macro", "jex"), Part("text", " and "), Part("text", "More {B}"), Part("number", "2020"),
    ]


def test_escaped_braces_do_not_count():
    assert parse(r"{a \} b}") == [Part("text", r"a \} b")]


@pytest.mark.parametrize(("raw", "message", "offset"), [
    ("{Poe}\n  title = {X}", "expected ',' after the value", 5),
    ("{open", "a '{' is never closed", 0),
    ('"open', "a '\"' is never closed", 0),
    ("jex #", "a value is missing after '#'", 5),
    ("", "a value is missing", 0),
])
def test_values_that_are_not_expressions(raw, message, offset):
    with pytest.raises(ValueSyntaxError) as caught:
        parse(raw)
    assert (caught.value.message, caught.value.offset) == (message, offset)


def test_evaluate_expands_macros_without_case_and_collapses_whitespace():
    macros = {"jex": "Journal  of\nExamples", **MONTHS}
    text, unknown = evaluate(parse('JEX # " " # mar # nope'), macros.get)
    assert (text, unknown) == ("Journal of Examples Marchnope", ["nope"])
