"""Quote verification on texts written here: hits, misses, near misses, quote marks, line breaks,
dashes, and the record that keeps verification checkable without the source texts."""

from __future__ import annotations

import hashlib
import json

import pytest

from livingreview.notes.load import load_notes
from livingreview.notes.quotes import (ABOUT, RECORD, QuoteCheck, Source, is_plain_name, quote_form, quote_sha256,
                                       read_record, render_record, verify_quotes, write_record)

DOE = "reviews/notes/doe2020.yml"
QUOTE = "the marker was \"clearly higher\" in patients' blood"
ORIGINAL = "the marker was “clearly higher” in patients’\nblood"  # as SOURCE has it
#: the tiny project's source text (tests/conftest.py writes the same to sources/doe2020.txt)
SOURCE = "Doe and Roe (2020), an invented study.\n\nIn this example, the marker was “clearly higher” in patients’\nblood than in controls.\n"


def _source(text: str) -> Source:
    return Source.from_bytes(text.encode("utf-8"))


def _found(text: str, quote: str) -> str | None:
    source = _source(text)
    span = source.find(quote)
    return None if span is None else source.text[span[0]:span[1]]


def test_normalise_forgives_only_whitespace_quote_marks_and_dashes():
    assert quote_form("  “It’s”\n\tfine — ‘really’ – ok ") == "\"It's\" fine - 'really' - ok"
    assert quote_form("Case, Words; and: punctuation!") == "Case, Words; and: punctuation!"


@pytest.mark.parametrize(("text", "quote", "found"), [
    (SOURCE, QUOTE, ORIGINAL),                                           # straight in the quote, curly in the text
    ("He wrote \"it's 'fine'\" twice.", "“it’s ‘fine’”", "\"it's 'fine'\""),  # and the other way round
    (SOURCE, "an invented   study", "an invented study"),               # whitespace runs
    (SOURCE, "in patients’ blood than", "in patients’\nblood than"),     # a line break in the text
    ("fatigue—or not, and 1–2 days", "fatigue-or not, and 1-2 days", "fatigue—or not, and 1–2 days"),  # en/em dashes
    (SOURCE, "The marker was", None),                                   # case is exact
    (SOURCE, "in patients’ blood.", None),                              # so is punctuation
    (SOURCE, "the marker is", None),                                    # and so are words
    ("fatigue—or not", "fatigue - or not", None),                       # a dash is not a dash with spaces
    (SOURCE, "", None),
])
def test_find(text, quote, found):
    assert _found(text, quote) == found


def test_the_span_is_in_characters_of_the_original_text():
    assert _source(SOURCE).find(QUOTE) == (57, 107)
    assert SOURCE[57:107] == ORIGINAL


def test_a_near_miss_names_the_nearest_passage_and_its_similarity():
    similarity, passage = _source(SOURCE).nearest("the marker was clearly higher in patients")
    assert passage == "the marker was “clearly higher” in patients’"  # widened to whole words
    assert round(similarity, 3) == 0.951  # 39 of 41 characters match: 2 * 39 / 82


def test_a_quote_longer_than_the_text_compares_with_all_of_it():
    similarity, passage = _source("Short text.").nearest("Short text, and more.")
    assert (passage, round(similarity, 3)) == ("Short text.", 0.688)


@pytest.mark.parametrize(("name", "plain"), [
    ("doe2020.txt", True), ("000_521e.txt", True), ("../doe2020.txt", False), ("sub/doe2020.txt", False),
    ("/etc/passwd", False), ("..", False), ("a\\b.txt", False), ("", False), (None, False),
])
def test_source_names_must_be_plain_file_names(name, plain):
    assert is_plain_name(name) is plain


# -- against a project ------------------------------------------------------------------------

def _verify(tiny, sources="default"):
    notes, problems = load_notes(tiny.project)
    assert problems == []
    return verify_quotes(tiny.project, notes, tiny.sources if sources == "default" else sources)


