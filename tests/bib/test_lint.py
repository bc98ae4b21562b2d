import re
from pathlib import Path

from livingreview.bib import lint as lint_module
from livingreview.bib.lint import lint
from livingreview.bib.load import load_bibliography

from .conftest import FIXTURES, brief


def _cite_all(bib):
    return {key: [("reviews/notes/x.yml", 1)] for key in bib}


def test_duplicate_keys_and_keys_differing_only_in_case(load_fixture):
    bib, _ = load_fixture("keys.bib")
    assert brief(lint(bib, _cite_all(bib))) == [
        ("BIB010", "error", "keys.bib", 8, "doe2020", None),
        ("BIB011", "error", "keys.bib", 15, "Doe2020", None),
        ("BIB019", "error", "keys.bib", 22, "bad key", None),
    ]


def test_duplicate_dois_after_normalisation_and_malformed_identifiers(load_fixture):
    bib, _ = load_fixture("identifiers.bib")
    diagnostics = lint(bib, _cite_all(bib))
    assert brief(diagnostics) == [
        ("BIB012", "error", "identifiers.bib", 14, "two2020", "doi"),
        ("BIB012", "error", "identifiers.bib", 22, "three2020", "doi"),
        ("BIB013", "error", "identifiers.bib", 30, "bad2021", "doi"),
        ("BIB014", "error", "identifiers.bib", 31, "bad2021", "pmid"),
    ]
    assert diagnostics[1].message == "the DOI 10.5555/example.001 is also the DOI of 'one2020' at identifiers.bib:1"
    assert diagnostics[2].message == "the DOI '10.5555' is not of the form 10.<digits>/<suffix>"


def test_empty_field_is_an_error_and_missing_required_field_a_warning(load_fixture):
    bib, _ = load_fixture("fields.bib")
    diagnostics = lint(bib, _cite_all(bib))
    assert brief(diagnostics) == [
        ("BIB016", "error", "fields.bib", 4, "empty2020", "journal"),
        ("BIB015", "warning", "fields.bib", 8, "missing2021", "journal"),
    ]
    assert diagnostics[1].message == "@article 'missing2021' has no journal or journaltitle"
    # page2022 (online, no author) and talk2023 (booktitle and year from its crossref) are complete


def test_unknown_cited_key_is_an_error_at_every_citing_place(load_fixture):
    bib, _ = load_fixture("fields.bib")
    cited = {**_cite_all(bib), "Page2022": [("reviews/notes/a.yml", 3), ("reviews/hypotheses/h.yml", 12)]}
    unknown = [d for d in lint(bib, cited) if d.code == "BIB017"]
    assert brief(unknown) == [
        ("BIB017", "error", "reviews/hypotheses/h.yml", 12, "Page2022", None),
        ("BIB017", "error", "reviews/notes/a.yml", 3, "Page2022", None),
    ]
    assert unknown[0].hint == "did you mean 'page2022'?"


def test_entries_cited_by_nothing_warn_but_crossref_parents_of_cited_entries_do_not(load_fixture):
    bib, _ = load_fixture("fields.bib")
    uncited = [d for d in lint(bib, {"talk2023": [("reviews/notes/talk2023.yml", 1)]}) if d.code == "BIB018"]
    assert brief(uncited) == [
        ("BIB018", "warning", "fields.bib", 1, "empty2020", None),
        ("BIB018", "warning", "fields.bib", 8, "missing2021", None),
        ("BIB018", "warning", "fields.bib", 14, "page2022", None),
    ]
    assert uncited[0].message == "'empty2020' is cited by no note or hypothesis"


def test_a_clean_cited_bibliography_has_no_diagnostics(load_fixture):
    bib, load_diagnostics = load_fixture("accents.bib")
    assert load_diagnostics == [] and lint(bib, _cite_all(bib)) == []


def test_every_diagnostic_has_a_sentence_saying_what_to_do(load_fixture):
    for name in ("keys.bib", "identifiers.bib", "fields.bib"):
        bib, _ = load_fixture(name)
        for diagnostic in lint(bib, {"unknown": [("reviews/notes/u.yml", 2)]}):
            assert diagnostic.hint, diagnostic.format()


def test_the_code_table_lists_exactly_the_codes_the_package_emits():
    table = set(re.findall(r"^(BIB\d{3})\s", lint_module.__doc__, re.MULTILINE))
    source = "".join(p.read_text(encoding="utf-8") for p in Path(lint_module.__file__).parent.glob("*.py"))
    emitted = set(re.findall(r'"(BIB\d{3})"', source))
    assert table == emitted


def test_lint_reports_a_duplicate_across_files_at_the_later_file(tmp_path):
    (tmp_path / "a.bib").write_text("@misc{same, title = {A}}\n", encoding="utf-8")
    (tmp_path / "b.bib").write_text("\n@misc{same, title = {B}}\n", encoding="utf-8")
    bib, _ = load_bibliography([tmp_path / "a.bib", tmp_path / "b.bib"], root=tmp_path)
    assert brief(lint(bib, {"same": []})) == [("BIB010", "error", "b.bib", 2, "same", None)]
    assert FIXTURES.is_dir()
