"""Rendered references compared with what each style's rules demand (APA 7th; NLM / Citing
Medicine for Vancouver; Cite Them Right for Harvard), for fictional works."""

import re

import pytest

from livingreview.bib import cite
from livingreview.bib.cite import STYLES, format_references, year_suffix
from livingreview.bib.load import Entry
from livingreview.errors import ConfigError, InputError

KEYS = ["garcia2019", "examplesite2021", "doe2020"]  # the order of citation


@pytest.fixture
def bib(load_fixture):
    bib, diagnostics = load_fixture("render.bib")
    assert diagnostics == []
    return bib


def test_style_names_map_to_csl_styles():
    assert STYLES == {"apa": "apa", "vancouver": "vancouver-nlm", "harvard": "harvard-cite-them-right"}


def test_apa_journal_article_review_and_web_page(bib):
    refs = format_references(bib, KEYS)  # APA is the default
    assert refs.style == "apa"
    # alphabetical: Doe, then the web page by its title's first significant word ("example"), then García
    assert [(r.key, r.label, r.text) for r in refs] == [
        ("doe2020", "Doe & Roe, 2020",
         "Doe, J. A., & Roe, R. (2020). Fatigue in fictional patients: A cohort study. Journal of Examples, 12(3), 45–67. "
         "https://doi.org/10.5555/example.2020.001"),
        ("examplesite2021", "An Example Web Page, 2021",
         "An example web page. (2021, May 3). Example Site. https://example.org/page"),
        ("garcia2019", "García et al., 2019",
         "García, A., Smith, B., & Lee, C. (2019). Imaginary mechanisms of fatigue: A narrative review. Examples Review, 4, 101–109."),
    ]
    assert refs.items[0].html == (
        "Doe, J. A., &amp; Roe, R. (2020). Fatigue in fictional patients: A cohort study. <i>Journal of Examples</i>, <i>12</i>(3), "
        '45–67. <a href="https://doi.org/10.5555/example.2020.001">https://doi.org/10.5555/example.2020.001</a>'
    )
    assert refs.items[1].html == (
        '<i>An example web page</i>. (2021, May 3). Example Site. <a href="https://example.org/page">https://example.org/page</a>'
    )
    assert refs.label("garcia2019") == "García et al., 2019"
    assert [r.anchor for r in refs] == ["ref-doe2020", "ref-examplesite2021", "ref-garcia2019"]


def test_vancouver_journal_article_review_and_web_page_in_order_of_citation(bib):
    refs = format_references(bib, KEYS, "vancouver")
    assert [(r.key, r.label, r.text) for r in refs] == [
        ("garcia2019", "García et al., 2019 [1]",
         "1. García A, Smith B, Lee C. Imaginary mechanisms of fatigue: A narrative review. Examples Review. 2019;4:101–9."),
        ("examplesite2021", "An Example Web Page, 2021 [2]",
         "2. Example Site [Internet]. 2021 [cited 2024 Jan 2]. An example web page. Available from: https://example.org/page"),
        ("doe2020", "Doe & Roe, 2020 [3]",
         "3. Doe JA, Roe R. Fatigue in fictional patients: A cohort study. Journal of Examples. 2020;12(3):45–67. "
         "doi:10.5555/example.2020.001"),
    ]
    assert refs.items[2].html.endswith(
        'doi:<a href="https://doi.org/10.5555/example.2020.001">10.5555/example.2020.001</a>')


def test_harvard_uses_british_conventions(bib):
    refs = format_references(bib, KEYS, "harvard")
    assert [(r.label, r.text) for r in refs] == [
        ("Doe and Roe, 2020",
         "Doe, J.A. and Roe, R. (2020) ‘Fatigue in fictional patients: A cohort study’, Journal of Examples, 12(3), pp. 45–67. "
         "Available at: https://doi.org/10.5555/example.2020.001."),
        ("An example web page, 2021",
         "An example web page (2021) Example Site. Available at: https://example.org/page (Accessed: 2 January 2024)."),
        ("García, Smith and Lee, 2019",
         "García, A., Smith, B. and Lee, C. (2019) ‘Imaginary mechanisms of fatigue: A narrative review’, Examples Review, 4, pp. 101–109."),
    ]