def _formatted(report):
    return [d.format() for d in sorted(report.diagnostics)]


def _record(tiny):
    return json.loads((tiny.root / RECORD).read_text(encoding="utf-8"))


def test_verified_against_the_source_and_recorded(tiny_project):
    assert (tiny_project.sources / "doe2020.txt").read_text(encoding="utf-8") == SOURCE
    report = _verify(tiny_project)
    assert _formatted(report) == []
    assert report.checks == {
        ("doe2020", "f1"): QuoteCheck("verified", "doe2020.txt", span=(57, 107)),
        ("doe2020", "f2"): QuoteCheck("extracted"),
        ("roe2018", "f1"): QuoteCheck("extracted"),
    }
    assert write_record(tiny_project.project, report.record) is True
    assert _record(tiny_project) == {"about": ABOUT, "quotes": {"doe2020#f1": {
        "source": "doe2020.txt",
        "source_sha256": hashlib.sha256(SOURCE.encode("utf-8")).hexdigest(),
        "span": [57, 107],
        "quote_sha256": hashlib.sha256(b"the marker was \"clearly higher\" in patients' blood").hexdigest(),
    }}}
    assert "the tool's record" in ABOUT and "Not a file to edit" in ABOUT


def test_the_record_file_is_stable_and_rewritten_only_when_it_changes(tiny_project):
    report = _verify(tiny_project)
    write_record(tiny_project.project, report.record)
    text = (tiny_project.root / RECORD).read_text(encoding="utf-8")
    assert text == render_record(report.record) and text.endswith("}\n")
    assert list(json.loads(text)["quotes"]["doe2020#f1"]) == ["quote_sha256", "source", "source_sha256", "span"]
    assert write_record(tiny_project.project, _verify(tiny_project).record) is False


def test_without_sources_the_record_alone_verifies_an_unchanged_quote(tiny_project):
    write_record(tiny_project.project, _verify(tiny_project).record)
    report = _verify(tiny_project, sources=None)
    assert _formatted(report) == []
    assert report.checks[("doe2020", "f1")] == QuoteCheck("verified", "doe2020.txt", recorded=True, span=(57, 107))
    # only typographic differences: the same normalised quote, still recorded
    tiny_project.edit(DOE, "\"clearly higher\"", "“clearly higher”")
    assert _verify(tiny_project, sources=None).checks[("doe2020", "f1")].status == "verified"


def test_without_sources_a_changed_quote_is_unverified(tiny_project):
    write_record(tiny_project.project, _verify(tiny_project).record)
    tiny_project.edit(DOE, "clearly higher", "much higher")
    report = _verify(tiny_project, sources=None)
    assert report.checks[("doe2020", "f1")] == QuoteCheck("unverified", "doe2020.txt")
    assert _formatted(report) == [
        f"{DOE}:19: warning QUOTE005 [doe2020.findings[f1].quote] the quote changed since it was verified — run "
        "`livingreview check --sources DIR` with the folder of source texts",
    ]


def test_without_sources_or_record_a_quote_is_unverified(tiny_project):
    report = _verify(tiny_project, sources=None)
    assert report.count("unverified") == 1 and report.count("extracted") == 2
    assert _formatted(report) == [
        f"{DOE}:19: warning QUOTE005 [doe2020.findings[f1].quote] the quote has not been verified — run "
        "`livingreview check --sources DIR` with the folder of source texts",
    ]


