"""Citation keys, DOIs and PMIDs: one normal form, and what counts as well-formed."""

from __future__ import annotations

import re
from urllib.parse import quote

#: what a citation key may hold (BibTeX tools agree on these characters); notes name works by it
CITATION_KEY = re.compile(r"^[A-Za-z0-9_:.\-]+$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d+(?:\.\d+)*/\S+$")
_PMID = re.compile(r"^[0-9]+$")
_WHITESPACE = re.compile(r"\s+")


def normalise_doi(value: str) -> str:
    """Lower-case, no whitespace, no ``https://doi.org/`` / ``doi:`` prefix (DOIs are case-insensitive)."""
    return _DOI_PREFIX.sub("", _WHITESPACE.sub("", value)).lower()


def is_doi(normalised: str) -> bool:
    """``10.<digits>/<suffix>``, after :func:`normalise_doi`."""
    return bool(_DOI.match(normalised))


def is_pmid(value: str) -> bool:
    """A PubMed identifier is digits only."""
    return bool(_PMID.match(value.strip()))


def doi_url(normalised: str) -> str:
    """The resolver address of a DOI (characters a URL cannot carry are percent-encoded)."""
    return "https://doi.org/" + quote(normalised, safe="/:;()._-")
