import pytest

from livingreview.bib.csl import to_csl
from livingreview.bib.importers import import_file
from livingreview.bib.load import load_project_bibliography
from livingreview.bib.records import ImportRefused
from livingreview.cli import main
from livingreview.errors import InputError
from livingreview.project import Project

from .conftest import FIXTURES, brief

RIS = FIXTURES / "import" / "records.ris"
CSL = FIXTURES / "import" / "records.json"
EXISTING = "@article{doe2020,\n  title = {Already here},\n  doi = {10.5555/ALREADY.001}\n}\n"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / "build.yml").write_text("title: t\nauthors: [a]\nvariants: [{name: all, title: All}]\n", encoding="utf-8")
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "references.bib").write_text(EXISTING, encoding="utf-8")
    return Project(tmp_path.resolve())


def target(project):
    return project.root / "bib" / "references.bib"


def test_ris_round_trip(project):
    keys = import_file(project, RIS, into=target(project)).keys
    assert keys == ["garcia2020", "example2021"]
    bib, diagnostics = load_project_bibliography(project)
    assert diagnostics == []
    article = bib["garcia2020"]
    assert article.type == "article"
    assert article.authors == ["García, Ana", "van der Berg, Anna", "Example Consortium"]
    assert article.title == "Fatigue in 50% of A & B: the {DNA} of #1 $x_y$"  # special characters survive as text
    assert {name: article.fields[name] for name in ("journal", "year", "month", "day", "volume", "number", "pages")} == {
        "journal": "Journal of Examples", "year": "2020", "month": "May", "day": "3", "volume": "12", "number": "3",
        "pages": "45–67"}
    assert (article.doi, article.fields["url"]) == ("10.5555/example.2020.002", "https://example.org/a_b~c?x=1&y=2")
    page = bib["example2021"]
    assert (page.type, page.title, page.fields["urldate"], page.authors) == ("online", "An example web page", "2024-01-02", [])


def test_csl_json_round_trip(project):
    keys = import_file(project, CSL, into=target(project)).keys
    assert keys == ["lee2019", "roe2018"]  # a Zotero item URI is no key; a citation key is kept
    bib, diagnostics = load_project_bibliography(project)
    assert diagnostics == []
    again = to_csl(bib["lee2019"], "http://zotero.org/users/0/items/EXAMPLE1")
    import json

    original = json.loads(CSL.read_text(encoding="utf-8"))[0]
    assert again == original
    assert bib["roe2018"].authors == ["Roe, Jr, Richard"]
    assert (bib["roe2018"].fields["publisher"], bib["roe2018"].fields["address"]) == ("Example Press", "Springfield")


def test_the_existing_file_is_kept_byte_for_byte_in_front(project):
    import_file(project, RIS, into=target(project))
    text = target(project).read_text(encoding="utf-8")
    assert text.startswith(EXISTING + "\n@article{garcia2020,\n  author = {García, Ana and {van der Berg}, Anna and {Example Consortium}},\n")
    assert r"title = {Fatigue in 50\% of A \& B: the \{DNA\} of \#1 \$x\_y\$}," in text


def test_crlf_and_bom_are_kept_and_continued(project):
    original = b"\xef\xbb\xbf@misc{old2000,\r\n  title = {Old}\r\n}\r\n"
    target(project).write_bytes(original)
    import_file(project, CSL, into=target(project))
    data = target(project).read_bytes()
    assert data.startswith(original)
    assert b"\n" not in data[len(original):].replace(b"\r\n", b"")  # every new line ends in CRLF too


@pytest.mark.parametrize(("content", "why"), [
    ("@misc{roe2018, title = {Same key}}\n", "duplicate of 'roe2018' (bib/references.bib:1) by key"),
    ("@misc{other, title = {Same DOI}, doi = {https://doi.org/10.5555/EXAMPLE.2019.004}}\n",
     "duplicate of 'other' (bib/references.bib:1) by DOI"),
])
def test_a_duplicate_is_skipped_and_the_rest_imported(project, content, why):
    target(project).write_text(content, encoding="utf-8")
    report = import_file(project, CSL, into=target(project))
    assert [(d.code, d.severity.value, d.file, d.message) for d in report.diagnostics] == [
        ("BIB022", "warning", str(CSL), f"record {1 if 'DOI' in why else 2} skipped: {why}")]
    assert len(report.keys) == 1 and (report.duplicates, report.unusable) == (1, 0)
    assert target(project).read_text(encoding="utf-8").startswith(content)
    assert list(target(project).parent.iterdir()) == [target(project)]  # no temporary file left behind


