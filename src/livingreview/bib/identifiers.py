"""Citation keys, DOIs and PMIDs: one normal form, and what counts as well-formed."""

from __future__ import annotations

import html
import re
from urllib.parse import quote, unquote

#: what a citation key may hold (BibTeX tools agree on these characters); notes name works by it
CITATION_KEY = re.compile(r"^[A-Za-z0-9_:.\-]+$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d+(?:\.\d+)*/\S+$")
_PMID = re.compile(r"^[0-9]+$")
_WHITESPACE = re.compile(r"\s+")
#: an HTML tag (a letter after "<"): SICI DOIs hold "<1661::aid-sim968>", which is no tag
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
#: a resolver or a library proxy in front of the DOI: doi.org, dx.doi.org, doi-org.proxy.x.edu, ...
_RESOLVER = re.compile(r"^(?:https?://)?[^/\s]*doi[.-]org[^/\s]*/", re.IGNORECASE)
_LABEL = re.compile(r"^doi\s*:?\s*", re.IGNORECASE)
_TRAILING = ".,;:'\"]}>"


def normalise_doi(value: str) -> str:
    """Lower-case, no whitespace, no ``https://doi.org/`` / ``doi:`` prefix (DOIs are case-insensitive)."""
    return _DOI_PREFIX.sub("", _WHITESPACE.sub("", value)).lower()


def clean_doi(value: str) -> str | None:
    """The DOI in what a reference manager exported, normalised; None when what is left is no DOI.

    Strips HTML tags and entities (``<a href=...>10.1/x</a>``), a resolver or library proxy in
    front (``https://doi.org/``, ``dx.doi.org``, ``doi-org.proxy.x.edu``), a ``doi:`` label,
    percent-encoding and trailing punctuation (a closing parenthesis only when unbalanced).
    """
    text = html.unescape(_TAG.sub("", value)).strip()
    text = _WHITESPACE.sub("", _LABEL.sub("", _RESOLVER.sub("", text)))
    text = unquote(text).lower()
    while text and (text[-1] in _TRAILING or (text[-1] == ")" and text.count(")") > text.count("("))):
        text = text[:-1]
    return text if is_doi(text) else None


def is_doi(normalised: str) -> bool:
    """``10.<digits>/<suffix>``, after :func:`normalise_doi`."""
    return bool(_DOI.match(normalised))


def is_pmid(value: str) -> bool:
    """A PubMed identifier is digits only."""
    return bool(_PMID.match(value.strip()))


def doi_url(normalised: str) -> str:
    """The resolver address of a DOI (characters a URL cannot carry are percent-encoded)."""
    return "https://doi.org/" + quote(normalised, safe="/:;()._-")
