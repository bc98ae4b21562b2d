from pathlib import Path

from livingreview.bib.load import Bibliography, DisplayFields, Entry, load_bibliography, load_project_bibliography
from livingreview.project import Project

from .conftest import FIXTURES, brief


def test_macros_defined_in_one_file_are_used_in_another(load_fixture):
    bib, diagnostics = load_fixture("macros")
    assert bib["doe2020"].fields["journal"] == "Journal of Examples Letters"  # macro # {text} # "text"
    assert bib["roe2018"].fields["publisher"] == "Example Press"
    assert bib["roe2018"].fields["note"] == "Journal of Examples Letters"  # a macro defined by a macro
    assert bib["roe2018"].raw["publisher"] == "pub"  # raw keeps what the file says
    assert bib["doe2020"].raw["journal"] == 'jex # { } # "Letters"'
    assert bib.macros == {"jex": "Journal of Examples", "jexl": "Journal of Examples Letters", "pub": "Example Press"}
    assert bib.files == ["macros/a_strings.bib", "macros/b_works.bib"]
    assert brief(diagnostics) == [("BIB005", "error", "macros/b_works.bib", 21, "poe2019", "journal")]
    assert diagnostics[0].message == "the macro 'nosuchmacro' is not defined (or is defined in terms of itself)"
    assert bib["poe2019"].fields["journal"] == "nosuchmacro"  # shown as written, not silently empty


def test_month_macros_become_month_names_and_numbers_stay(load_fixture):
    bib, _ = load_fixture("macros")
    assert bib["doe2020"].fields["month"] == "March"
    assert bib["roe2018"].fields["month"] == "5"


def test_preamble_is_kept_and_comments_are_not_entries(load_fixture):
    bib, _ = load_fixture("macros")
    assert bib.preambles == [r"\newcommand{\noop}[1]{}"]
    assert list(bib) == ["doe2020", "roe2018", "poe2019"]


def test_crossref_inherits_missing_fields_and_parent_title_becomes_booktitle(load_fixture):
    bib, _ = load_fixture("crossref.bib")
    talk = bib["talk2019"]
    assert talk.fields["title"] == "A talk about nothing"
    assert talk.fields["booktitle"] == "Proceedings of the Example Conference"
    assert talk.fields["year"] == "2019"
    assert talk.fields["publisher"] == "Example Press"
    assert talk.year == 2019
    assert "year" not in talk.raw  # raw is only what the entry itself says
    assert talk.line_of("year") == talk.line == 1  # inherited: the entry's line


def test_crossref_cycle_and_unknown_parent_are_diagnostics(load_fixture):
    bib, diagnostics = load_fixture("crossref.bib")
    assert brief(diagnostics) == [
        ("BIB008", "error", "crossref.bib", 17, "loopa", "crossref"),
        ("BIB008", "error", "crossref.bib", 21, "loopb", "crossref"),
        ("BIB007", "error", "crossref.bib", 27, "orphan2020", "crossref"),
    ]
    assert diagnostics[0].message == "crossref cycle loopa -> loopb -> loopa; nothing is inherited around the cycle"
    assert diagnostics[2].hint == "did you mean 'proc2019'?"
    assert dict(bib["loopb"].fields) == {"crossref": "loopa"}


def test_latex_accents_and_braces_are_decoded_for_display(load_fixture):
    bib, diagnostics = load_fixture("accents.bib")
    entry = bib["berg2021"]
    assert diagnostics == []
    assert entry.title == "The DNA of α-fatigue in Café Øresund: 50% of A & B"
    assert entry.raw["title"] == r"{The {DNA} of $\alpha$-fatigue in Caf{\'e} {\O}resund: 50% of A & B}"
    assert entry.fields["pages"] == "45–67"
    assert entry.fields["url"] == "https://example.org/~doe/a_b"  # verbatim: the tilde stays a tilde
    assert entry.doi == "10.5555/example_2021"


def test_names_are_split_before_decoding(load_fixture):
    bib, _ = load_fixture("accents.bib")
    assert bib["berg2021"].authors == [
        "van der Berg, Anna", "Müller, Jörg", "World Health Organization", "van Beethoven, Ludwig",
    ]
    organisation = bib["berg2021"].persons("author")[2]
    assert (organisation.last, organisation.literal) == ("World Health Organization", True)


def test_bom_and_crlf_are_read_with_the_right_lines(load_fixture):
    bib, diagnostics = load_fixture("bom_crlf.bib")
    assert diagnostics == []
    assert [(e.key, e.line) for e in bib.values()] == [("bom2020", 1), ("crlf2021", 9)]
    assert bib["bom2020"].title == "With a BOM and CRLF"  # the line break inside the value is a space
    assert bib["crlf2021"].line_of("year") == 13