def test_a_duplicate_doi_in_another_bib_file_is_named_with_the_record_line(project):
    (project.root / "bib" / "other.bib").write_text("@misc{x, title = {X}, doi = {doi:10.5555/example.2020.002}}\n", encoding="utf-8")
    report = import_file(project, RIS, into=target(project))
    assert brief(report.diagnostics) == [("BIB022", "warning", str(RIS), 1, None, None)]
    assert report.diagnostics[0].message == "record 1 skipped: duplicate of 'x' (bib/other.bib:1) by DOI"
    assert report.keys == ["example2021"]


def test_a_record_twice_in_one_import_is_imported_once(project, tmp_path):
    twice = tmp_path / "twice.ris"
    twice.write_text((RIS.read_text(encoding="utf-8").split("\n\n")[0] + "\n\n") * 2, encoding="utf-8")
    report = import_file(project, twice, into=target(project))
    assert report.keys == ["garcia2020"]
    assert [(d.code, d.line, d.message) for d in report.diagnostics] == [
        ("BIB022", 16, "record 2 skipped: duplicate of record 1 ('garcia2020') of this file by DOI")]


def test_generated_keys_take_a_letter_when_taken(project):
    target(project).write_text("@misc{garcia2020, title = {Taken}}\n@misc{Garcia2020a, title = {Also taken}}\n", encoding="utf-8")
    assert import_file(project, RIS, into=target(project)).keys == ["garcia2020b", "example2021"]


def test_dry_run_prints_and_writes_nothing(project, capsys):
    before = target(project).read_bytes()
    assert import_file(project, CSL, into=target(project), dry_run=True).keys == ["lee2019", "roe2018"]
    assert capsys.readouterr().out.startswith("@article{lee2019,\n  author = {Lee, Chris and van der Berg, Anna},\n")
    assert target(project).read_bytes() == before


def test_a_new_file_is_created(project):
    new = project.root / "bib" / "more.bib"
    import_file(project, CSL, into=new)
    assert new.read_text(encoding="utf-8").startswith("@article{lee2019,\n")


@pytest.mark.parametrize(("name", "text", "fmt", "code", "line", "message"), [
    ("refs.txt", "", None, "BIB024", None, "cannot tell the format of 'refs.txt' from its extension"),
    ("open.ris", "TY  - JOUR\nTI  - A\nER  - \n\nTY  - JOUR\nTI  - B\n", None, "BIB021", 5, "a RIS record is not closed by 'ER  -'"),
    ("empty.ris", "nothing here\n", None, "BIB021", None, "no RIS records found (a record starts with 'TY  - ')"),
    ("bad.json", '[{"id": "x",\n "type": }]', None, "BIB021", 2, "not valid JSON: Expecting value"),
    ("refs.txt", "[1]", "csl-json", "BIB021", None, "record 1 is not a JSON object"),
])
def test_unreadable_imports_are_refused(project, tmp_path, name, text, fmt, code, line, message):
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused) as caught:
        import_file(project, source, into=target(project), fmt=fmt)
    assert [(d.code, d.line, d.message) for d in caught.value.diagnostics] == [(code, line, message)]


def test_the_target_must_be_a_bib_file_inside_the_project(project, tmp_path):
    with pytest.raises(ImportRefused) as caught:
        import_file(project, CSL, into=project.root / "reviews" / "build.yml")
    assert caught.value.diagnostics[0].code == "BIB024"
    with pytest.raises(InputError) as caught:
        import_file(project, CSL, into=tmp_path.parent / "elsewhere.bib")
    assert caught.value.diagnostics[0].code == "PATH001"


def test_the_cli_imports_with_a_project_relative_target(project, capsys):
    assert main(["--root", str(project.root), "import", str(CSL)]) == 0
    assert capsys.readouterr().out == "imported 2, skipped 0 (0 duplicates, 0 unusable): lee2019, roe2018\n"
    assert main(["--root", str(project.root), "import", str(CSL)]) == 0  # a re-import adds nothing
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "imported 0, skipped 2 (2 duplicates, 0 unusable)"
    assert [line.split(": ")[1].split(" ")[1] for line in out[:-1]] == ["BIB022", "BIB022"]


