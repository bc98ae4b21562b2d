"""User text is data: markup in notes, hypotheses, the bibliography and build.yml comes out escaped in
the built report and index; a formula in a note is neutralised in every CSV and kept as written in
the JSON; TeX in a BibTeX field is shown, never run or read; YAML object tags, paths out of the
project and parameter values holding code are refused before anything runs."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from bad_inputs.corpus import BASE, SOURCES
from livingreview import yamlio
from livingreview.cli import main
from livingreview.errors import ConfigError
from livingreview.project import Project

#: where each payload is put, and the payload (each names its place, so a failure says which leaked)
PAYLOADS = {
    "statement": '<script>alert("statement")</script>',
    "quote": '"><img src=x onerror=alert("quote")>',
    "question": '<script>alert("question")</script>',
    "claim": '"><img src=x onerror=alert("claim")>',
    "bib-title": '<script>alert("bib-title")</script>',
    "hypothesis-title": '<img src=x onerror=alert("hypothesis-title")>',
    "review-title": '"><script>alert("review-title")</script>',
    "variant-title": '<img src=x onerror=alert("variant-title")>',
}
#: findings added to doe2020 whose statement (or quote) begins with what a spreadsheet runs as a formula;
#: the note schema strips leading whitespace, so the tab and carriage return ones reach the data as
#: the formula behind them (the writer's own handling of a leading tab or CR: tests/synthesis/test_export.py)
FORMULAS = {
    "f3": '=HYPERLINK("http://example.invalid/?leak","statement")',
    "f4": "+1+1 in a statement",
    "f5": "-1+1 in a statement",
    "f6": "@SUM(1+1) in a statement",
    "f7": "\t=1+1 after a tab",
    "f8": "\r=1+1 after a carriage return",
}
FORMULA_QUOTE = '=HYPERLINK("http://example.invalid/?leak","quote")'
FORMULA_QUESTION = "=1+1 or is it the marker?"
TEX = {"title": r"An example trial \input{/etc/passwd}", "journal": r"Journal of \write18{touch pwned} Examples"}
SECTIONS = ["title", "hypothesis", "summary", "evidence_table", "predictions", "open_questions", "references",
            "provenance", "how_to_cite"]


class _Page(HTMLParser):
    """The text a reader sees, the scripts a browser runs and every attribute value."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.scripts: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        self.attributes += [(name, value or "") for name, value in attrs]

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _yaml(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _notebook() -> nbformat.NotebookNode:
    """A report notebook that shows every section the report package has."""
    params = nbformat.v4.new_code_cell('hypothesis = "example-fatigue"\nconditions = "all"\npem_required_only = False\n'
                                       'year_from = None\nyear_to = None\ncitation_style = "apa"')
    params.metadata["tags"] = ["parameters"]
    calls = "\n".join(f"display(report.{name}(sel))" for name in SECTIONS)
    body = ("import livingreview\nfrom livingreview import report\n"
            "review = livingreview.load()\nsel = review.select(review.parameters(globals()))\n"
            + calls)
    nb = nbformat.v4.new_notebook(cells=[params, nbformat.v4.new_code_cell(body)])
    nb.metadata["kernelspec"] = {"name": "livingreview", "display_name": "Python 3 (livingreview)", "language": "python"}
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    return nb


def _formula_findings() -> str:
    """YAML for the FORMULAS findings (JSON strings are YAML double-quoted strings) and one quoting FORMULA_QUOTE."""
    items = [f"  - id: {fid}\n    statement: {json.dumps(text)}\n    hypothesis: example-fatigue\n    direction: neutral\n"
             f"    kind: inferred\n    extracted_from: Doe 2020, discussion\n" for fid, text in FORMULAS.items()]
    items.append(f"  - id: f9\n    statement: The quote is a formula.\n    hypothesis: example-fatigue\n    direction: neutral\n"
                 f"    kind: observed\n    quote: {json.dumps(FORMULA_QUOTE)}\n    locator: paragraph 3\n")
    return "".join(items)


def _hostile_project(where: Path) -> tuple[Path, Path]:
    root, sources = where / "project", where / "sources"
    shutil.copytree(BASE, root, ignore=shutil.ignore_patterns(SOURCES))
    shutil.copytree(BASE / SOURCES, sources)
    note, hyp, bib = (root / "reviews/notes/doe2020.yml", root / "reviews/hypotheses/example-fatigue.yml",
                      root / "bib/references.bib")
    _edit(note, "statement: The authors read it as a source of fatigue.", f"statement: {_yaml(PAYLOADS['statement'])}")
    _edit(note, """quote: the marker was "clearly higher" in patients' blood""", f"quote: {_yaml(PAYLOADS['quote'])}")
    (sources / "doe2020.txt").write_text(f"An invented source.\n\nIt says {PAYLOADS['quote']} in paragraph 2.\n\n"
                                         f"It says {FORMULA_QUOTE} in paragraph 3.\n", encoding="utf-8")
    _edit(note, "remaining_questions:\n", _formula_findings() + "remaining_questions:\n"
          f"  - id: q-example-formula\n    text: {json.dumps(FORMULA_QUESTION)}\n")
    (root / "reviews/quote-record.json").unlink()  # the source text is new: its quote is verified afresh
    _edit(hyp, "text: Which dose of the example drug matters?", f"text: {_yaml(PAYLOADS['question'])}")
    _edit(hyp, "claim: Fatigue follows from an example mechanism.", f"claim: {_yaml(PAYLOADS['claim'])}")
    _edit(hyp, "title: The example hypothesis of fatigue", f"title: {_yaml(PAYLOADS['hypothesis-title'])}")
    _edit(bib, "title = {An example study of fatigue}", f"title = {{{PAYLOADS['bib-title']}}}")
    _edit(bib, "title = {An example trial}", f"title = {{{TEX['title']}}}")
    _edit(bib, "journal = {Journal of Examples},\n  year = {2018}", f"journal = {{{TEX['journal']}}},\n  year = {{2018}}")
    config = root / "reviews/build.yml"
    _edit(config, "title: A minimal example review", f"title: {_yaml(PAYLOADS['review-title'])}")
    _edit(config, "title: All studies", f"title: {_yaml(PAYLOADS['variant-title'])}")
    nbformat.write(_notebook(), root / "notebooks" / "example-fatigue.ipynb")
    return root, sources


def _cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(args))
    return code, out.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The hostile project, built once (one hypothesis, two variants, no PDF), from a scratch cwd."""
    where = tmp_path_factory.mktemp("injection")
    root, sources = _hostile_project(where)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(where)
        code, out = _cli("--root", str(root), "build", "--no-pdf", "--sources", str(sources))
    assert code == 0, out
    return where, root


def _pages(root: Path) -> dict[str, _Page]:
    outputs = root / "outputs"
    return {p.relative_to(outputs).as_posix(): _Page(p.read_text(encoding="utf-8")) for p in sorted(outputs.rglob("*.html"))}


@pytest.mark.slow
def test_markup_in_user_text_is_shown_as_text_and_never_runs(built):
    _, root = built
    pages = _pages(root)
    assert set(pages) == {"index.html", "open-questions.html", "example-fatigue/all/report.html",
                          "example-fatigue/pem-required/report.html"}
    for name, page in pages.items():
        assert not [s for s in page.scripts if "alert(" in s], f"a payload became a script in {name}"
        assert not [(a, v) for a, v in page.attributes if "alert(" in v], f"a payload became an attribute in {name}"
    report = " ".join(pages["example-fatigue/all/report.html"].text)
    for place in ("statement", "quote", "question", "claim", "bib-title", "hypothesis-title", "variant-title"):
        assert PAYLOADS[place] in report, f"the {place} is not shown as text"
    index = " ".join(pages["index.html"].text)
    for place in ("review-title", "hypothesis-title"):
        assert PAYLOADS[place] in index, f"the {place} is not shown as text in the index"


def _csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _json_rows(path: Path) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, list) else data["rows"]


@pytest.mark.slow
def test_a_formula_in_a_note_is_neutralised_in_every_csv_and_kept_in_the_json(built):
    _, root = built
    outputs = root / "outputs"
    for variant in ("all", "pem-required"):
        folder = outputs / "example-fatigue" / variant
        csv_rows = {r["finding_id"]: r for r in _csv_rows(folder / "evidence.csv") if r["key"] == "doe2020"}
        json_rows = {r["finding_id"]: r for r in _json_rows(folder / "evidence.json") if r["key"] == "doe2020"}
        for fid, text in FORMULAS.items():
            written = text.strip()  # as the note schema holds it
            assert csv_rows[fid]["statement"] == "'" + written, f"{variant} {fid}: the statement is not neutralised"
            assert json_rows[fid]["statement"] == written, f"{variant} {fid}: the JSON does not keep the statement"
        assert csv_rows["f9"]["quote"] == "'" + FORMULA_QUOTE and json_rows["f9"]["quote"] == FORMULA_QUOTE
        assert csv_rows["f1"]["quote"] == json_rows["f1"]["quote"] == PAYLOADS["quote"]  # not a formula: as is
        questions = {r["question_id"]: r["text"] for r in _csv_rows(folder / "open-questions.csv")}
        assert questions["q-example-formula"] == "'" + FORMULA_QUESTION
        assert {r["question_id"]: r["text"] for r in _json_rows(folder / "open-questions.json")}[
            "q-example-formula"] == FORMULA_QUESTION
    register = {r["question_id"]: r["text"] for r in _csv_rows(outputs / "open-questions.csv")}
    assert register["q-example-formula"] == "'" + FORMULA_QUESTION, "the register CSV keeps a formula"
    assert {r["question_id"]: r["text"] for r in _json_rows(outputs / "open-questions.json")}[
        "q-example-formula"] == FORMULA_QUESTION
    for path in outputs.rglob("*.csv"):  # no cell of any published CSV begins with what a spreadsheet runs
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        for row in rows:
            assert not [c for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r")], f"{path.relative_to(outputs)}: {row}"


@pytest.mark.slow
def test_tex_in_a_bibliography_field_is_shown_as_written_and_never_run(built):
    where, root = built
    report = " ".join(_pages(root)["example-fatigue/all/report.html"].text)
    assert TEX["title"] in report
    assert "root:x:0:0" not in report  # /etc/passwd was not read
    assert not list(where.rglob("pwned"))


def test_yaml_object_tags_are_refused_before_anything_is_built(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for text in ("a: !!python/object/apply:os.system ['touch pwned']", "a: !!python/name:os.system",
                 "a: !!python/object/new:subprocess.Popen [[touch, pwned]]"):
        with pytest.raises(yamlio.YamlError, match="tags that construct objects are not allowed"):
            yamlio.loads(text, "x.yml")
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("path", ["../outside.txt", "/etc/passwd", "notes/../../outside.txt"])
def test_a_path_out_of_the_project_is_refused(tmp_path, path):
    project = Project(tmp_path)
    with pytest.raises(ConfigError, match="is outside the project"):
        project.inside(path, what="source text", file="reviews/notes/doe2020.yml", line=9)


def test_a_source_text_out_of_the_sources_folder_is_refused(tmp_path):
    root, sources = _hostile_project(tmp_path)
    _edit(root / "reviews/notes/doe2020.yml", "source_text: doe2020.txt", "source_text: ../../etc/passwd")
    code, out = _cli("--root", str(root), "check", "--sources", str(sources))
    assert code == 2
    assert "reviews/notes/doe2020.yml:9: error QUOTE001 [doe2020.source_text] source_text '../../etc/passwd' is not a plain file name" in out
    assert "root:x:0:0" not in out


def test_a_parameter_value_holding_code_is_refused_by_its_type(tmp_path, monkeypatch):
    root, sources = _hostile_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    code_value = "x'); import os; os.system('touch pwned'); ('"
    _edit(root / "reviews/build.yml", "pem_required_only: true", f"conditions: {_yaml(code_value)}")
    code, out = _cli("--root", str(root), "build", "--no-pdf")
    assert code == 2
    assert "reviews/build.yml:15: error CFG001 [conditions] variant 'pem-required': " in out
    assert repr(code_value) in out or code_value in out
    assert not list(tmp_path.rglob("pwned"))
    assert not (root / "outputs" / "example-fatigue").exists()
