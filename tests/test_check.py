"""`livingreview check` on tiny projects: exit codes, sorted output, the summary, JSON, the record."""

from __future__ import annotations

import io
import json

from livingreview import check, loader
from livingreview.cli import main
from livingreview.diagnostics import error, warning

DOE = "reviews/notes/doe2020.yml"
ROE = "reviews/notes/roe2018.yml"
RECORD = "reviews/quote-record.json"
SUMMARY = """\
2 works, 2 notes, 1 hypothesis
findings: 3 (2 observed, 1 inferred, 0 unsupported)
quotes: {quotes}; 2 findings extracted without a quote
PEM unknown: 0 of 2 notes
{result}
"""


def _run(tiny, **kw) -> tuple[int, str]:
    out = io.StringIO()
    code = check.run(tiny.project, out=out, **kw)
    return code, out.getvalue()


def test_clean_with_sources_exits_0_and_writes_the_record(tiny_project):
    code, text = _run(tiny_project, sources=tiny_project.sources, strict=True)
    assert (code, text) == (0, SUMMARY.format(quotes="1 verified, 0 unverified, 0 failed", result="0 errors, 0 warnings"))
    assert list(json.loads((tiny_project.root / RECORD).read_text())["quotes"]) == ["doe2020#f1"]


def test_without_sources_the_record_keeps_quotes_verified(tiny_project):
    _run(tiny_project, sources=tiny_project.sources)
    code, text = _run(tiny_project, strict=True)
    assert (code, text) == (0, SUMMARY.format(quotes="1 verified (1 by the record), 0 unverified, 0 failed",
                                              result="0 errors, 0 warnings"))


def test_warnings_only_exit_0_or_1_under_strict(tiny_project):
    expected = (f"{DOE}:19: warning QUOTE005 [doe2020.findings[f1].quote] the quote has not been verified — run "
                "`livingreview check --sources DIR` with the folder of source texts\n\n"
                + SUMMARY.format(quotes="0 verified, 1 unverified, 0 failed", result="0 errors, 1 warning"))
    assert _run(tiny_project) == (0, expected)
    assert _run(tiny_project, strict=True) == (1, expected)
    assert not (tiny_project.root / RECORD).exists()  # only --sources writes the record


def test_errors_exit_2_listed_by_file_and_line(tiny_project):
    tiny_project.edit(ROE, "    prediction: EX2", "    prediction: EX7")
    tiny_project.edit(DOE, "clearly higher", "clearly raised")
    tiny_project.edit(DOE, "design: case-control", "design: case-control\nrequires: {pme: {fact: x, extracted_from: y}}")
    code, text = _run(tiny_project, sources=tiny_project.sources)
    lines = text.splitlines()
    assert code == 2
    assert [line.split(" [")[0] for line in lines[:3]] == [
        f"{DOE}:4: error NOTE017", f"{DOE}:20: error QUOTE004", f"{ROE}:15: error NOTE013"]
    assert lines[-1] == "3 errors, 0 warnings"
    assert "1 failed" in lines[-3]


def test_a_broken_build_file_is_an_error_not_a_crash(tiny_project):
    tiny_project.write("reviews/build.yml", "title: [unclosed\n")
    code, text = _run(tiny_project, sources=tiny_project.sources)
    assert code == 2
    assert text.startswith("reviews/build.yml:2: error YAML001 YAML:")


def test_json_is_one_document_with_diagnostics_summary_and_exit_code(tiny_project):
    tiny_project.edit(ROE, "    prediction: EX2", "    prediction: EX7")
    code, text = _run(tiny_project, fmt="json")
    document = json.loads(text)
    assert code == 2 and document["exit_code"] == 2
    assert [(d["code"], d["file"], d["line"], d["field"], d["severity"]) for d in document["diagnostics"]] == [
        ("QUOTE005", DOE, 19, "findings[f1].quote", "warning"), ("NOTE013", ROE, 15, "findings[f1].prediction", "error")]
    assert document["summary"] == {
        "works": 2, "notes": 2, "hypotheses": 1, "findings": {"total": 3, "observed": 2, "inferred": 1, "unsupported": 0},
        "quotes": {"verified": 0, "recorded": 0, "unverified": 1, "failed": 0}, "extracted": 2,
        "facets_unknown": {"pem": {"short": "PEM", "notes": 0}},
        "errors": 1, "warnings": 1,
    }
    assert text == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_a_missing_sources_folder_does_not_touch_the_record(tiny_project):
    _run(tiny_project, sources=tiny_project.sources)
    before = (tiny_project.root / RECORD).read_bytes()
    code, text = _run(tiny_project, sources=tiny_project.root / "nowhere")
    assert code == 2 and "QUOTE008 the sources folder does not exist" in text
    assert (tiny_project.root / RECORD).read_bytes() == before