# -- overlapping exports, re-imports, bad data -------------------------------------------------

EXPORT_A = FIXTURES / "import" / "export_a.ris"
EXPORT_B = FIXTURES / "import" / "export_b.ris"
BAD = FIXTURES / "import" / "bad_data.json"


def bib_errors(project):
    """The bibliography errors `livingreview check` would report (load and lint)."""
    from livingreview.bib.lint import lint

    bib, problems = load_project_bibliography(project)
    return [d for d in problems + lint(bib, {}) if d.is_error], bib


def test_two_overlapping_exports_import_the_new_records_and_skip_the_overlap(project):
    first = import_file(project, EXPORT_A, into=target(project))
    assert (first.keys, first.diagnostics) == (["okafor2017", "okafor2017a", "example2018"], [])
    assert bib_errors(project)[0] == []
    second = import_file(project, EXPORT_B, into=target(project))
    assert second.keys == ["haddad2019", "moreau2020"]
    assert [(d.code, d.line, d.message) for d in second.diagnostics] == [
        ("BIB022", 1, "record 1 skipped: duplicate of 'okafor2017' (bib/references.bib:6) by DOI"),
        ("BIB022", 10, "record 2 skipped: duplicate of 'okafor2017a' (bib/references.bib:18) by title+year+author"),
        ("BIB022", 28, "record 4 skipped: duplicate of record 3 ('haddad2019') of this file by title+year+author"),
    ]
    assert second.summary() == "imported 2, skipped 3 (3 duplicates, 0 unusable): haddad2019, moreau2020"
    errors, bib = bib_errors(project)
    assert errors == []
    assert bib["haddad2019"].doi == "10.5555/je.2019.033"  # the HTML anchor around it is gone
    assert bib["example2018"].authors == ["Example Institute of Fatigue Studies"]


@pytest.mark.parametrize("export", [EXPORT_A, EXPORT_B, CSL, RIS])
def test_a_re_import_adds_nothing_with_or_without_dois(project, export):
    import_file(project, export, into=target(project))
    before = target(project).read_bytes()
    again = import_file(project, export, into=target(project))
    assert again.keys == [] and again.unusable == 0 and again.duplicates > 0
    assert target(project).read_bytes() == before
    assert bib_errors(project)[0] == []


def test_bad_data_is_reported_and_never_written_half_right(project):
    report = import_file(project, BAD, into=target(project))
    found = [(d.code, d.severity.value, d.message) for d in report.diagnostics]
    assert found == [
        ("BIB023", "error", "record 2: author 1's given name 'John and Mary' holds 'and': BibTeX would read two people"),
        ("BIB023", "error", "record 4: the DOI 'https://example.org/article/7' is not a DOI (10.<digits>/<suffix>), even "
                            "without a resolver, proxy or HTML around it"),
        ("BIB025", "warning", "record 5: the month '13' (not 1-12) is left out; the date is 2017"),
        ("BIB025", "warning", "record 7: the season 'summer' is left out; the date is 2017"),
        ("BIB025", "warning", "record 8: the title was written as a Python list \"['A title in a list']\"; its one element is used"),
        ("BIB023", "error", "record 9: the title is written as a Python list of 2 values \"['First title', 'Second title']\""),
        ("BIB023", "error", "record 10: 'title' holds a JSON object or list, not text"),
    ]
    assert report.keys == ["corporate", "ito2016", "ng2017", "ng2017a", "ng2017b", "ng2018"]
    errors, bib = bib_errors(project)
    assert errors == []
    assert bib["corporate"].authors == ["American Legislative Exchange Council"]  # kept whole, not "Council, American ..."
    assert "{American Legislative Exchange Council}" in target(project).read_text(encoding="utf-8")
    assert bib["ito2016"].doi == "10.5555/ex.2016.7"
    assert [bib[k].fields.get("month") for k in ("ng2017", "ng2017a", "ng2017b")] == [None, None, None]
    assert bib["ng2018"].title == "A title in a list"


