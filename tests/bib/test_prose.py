"""Citations found in Markdown prose by Pandoc's rules (and only there)."""

import pytest

from livingreview.bib.prose import Cite, find, substitute


def found(text):
    return [(c.source, c.cites, c.narrative) for c in find(text)]


def test_a_bracketed_citation_with_a_locator():
    assert found("As shown [@doe2020, p. 3].") == [("[@doe2020, p. 3]", (Cite("doe2020", locator=("page", "3")),), False)]


def test_several_works_with_prefixes_locators_and_suffixes():
    [(source, cites, _)] = found("[see @doe2020, pp. 33-35, 38; also @roe2018, chap. 1; @poe2015, and elsewhere]")
    assert cites == (Cite("doe2020", prefix="see", locator=("page", "33-35, 38")),
                     Cite("roe2018", prefix="also", locator=("chapter", "1")),
                     Cite("poe2015", suffix=", and elsewhere"))


def test_a_bare_number_is_a_page_and_the_author_can_be_left_out():
    assert found("[-@doe2020, 12]") == [("[-@doe2020, 12]", (Cite("doe2020", locator=("page", "12"), suppress_author=True),), False)]


def test_narrative_citations_end_before_the_sentence_s_full_stop():
    assert found("@doe2020 found it. So did @roe2018.") == [
        ("@doe2020", (Cite("doe2020"),), True), ("@roe2018", (Cite("roe2018"),), True)]
    assert found("@doe2020 [p. 4] says") == [("@doe2020 [p. 4]", (Cite("doe2020", locator=("page", "4")),), True)]
    assert found("See @{odd/key:1}.") == [("@{odd/key:1}", (Cite("odd/key:1"),), True)]


@pytest.mark.parametrize("text", [
    "Write to jane@example.org.",  # an e-mail address
    r"Follow \@doe2020 on the forum.",  # escaped
    "Code: `[@doe2020]` and `@doe2020`.",  # a code span
    "```\n[@doe2020]\n```",  # a fenced code block
    "Text.\n\n    [@doe2020]\n",  # an indented code block
    "Mail <jane@example.org> or <https://example.org/@doe2020>.",  # autolinks
    '<a href="mailto:x@doe2020">x</a>',  # an HTML tag
    "[the trial](https://example.org/@doe2020)",  # a link's address
    "[no key here] and [brackets]",
])
def test_what_is_not_a_citation(text):
    assert found(text) == []


def test_a_bracket_that_is_a_link_s_text_is_not_a_bracketed_citation():
    assert found("[as @doe2020 said](https://example.org)") == [("@doe2020", (Cite("doe2020"),), True)]


def test_substitute_replaces_each_citation_and_keeps_the_rest():
    text = "A [@doe2020]; B @roe2018. jane@example.org"
    assert substitute(text, lambda c: "<" + ",".join(c.keys) + ">") == "A <doe2020>; B <roe2018>. jane@example.org"
