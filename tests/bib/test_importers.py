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
    keys = import_file(project, RIS, into=target(project))
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
    keys = import_file(project, CSL, into=target(project))
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


@pytest.mark.parametrize(("content", "code", "line", "key"), [
    ("@misc{roe2018, title = {Same key}}\n", "BIB022", None, "roe2018"),
    ("@misc{other, title = {Same DOI}, doi = {https://doi.org/10.5555/EXAMPLE.2019.004}}\n", "BIB023", None, "lee2019"),
])
def test_duplicates_are_refused_and_the_file_is_untouched(project, content, code, line, key):
    target(project).write_text(content, encoding="utf-8")
    before = target(project).read_bytes()
    with pytest.raises(ImportRefused) as caught:
        import_file(project, CSL, into=target(project))
    assert [(d.code, d.file, d.line, d.key) for d in caught.value.diagnostics] == [(code, str(CSL), line, key)]
    assert target(project).read_bytes() == before
    assert list(target(project).parent.iterdir()) == [target(project)]  # no temporary file left behind


def test_a_duplicate_doi_in_another_bib_file_is_refused_with_the_record_line(project):
    (project.root / "bib" / "other.bib").write_text("@misc{x, title = {X}, doi = {doi:10.5555/example.2020.002}}\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as caught:
        import_file(project, RIS, into=target(project))
    assert brief(caught.value.diagnostics) == [("BIB023", "error", str(RIS), 1, "garcia2020", "doi")]
    assert caught.value.diagnostics[0].message == "record 1: the DOI 10.5555/example.2020.002 is already the DOI of 'x' at bib/other.bib:1"


def test_a_record_twice_in_one_import_is_refused(project, tmp_path):
    twice = tmp_path / "twice.ris"
    twice.write_text((RIS.read_text(encoding="utf-8").split("\n\n")[0] + "\n\n") * 2, encoding="utf-8")
    with pytest.raises(ImportRefused) as caught:
        import_file(project, twice, into=target(project))
    assert [(d.code, d.line, d.message) for d in caught.value.diagnostics] == [
        ("BIB023", 16, "record 2: the DOI 10.5555/example.2020.002 is also the DOI of record 1")]


def test_generated_keys_take_a_letter_when_taken(project):
    target(project).write_text("@misc{garcia2020, title = {Taken}}\n@misc{Garcia2020a, title = {Also taken}}\n", encoding="utf-8")
    assert import_file(project, RIS, into=target(project)) == ["garcia2020b", "example2021"]


def test_dry_run_prints_and_writes_nothing(project, capsys):
    before = target(project).read_bytes()
    assert import_file(project, CSL, into=target(project), dry_run=True) == ["lee2019", "roe2018"]
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
    assert capsys.readouterr().out == "appended 2 entries: lee2019, roe2018\n"
    assert main(["--root", str(project.root), "import", str(CSL)]) == 2
    assert "BIB022" in capsys.readouterr().err