def test_apa_book_and_conference_paper(bib):
    refs = format_references(bib, ["roe2018", "talk2019"])
    assert [r.text for r in refs] == [
        "Doe, J. A. (2019). A talk about nothing. In R. Roe (Ed.), Proceedings of the Example Conference (pp. 1–9). Example Press.",
        "Roe, R. (2018). An imaginary handbook. Example Press.",
    ]


def _entry(key, title, **fields):
    fields = {"author": "Doe, Jane and Roe, Richard", "title": title, "journal": "Journal of Examples", "year": "2020", **fields}
    return Entry(key=key, type="article", fields=fields, raw=fields, file="bib/x.bib", line=1)


def test_same_authors_and_year_get_year_suffixes_in_title_order():
    bib = {"z": _entry("z", "Zebra fatigue"), "a": _entry("a", "Ant fatigue")}
    refs = format_references(bib, ["z", "a"])
    assert [(r.key, r.label) for r in refs] == [("a", "Doe & Roe, 2020a"), ("z", "Doe & Roe, 2020b")]
    assert refs.items[0].text.startswith("Doe, J., & Roe, R. (2020a). Ant fatigue.")


def test_year_suffixes_go_on_past_z_as_csl_assigns_them():
    assert [year_suffix(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "a", "b", "z", "aa", "ab", "az", "ba", "zz", "aaa"]
    bib = {f"w{i:02d}": _entry(f"w{i:02d}", f"Fatigue study {i:02d}") for i in range(28)}
    labels = [r.label for r in format_references(bib, list(bib))]
    assert labels[25:] == ["Doe & Roe, 2020z", "Doe & Roe, 2020aa", "Doe & Roe, 2020ab"]
    assert len(set(labels)) == 28  # every citation names one work


def test_user_text_never_becomes_markup():
    hostile = _entry("x", '<script>alert("x")</script> & <b>bold</b>', url='javascript:alert(1)" onmouseover="x',
                     doi='10.5555/a"><script>', author="<i>Doe</i>, Jane")
    for style in STYLES:
        item = format_references({"x": hostile}, ["x"], style).items[0]
        tags = re.findall(r"<[^>]*>", item.html)
        assert set(tags) <= {"<i>", "</i>", "</a>", '<a href="https://doi.org/10.5555/a%22%3E%3Cscript%3E">'}, (style, tags)
        assert "&lt;script&gt;" in item.html
        assert "<script>" in item.text  # plain text is plain


def test_unknown_style_names_the_style_and_the_valid_ones(bib):
    with pytest.raises(ConfigError) as caught:
        format_references(bib, KEYS, "chicago")
    assert caught.value.diagnostics[0].message == "unknown citation style 'chicago'; use one of: apa, harvard, vancouver"


def test_unknown_keys_are_refused(bib):
    with pytest.raises(InputError) as caught:
        format_references(bib, ["doe2020", "nobody2000"])
    assert [(d.code, d.key) for d in caught.value.diagnostics] == [("BIB017", "nobody2000")]


def test_only_the_keys_asked_for_are_formatted_and_results_are_cached(bib):
    cite._render_now.cache_clear()
    assert [r.key for r in format_references(bib, ["doe2020", "doe2020"])] == ["doe2020"]
    assert cite._render_now.cache_info().misses == 1
    format_references(bib, ["doe2020"])
    assert (cite._render_now.cache_info().hits, cite._render_now.cache_info().misses) == (1, 1)


@pytest.mark.parametrize("style", ["apa", "vancouver", "harvard"])
def test_references_rendered_ahead_are_the_ones_formatting_would_render(bib, style, monkeypatch):
    expected = format_references(bib, KEYS, style)
    pairs = sorted(cite.needed(bib, [(KEYS, style)]))
    assert {style_id for style_id, _ in pairs} >= {cite.STYLES[style]}
    rendered = dict(zip(pairs, cite.render_many(pairs)))
    # in a process that only holds what was rendered ahead, formatting renders nothing itself
    monkeypatch.setattr(cite, "_remembered", {})
    cite.remember(rendered)
    monkeypatch.setattr(cite, "_render_now", lambda *a: pytest.fail(f"rendered again: {a[0]}"))
    again = format_references(bib, KEYS, style)
    assert [(r.key, r.label, r.html) for r in again] == [(r.key, r.label, r.html) for r in expected]
    assert cite.remembered() == rendered


def test_works_shared_by_several_lists_are_rendered_ahead_as_each_list_needs_them(monkeypatch):
    # "a" is 2020a beside "b", and has no suffix alone; the numeric list labels it as the author-date one does
    bib = {"a": _entry("a", "Ant fatigue"), "b": _entry("b", "Bee fatigue"), "c": _entry("c", "Cat fatigue", year="2019")}
    lists = [(["a", "b"], "apa"), (["a", "c"], "apa"), (["a", "b", "c"], "vancouver"), (["b"], "harvard")]
    pairs = cite.needed(bib, lists)
    assert pairs == set().union(*(cite.needed(bib, [one]) for one in lists))
    monkeypatch.setattr(cite, "_remembered", {})
    cite.remember(dict(zip(sorted(pairs), cite.render_many(sorted(pairs)))))
    monkeypatch.setattr(cite, "_render_now", lambda *a: pytest.fail(f"rendered again: {a[0]}"))
    labels = [[r.label for r in format_references(bib, keys, style)] for keys, style in lists]
    assert labels == [["Doe & Roe, 2020a", "Doe & Roe, 2020b"], ["Doe & Roe, 2019", "Doe & Roe, 2020"],
                      ["Doe & Roe, 2020a [1]", "Doe & Roe, 2020b [2]", "Doe & Roe, 2019 [3]"],
                      ["Doe and Roe, 2020"]]


def test_label_of_a_key_not_formatted_is_a_key_error(bib):
    with pytest.raises(KeyError):
        format_references(bib, ["doe2020"]).label("garcia2019")


def test_incomplete_author_lists_end_in_et_al_without_and():
    one = _entry("one", "A single known author", author="Doe, Jane and others")
    six = _entry("six", "Six known authors", author=" and ".join(f"Doe{n}, J." for n in range(6)) + " and others")
    apa = format_references({"one": one, "six": six}, ["one", "six"])
    assert [(r.label, r.text.split(" (")[0]) for r in apa] == [
        ("Doe et al., 2020", "Doe, J., et al."),
        ("Doe0 et al., 2020", "Doe0, J., Doe1, J., Doe2, J., Doe3, J., Doe4, J., Doe5, J., et al."),
    ]
    vancouver = format_references({"one": one}, ["one"], "vancouver")
    assert vancouver.items[0].text.startswith("1. Doe J, et al. A single known author.")
    harvard = format_references({"one": one}, ["one"], "harvard")
    assert (harvard.items[0].label, harvard.items[0].text.split(" (")[0]) == ("Doe et al., 2020", "Doe, J. et al.")


def test_a_title_ending_in_a_question_mark_takes_no_period():
    entry = _entry("q", "Can fatigue be imaginary?")
    assert format_references({"q": entry}, ["q"]).items[0].text.startswith("Doe, J., & Roe, R. (2020). Can fatigue be imaginary? Journal")
    assert format_references({"q": entry}, ["q"], "vancouver").items[0].text.startswith("1. Doe J, Roe R. Can fatigue be imaginary? Journal")


def test_an_untitled_work_is_described_by_its_note_in_square_brackets():
    fields = {"note": "Leaflet of a fictional society", "organization": "Example Society"}
    entry = Entry(key="leaflet", type="online", fields=fields, raw=fields, file="bib/x.bib", line=1)
    item = format_references({"leaflet": entry}, ["leaflet"]).items[0]
    assert item.text == "[Leaflet of a fictional society]. (n.d.). Example Society."


def test_latex_math_in_a_title_is_shown_as_text(load_fixture):
    bib, _ = load_fixture("accents.bib")
    text = format_references(bib, ["berg2021"]).items[0].text
    assert "The DNA of α-fatigue in Café Øresund: 50% of A & B." in text


# -- against what the CSL style itself produces (citeproc-py with the style file) ----------------------------


def _citeproc(bib, keys, style, citations):
    """citeproc-py alone, with the style file: *keys* registered in order, then each of *citations*
    (lists of (key, options)) cited; (the bibliography's entries, each citation), as HTML."""
    import json

    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    items = [json.loads(json.dumps(cite.to_csl(bib[key], key.lower()))) for key in keys]
    processor = CitationStylesBibliography(cite._style(STYLES[style]), CiteProcJSON(items), formatter.html)
    for key in keys:
        processor.register(Citation([CitationItem(key)]))
    made = []
    for group in citations:
        citation = Citation([CitationItem(key, **options) for key, options in group])
        processor.register(citation)
        made.append(str(processor.cite(citation, lambda missing: None)))
    return [str(entry) for entry in processor.bibliography()], made


def _text(markup):
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_vancouver_entries_are_the_style_s_numbered_once_in_the_order_asked_for(bib):
    keys = ["doe2020", "garcia2019", "examplesite2021"]
    refs = format_references(bib, keys, "vancouver")
    entries, _ = _citeproc(bib, keys, "vancouver", [])
    # the style writes "1.Doe"; the adapter adds the space NLM asks for, and nothing else
    assert [r.text for r in refs] == [_text(e).replace(".", ". ", 1) for e in entries]
    assert [r.text.split(".")[0] for r in refs] == ["1", "2", "3"]
    assert [r.number for r in refs] == [1, 2, 3] and not any(re.match(r"\d+\. \d+\.", r.text) for r in refs)


@pytest.mark.parametrize("style", ["apa", "vancouver", "harvard"])
def test_in_text_citations_are_the_style_s(bib, style):
    from citeproc import Locator

    from livingreview.bib.prose import find

    keys = ["garcia2019", "doe2020"]  # the order of citation
    refs = format_references(bib, keys, style)
    _, expected = _citeproc(bib, [r.key for r in refs], style, [
        [("doe2020", {})],
        [("doe2020", {"locator": Locator("page", "3")})],
        [("doe2020", {"prefix": "see "}), ("garcia2019", {})],  # citeproc-py sorts them as the style says
    ])
    made = [str(refs.cite(find(text)[0])) for text in ("[@doe2020]", "[@doe2020, p. 3]", "[see @doe2020; @garcia2019]")]
    assert [_text(m) for m in made] == [_text(e) for e in expected]
    assert all(m.count('<a class="cite" href="#ref-') == n for m, n in zip(made, (1, 1, 2)))


def test_narrative_citations_name_the_authors_in_the_text(bib):
    from livingreview.bib.prose import find

    cited = {style: _text(str(format_references(bib, ["garcia2019", "doe2020"], style).cite(find("@doe2020 [p. 3]")[0])))
             for style in ("apa", "vancouver", "harvard")}
    assert cited == {"apa": "Doe and Roe (2020, p. 3)", "vancouver": "Doe and Roe (2)", "harvard": "Doe and Roe (2020, p. 3)"}


def test_a_citation_of_a_work_not_among_the_references_is_refused(bib):
    from livingreview.bib.prose import find

    with pytest.raises(InputError, match="not among the formatted references"):
        format_references(bib, ["doe2020"], "apa").cite(find("[@garcia2019]")[0])


def test_prose_text_in_a_citation_is_escaped(bib):
    from livingreview.bib.prose import find

    made = str(format_references(bib, ["doe2020"]).cite(find("[<i>see</i> @doe2020, p. <b>3</b>]")[0]))
    assert "<i>" not in made and "<b>" not in made and "&lt;i&gt;see&lt;/i&gt;" in made and "&lt;b&gt;3&lt;/b&gt;" in made