def test_a_changed_source_text_fails_loudly_and_keeps_the_old_record(tiny_project):
    first = _verify(tiny_project).record
    write_record(tiny_project.project, first)
    (tiny_project.sources / "doe2020.txt").write_text(SOURCE + "A line added later.\n", encoding="utf-8")
    report = _verify(tiny_project)
    assert report.checks[("doe2020", "f1")] == QuoteCheck("failed", "doe2020.txt")
    new = hashlib.sha256((SOURCE + "A line added later.\n").encode()).hexdigest()
    assert _formatted(report) == [
        f"{DOE}:9: error QUOTE003 [doe2020.source_text] source text changed since the quote was verified: doe2020.txt "
        f"(findings f1) now has SHA-256 {new[:12]}…, the record has {first['doe2020#f1'].source_sha256[:12]}… — read the "
        "quotes against the new text, then delete reviews/quote-record.json and run check --sources again",
    ]
    assert report.record == first


def test_a_quote_not_in_the_source_fails_with_the_nearest_passage(tiny_project):
    write_record(tiny_project.project, _verify(tiny_project).record)
    tiny_project.edit(DOE, "clearly higher", "clearly raised")
    report = _verify(tiny_project)
    check = report.checks[("doe2020", "f1")]
    assert (check.status, check.similarity, check.nearest) == ("failed", 0.92, "the marker was “clearly higher” in patients’ blood")
    assert _formatted(report) == [
        f"{DOE}:19: error QUOTE004 [doe2020.findings[f1].quote] quote not found in doe2020.txt; nearest passage (92% "
        "similar): \"the marker was “clearly higher” in patients’ blood\" — copy the words exactly as the source has them "
        "(only whitespace, quote marks and dashes may differ)",
    ]
    assert report.record == {}  # a failed quote is not recorded


def test_a_source_text_name_with_folders_is_refused(tiny_project):
    tiny_project.edit(DOE, "source_text: doe2020.txt", "source_text: ../doe2020.txt")
    report = _verify(tiny_project)
    assert report.checks[("doe2020", "f1")] == QuoteCheck("unverified", "../doe2020.txt")
    assert _formatted(report) == [
        f"{DOE}:9: error QUOTE001 [doe2020.source_text] source_text '../doe2020.txt' is not a plain file name — give the "
        "file's name only (no folders, no '..'); the texts are looked up in --sources",
    ]


def test_a_source_missing_from_the_folder_falls_back_to_the_record(tiny_project):
    write_record(tiny_project.project, _verify(tiny_project).record)
    (tiny_project.sources / "doe2020.txt").unlink()
    report = _verify(tiny_project)
    assert report.checks[("doe2020", "f1")].recorded is True
    assert _formatted(report) == [
        f"{DOE}:9: warning QUOTE002 [doe2020.source_text] source text doe2020.txt is not in {tiny_project.sources}; its "
        "quotes were checked against the record only — add the file to a sources folder",
    ]


def test_a_source_that_is_not_utf8(tiny_project):
    (tiny_project.sources / "doe2020.txt").write_bytes(b"caf\xe9 au lait")
    report = _verify(tiny_project)
    assert _formatted(report) == [
        f"{DOE}:9: error QUOTE006 [doe2020.source_text] source text doe2020.txt cannot be read as UTF-8 text — save it "
        "as UTF-8 text",
        f"{DOE}:19: warning QUOTE005 [doe2020.findings[f1].quote] the quote has not been verified — run "
        "`livingreview check --sources DIR` with the folder of source texts",
    ]


def test_a_sources_folder_that_does_not_exist(tiny_project):
    missing = tiny_project.root / "nowhere"
    report = _verify(tiny_project, sources=missing)
    assert _formatted(report)[0] == (f"{missing}: error QUOTE008 the sources folder does not exist — pass the folder that "
                                      "holds the notes' source_text files")


def test_an_unreadable_record(tiny_project):
    (tiny_project.root / RECORD).write_text("{\"quotes\": 3}", encoding="utf-8")
    assert read_record(tiny_project.project)[1][0].format() == (
        "reviews/quote-record.json: error QUOTE007 the quote record cannot be read (Field required) — delete it, then run "
        "`livingreview check --sources DIR` with the folder of source texts to write it again")