def test_checks_are_a_plain_sequence_of_functions(tiny_project):
    def always(ctx):
        return [warning("TEST001", "b.txt", 2, "second"), error("TEST002", "a.txt", 9, "first")]

    def notes_seen(ctx):
        return [warning("TEST003", "c.txt", None, f"{len(ctx.notes)} notes")]

    ctx, found = check.collect(tiny_project.project, checks=[always, notes_seen])
    assert [d.format() for d in found] == ["a.txt:9: error TEST002 first", "b.txt:2: warning TEST001 second",
                                           "c.txt: warning TEST003 2 notes"]
    assert ctx.project == tiny_project.project
    assert loader.check_quotes in check.CHECKS and loader.check_references in check.CHECKS
    assert check.check_matrix in check.CHECKS and check.check_matrix not in loader.REVIEW_CHECKS


def test_cited_keys_with_their_places(tiny_project):
    tiny_project.edit(DOE, "    kind: inferred\n", "    kind: inferred\n    paraphrases: roe2018#f1\n")
    ctx = check.Context(tiny_project.project)
    assert ctx.cited() == {
        "doe2020": [("reviews/hypotheses/example-fatigue.yml", 13), (DOE, 1)],
        "roe2018": [(DOE, 26), (ROE, 1)],
    }


def test_a_missing_key_is_reported_once_with_its_field(tiny_project):
    tiny_project.edit(ROE, "key: roe2018", "key: roe2018\nreports: [nobody1999]")
    code, text = _run(tiny_project, sources=tiny_project.sources)
    assert code == 2
    assert [line for line in text.splitlines() if "nobody1999" in line] == [
        f"{ROE}:2: error NOTE011 [roe2018.reports[0]] 'nobody1999' is not in the bibliography — add the entry to a "
        "bib/*.bib file (e.g. with `livingreview import`) or correct the key"]


def test_the_command_line(tiny_project, capsys):
    assert main(["--root", str(tiny_project.root), "check", "--sources", str(tiny_project.sources), "--strict"]) == 0
    assert capsys.readouterr().out.endswith("0 errors, 0 warnings\n")
    tiny_project.edit(DOE, "design: case-control", "design: case-contro")
    assert main(["--root", str(tiny_project.root), "check", "--format", "json"]) == 2
    assert json.loads(capsys.readouterr().out)["summary"]["errors"] == 1


def _cite_in_the_notebook(tiny, text: str) -> None:
    nb = json.loads((tiny.root / "notebooks/example-fatigue.ipynb").read_text(encoding="utf-8"))
    nb["cells"].insert(1, {"cell_type": "markdown", "id": "background", "metadata": {}, "source": text})
    tiny.write("notebooks/example-fatigue.ipynb", json.dumps(nb, indent=1))


def test_an_unknown_key_in_a_notebook_s_prose_names_the_notebook_and_cell(tiny_project):
    _cite_in_the_notebook(tiny_project, "Shown before [@doe2020; @doe2021, p. 3]; mail jane@example.org.")
    code, text = _run(tiny_project, sources=tiny_project.sources)
    assert code == 2
    assert [line for line in text.splitlines() if "doe2021" in line] == [
        "notebooks/example-fatigue.ipynb: error NBK007 [doe2021.source] cell 2 (id background): the citation "
        "[@doe2020; @doe2021, p. 3] cites 'doe2021', which has no bibliography entry — did you mean 'doe2020'?"]


def test_known_keys_and_escaped_at_signs_in_the_prose_are_clean(tiny_project):
    _cite_in_the_notebook(tiny_project, "As @roe2018 found [@doe2020, p. 3]. Write \\@nobody or nobody@example.org.")
    assert _run(tiny_project, sources=tiny_project.sources)[0] == 0