def test_the_cli_says_what_was_skipped_and_exits_2_for_unusable_records(project, capsys):
    assert main(["--root", str(project.root), "import", str(BAD)]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("imported 6, skipped 4 (0 duplicates, 4 unusable): corporate, ")
    assert sum(" error BIB023 " in line for line in out) == 4


def test_a_dry_run_shows_the_same_report(project, capsys):
    before = target(project).read_bytes()
    assert main(["--root", str(project.root), "import", "--dry-run", str(BAD)]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines()[-1].startswith("would import 6, skipped 4 (0 duplicates, 4 unusable)")
    assert captured.out.startswith("@techreport{corporate,")
    assert target(project).read_bytes() == before


@pytest.mark.parametrize(("text", "message"), [
    ("[" * 100_000 + "]" * 100_000, "the JSON is nested too deeply to be CSL JSON"),
    ('[{"title": "x",}]', "not valid JSON: Expecting property name enclosed in double quotes"),
])
def test_deeply_nested_or_malformed_json_is_a_clear_error(project, tmp_path, text, message):
    source = tmp_path / "deep.json"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused) as caught:
        import_file(project, source, into=target(project))
    assert [d.message for d in caught.value.diagnostics] == [message]


def test_an_entry_that_would_not_read_back_is_skipped(project, tmp_path, monkeypatch):
    from livingreview.bib import importers

    source = tmp_path / "one.json"
    source.write_text('[{"type": "book", "title": "Fine", "author": [{"family": "Roe", "given": "Ann"}]},'
                      ' {"type": "book", "title": "Broken", "author": [{"family": "Doe", "given": "Ann"}]}]', encoding="utf-8")
    real = importers._bibtex_name
    monkeypatch.setattr(importers, "_bibtex_name", lambda n: "Doe, Ann and Other, Bob" if n.family == "Doe" else real(n))
    report = import_file(project, source, into=target(project))
    assert report.keys == ["roe"+"nd"]
    assert [d.message for d in report.diagnostics] == ["record 2: its author list would read as 2 people, not 1"]


def test_a_title_bibtex_reads_with_ligatures_is_imported(project, tmp_path):
    source = tmp_path / "dash.json"
    source.write_text('[{"type": "book", "title": "Fatigue -- a ``quoted\'\' review", "author": [{"family": "Roe", "given": "Ann"}],'
                      ' "publisher": "P", "issued": {"date-parts": [[2001]]}}]', encoding="utf-8")
    report = import_file(project, source, into=target(project))
    assert (report.keys, report.diagnostics) == (["roe2001"], [])


def test_check_is_clean_after_importing_into_a_review(tiny_project, capsys):
    import json

    from livingreview.check import run

    for export in (EXPORT_A, EXPORT_B, BAD, EXPORT_A):
        import_file(tiny_project.project, export, into=tiny_project.root / "bib" / "references.bib")
        run(tiny_project.project, sources=tiny_project.sources, fmt="json")
        diagnostics = json.loads(capsys.readouterr().out)["diagnostics"]
        assert [d for d in diagnostics if d["code"].startswith("BIB") and d["severity"] == "error"] == []


def test_bad_ris_dates_and_dois_are_reported_with_the_record_line(project, tmp_path):
    source = tmp_path / "dates.ris"
    source.write_text("TY  - JOUR\nAU  - Ng, Mei\nTI  - Thirteen\nT2  - J\nPY  - 2020/13/01/\nER  - \n\n"
                      "TY  - JOUR\nAU  - Ng, Mei\nTI  - Spring\nT2  - J\nPY  - 2019/Spring/\nDO  - doi:10.5555/X.1.\nER  - \n\n"
                      "TY  - JOUR\nAU  - Ng, Mei\nTI  - ['Listed']\nT2  - J\nPY  - 2018/May/\nER  - \n", encoding="utf-8")
    report = import_file(project, source, into=target(project))
    assert [(d.code, d.line, d.message) for d in report.diagnostics] == [
        ("BIB025", 1, "record 1: the month '13' (not 1-12) is left out; the date is 2020"),
        ("BIB025", 8, "record 2: the season 'spring' is left out; the date is 2019"),
        ("BIB025", 16, "record 3: the title was written as a Python list \"['Listed']\"; its one element is used"),
    ]
    bib = load_project_bibliography(project)[0]
    assert bib["ng2019"].doi == "10.5555/x.1" and bib["ng2018"].fields["month"] == "May"
    assert bib_errors(project)[0] == []
