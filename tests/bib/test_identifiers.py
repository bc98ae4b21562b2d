import pytest

from livingreview.bib.identifiers import clean_doi, doi_url, is_doi, is_pmid, normalise_doi


@pytest.mark.parametrize("raw", [
    "10.5555/ABC.1", "https://doi.org/10.5555/abc.1", "http://dx.doi.org/10.5555/abc.1", "doi:10.5555/abc.1",
    "DOI: 10.5555/abc.1 ", " 10.5555/\nabc.1",
])
def test_doi_variants_normalise_to_one_form(raw):
    assert normalise_doi(raw) == "10.5555/abc.1"


@pytest.mark.parametrize(("doi", "ok"), [
    ("10.5555/abc", True), ("10.1000.10/x", True), ("10.5555", False), ("10.abc/x", False), ("11.5555/x", False),
])
def test_well_formed_dois(doi, ok):
    assert is_doi(doi) is ok


def test_pmids_are_digits_only():
    assert (is_pmid("12345678"), is_pmid(" 123 "), is_pmid("PMC123"), is_pmid("12a")) == (True, True, False, False)


def test_doi_url_percent_encodes_what_a_url_cannot_carry():
    assert doi_url("10.5555/a<b>#c") == "https://doi.org/10.5555/a%3Cb%3E%23c"


@pytest.mark.parametrize(("raw", "doi"), [
    ("https://doi.org/10.5555/ABC.1", "10.5555/abc.1"),
    ("http://dx.doi.org/10.5555/abc.1", "10.5555/abc.1"),
    ("https://doi-org.proxy.example.edu/10.5555/abc.1", "10.5555/abc.1"),
    ("https://dx-doi-org.ezproxy.example.ac.uk/10.5555/abc.1", "10.5555/abc.1"),
    ("doi: 10.5555/abc.1.", "10.5555/abc.1"),
    ('<a href="https://doi.org/10.5555/abc.1">10.5555/abc.1</a>', "10.5555/abc.1"),
    ("<i>10.5555/abc&amp;1</i>;", "10.5555/abc&1"),
    ("10.5555%2Fabc.1", "10.5555/abc.1"),
    ("10.1016/S0140-6736(20)30183-5)", "10.1016/s0140-6736(20)30183-5"),
    ("10.1002/(SICI)1097-0258(19980815)17:15<1661::AID-SIM968>3.0.CO;2-2",  # '<1661::...>' is no HTML tag
     "10.1002/(sici)1097-0258(19980815)17:15<1661::aid-sim968>3.0.co;2-2"),
    ("https://example.org/article/7", None),
    ("", None),
])
def test_clean_doi_strips_what_exporters_put_around_a_doi(raw, doi):
    assert clean_doi(raw) == doi
