"""The report's own citation: BibTeX that special characters cannot break."""

from __future__ import annotations

from livingreview.report.citation import ReportCitation, citation_key


def test_bibtex_encodes_special_characters():
    citation = ReportCitation(key="livingreview:x:all:2026", title="Fatigue & {dopamine} — 50% of it",
                              authors=("Jane Doe", "Ana Pérez"), year="2026", note="Built 2026-01-02",
                              url="https://example.org/review")
    assert citation.bibtex() == (
        "@misc{livingreview:x:all:2026,\n"
        "  title = {Fatigue \\& \\{dopamine\\} {\\textemdash} 50\\% of it},\n"
        "  author = {Jane Doe and Ana P\\'erez},\n"
        "  year = {2026},\n"
        "  howpublished = {Living review report},\n"
        "  note = {Built 2026-01-02},\n"
        "  url = {https://example.org/review}\n"
        "}\n"
    )


def test_text_citation():
    citation = ReportCitation(key="k", title="T", authors=("A", "B"), year="n.d.", note="Built unknown")
    assert citation.text() == "A; B (n.d.). T. Living review report. Built unknown."


def test_citation_key_keeps_letters_digits_and_hyphens():
    assert citation_key("livingreview", "ldn-microglia", "pem required!", "2026") == "livingreview:ldn-microglia:pem-required:2026"