def test_the_record_of_a_note_that_failed_to_load_is_kept(tiny_project):
    write_record(tiny_project.project, _verify(tiny_project).record)
    tiny_project.edit(DOE, "design: case-control", "design: case-contro")
    notes, _ = load_notes(tiny_project.project)
    report = verify_quotes(tiny_project.project, notes, tiny_project.sources)
    assert list(report.record) == ["doe2020#f1"]


def test_quote_hash_is_of_the_normalised_quote():
    assert quote_sha256("it’s  “so”") == quote_sha256("it's \"so\"") == hashlib.sha256(b"it's \"so\"").hexdigest()


# -- quotes in a risk-of-bias block ------------------------------------------------------------

ROB_D1 = """    D1:
      judgement: high
      fact: No adjustment for any confounder is reported.
      extracted_from: Doe 2020, methods
"""


def _quote_d1(tiny, quote: str) -> None:
    tiny.edit(DOE, ROB_D1, f"    D1:\n      judgement: high\n      quote: {quote}\n      locator: paragraph 1\n")


def test_a_risk_of_bias_quote_is_verified_and_recorded_beside_the_findings(tiny_project):
    _quote_d1(tiny_project, "an invented study")
    report = _verify(tiny_project)
    assert _formatted(report) == []
    assert report.checks[("doe2020", "risk_of_bias.D1")] == QuoteCheck("verified", "doe2020.txt", span=(20, 37))
    write_record(tiny_project.project, report.record)
    quotes = _record(tiny_project)["quotes"]
    assert sorted(quotes) == ["doe2020#f1", "doe2020#risk_of_bias.D1"]
    assert quotes["doe2020#f1"]["span"] == [57, 107]  # the findings' entries are as before
    # without the sources, the record keeps it verified while it is unchanged
    assert _verify(tiny_project, sources=None).checks[("doe2020", "risk_of_bias.D1")].recorded


def test_a_risk_of_bias_quote_not_in_the_source_fails_at_its_domain(tiny_project):
    _quote_d1(tiny_project, "an imagined study")
    report = _verify(tiny_project)
    assert report.checks[("doe2020", "risk_of_bias.D1")].status == "failed"
    assert [line.split(";")[0] for line in _formatted(report)] == [
        f"{DOE}:36: error QUOTE004 [doe2020.risk_of_bias.domains.D1.quote] quote not found in doe2020.txt"]
    unverified = _verify(tiny_project, sources=None)
    assert [d.code for d in unverified.diagnostics] == ["QUOTE005", "QUOTE005"]


def test_a_risk_of_bias_quote_needs_a_source_text(tiny_project):
    tiny_project.edit("reviews/notes/roe2018.yml", "      fact: Double-blind and placebo-controlled.\n      extracted_from: "
                      "Roe 2018, Journal of Examples, methods\n", "      quote: Double-blind\n      locator: abstract\n")
    notes, problems = load_notes(tiny_project.project)
    assert [d.message for d in problems] == ["risk-of-bias quotes need 'source_text' (the file the quotes come from)"]


def test_sources_are_several_folders_searched_in_order(tmp_path):
    from livingreview.sources import Sources

    first, second = tmp_path / "seeds", tmp_path / "excerpts"
    first.mkdir(), second.mkdir()
    (first / "a.txt").write_text("first", encoding="utf-8")
    (second / "a.txt").write_text("second", encoding="utf-8")
    (second / "b.txt").write_text("only here", encoding="utf-8")
    folders = Sources.of(f"{first}:{second}")
    assert folders == (first, second) and Sources.of([first, second]) == folders
    assert (folders.locate("a.txt"), folders.locate("b.txt")) == (first / "a.txt", second / "b.txt")
    assert {name: p.read_text() for name, p in folders.files().items()} == {"a.txt": "first", "b.txt": "only here"}
    assert Sources.of([first, tmp_path / "nowhere"]).missing() == [tmp_path / "nowhere"]
    assert Sources.of(None) is None and Sources.of("") is None