def test_a_file_that_is_not_utf8_is_an_error_naming_it(tmp_path, load_fixture):
    bib, diagnostics = load_fixture("latin1.bib")
    assert len(bib) == 0
    assert brief(diagnostics) == [("BIB001", "error", "latin1.bib", 3, None, None)]
    assert diagnostics[0].message == "the file is not UTF-8 text (byte 0xe9 is not valid UTF-8); none of its entries are loaded"


def test_other_files_still_load_next_to_a_broken_one():
    bib, diagnostics = load_bibliography([FIXTURES / "latin1.bib", FIXTURES / "accents.bib"], root=FIXTURES)
    assert list(bib) == ["berg2021"]
    assert [d.code for d in diagnostics] == ["BIB001"]


def test_unclosed_entries_are_reported_and_the_next_entry_is_read(load_fixture):
    bib, diagnostics = load_fixture("unclosed.bib")
    assert list(bib) == ["after2021"]
    assert brief(diagnostics) == [
        ("BIB002", "error", "unclosed.bib", 1, "open2020", None),
        ("BIB002", "error", "unclosed.bib", 12, "eof2022", None),
    ]
    assert diagnostics[0].message == "this @article is not closed before the next entry on line 5"
    assert diagnostics[1].message == "this @article is not closed before the end of the file"


def test_missing_commas_and_repeated_fields(load_fixture):
    bib, diagnostics = load_fixture("missing_comma.bib")
    assert brief(diagnostics) == [
        ("BIB003", "error", "missing_comma.bib", 2, "comma2020", "author"),
        ("BIB002", "error", "missing_comma.bib", 8, "nokeycomma2021", None),
        ("BIB004", "error", "missing_comma.bib", 16, "twice2022", "title"),
    ]
    assert diagnostics[0].message == "a ',' is missing between the fields 'author' and 'title'"
    # the two fields the missing comma ran together are read as two fields
    assert bib["comma2020"].fields["author"] == "Doe, Jane"
    assert bib["comma2020"].fields["title"] == "A comma is missing above"
    assert bib["comma2020"].line_of("title") == 3
    assert bib["twice2022"].title == "First title"


def test_duplicate_keys_keep_the_first_entry_and_every_definition(load_fixture):
    bib, diagnostics = load_fixture("keys.bib")
    assert diagnostics == []  # duplicates are lint's to report
    assert bib["doe2020"].title == "First of two"
    assert [(e.key, e.line) for e in bib.entries] == [("doe2020", 1), ("doe2020", 8), ("Doe2020", 15), ("bad key", 22)]


def test_entry_properties_without_optional_fields():
    entry = Entry(key="x", type="misc", fields={"year": "n.d."}, raw={}, file="bib/x.bib", line=1)
    assert (entry.authors, entry.year, entry.doi, entry.title) == ([], None, None, None)
    assert Entry(key="y", type="online", fields={"date": "2021-05-03"}, raw={}, file="f", line=1).year == 2021


def test_display_values_are_decoded_only_when_read():
    fields = DisplayFields({"title": r"Caf{\'e}", "author": r"M{\"u}ller, J."})
    assert fields.expanded("title") == r"Caf{\'e}"
    assert fields["title"] == "Café"
    assert dict(fields) == {"title": "Café", "author": "Müller, J."}


def test_project_bibliography_is_every_bib_file_sorted(tmp_path):
    (tmp_path / "reviews").mkdir()
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "b.bib").write_text("@misc{second, title = {B}}\n", encoding="utf-8")
    (tmp_path / "bib" / "a.bib").write_text("@misc{first, title = {A}}\n", encoding="utf-8")
    (tmp_path / "bib" / "notes.txt").write_text("@misc{ignored, title = {C}}\n", encoding="utf-8")
    bib, diagnostics = load_project_bibliography(Project(tmp_path.resolve()))
    assert isinstance(bib, Bibliography)
    assert (list(bib), bib.files, diagnostics) == (["first", "second"], ["bib/a.bib", "bib/b.bib"], [])
    assert bib["second"].file == "bib/b.bib"


def test_an_unreadable_path_is_a_diagnostic(tmp_path):
    bib, diagnostics = load_bibliography([tmp_path / "absent.bib"], root=tmp_path)
    assert (len(bib), brief(diagnostics)) == (0, [("BIB001", "error", "absent.bib", None, None, None)])


def test_duplicate_macro_definitions_warn_and_the_first_wins(tmp_path):
    (tmp_path / "a.bib").write_text("@string{jx = {First}}\n@string{JX = {Second}}\n@misc{m, title = jx}\n", encoding="utf-8")
    bib, diagnostics = load_bibliography([Path(tmp_path / "a.bib")], root=tmp_path)
    assert bib["m"].title == "First"
    assert brief(diagnostics) == [("BIB006", "warning", "a.bib", 2, "JX", None)]


def test_entries_are_hashable_and_compare_by_content():
    def make(title):
        return Entry(key="a", type="misc", fields={"title": title}, raw={}, file="bib/a.bib", line=1)

    assert len({make("x"), make("x")}) == 1
    assert make("x") != make("y")
