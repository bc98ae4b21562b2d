"""The sources ``livingreview search run`` queries: PubMed (NCBI E-utilities: ``esearch`` for the
PMIDs, then ``esummary`` for each record's title, authors, date and DOI) and Crossref (``/works``).

Settings come from the environment: ``LIVINGREVIEW_PUBMED_URL`` and ``LIVINGREVIEW_CROSSREF_URL``
(the base addresses; default the real ones), ``NCBI_API_KEY`` (10 requests a second instead of 3),
``NCBI_TOOL`` and ``NCBI_EMAIL`` (E-utilities' ``tool``/``email``), ``CROSSREF_MAILTO`` (Crossref's
polite pool). A run asks for the records since the previous run's date (PubMed's Entrez date,
Crossref's ``from-pub-date``); the first run asks for all. At most :data:`LIMIT` records are read.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
from collections.abc import Mapping

from ..bib.identifiers import normalise_doi
from ..diagnostics import error
from . import fetch

PUBMED_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
CROSSREF_URL = "https://api.crossref.org"
#: the most records one run reads from a source (NCBI's esearch returns at most 10,000 ids)
LIMIT = 1000
#: PMIDs per esummary request
BATCH = 200
_YEAR = re.compile(r"(\d{4})")


@dataclasses.dataclass(frozen=True)
class Found:
    """One record a source returned, as much as deduplication and screening need."""

    doi: str
    pmid: str
    title: str
    year: str
    first_author: str

    @property
    def record(self) -> str:
        """Its identifier in the screening queue: ``pmid:…`` or ``doi:…`` (or the title, lacking both)."""
        return f"pmid:{self.pmid}" if self.pmid else f"doi:{self.doi}" if self.doi else self.title


@dataclasses.dataclass(frozen=True)
class Result:
    reported: int  # the count the source reports for the query
    found: tuple[Found, ...]


def run(engine: str, query: str, since: datetime.date | None, *, where: tuple[str, int | None, str],
        env: Mapping[str, str] | None = None) -> Result:
    env = os.environ if env is None else env
    return (_pubmed if engine == "pubmed" else _crossref)(query, since, where, env)


# -- PubMed -------------------------------------------------------------------------------------

def _pubmed(query: str, since, where, env) -> Result:
    base = env.get("LIVINGREVIEW_PUBMED_URL") or PUBMED_URL
    common = {key: value for key, value in (("tool", env.get("NCBI_TOOL", "livingreview")), ("email", env.get("NCBI_EMAIL", "")),
                                           ("api_key", env.get("NCBI_API_KEY", ""))) if value}
    pacer = fetch.Pacer(10 if "api_key" in common else 3)
    params = {"db": "pubmed", "term": query, "retmode": "json", "retmax": str(LIMIT), **common}
    if since is not None:
        params.update(datetype="edat", mindate=since.strftime("%Y/%m/%d"), maxdate="3000")
    answer = fetch.get_json(f"{base}/esearch.fcgi", params, pacer=pacer, where=where)
    try:
        result = answer["esearchresult"]
        reported, ids = int(result["count"]), [str(i) for i in result["idlist"]]
    except (KeyError, TypeError, ValueError):
        raise _unexpected(f"{base}/esearch.fcgi", where) from None
    found = []
    for start in range(0, len(ids), BATCH):
        summary = fetch.get_json(f"{base}/esummary.fcgi", {"db": "pubmed", "id": ",".join(ids[start:start + BATCH]),
                                                           "retmode": "json", **common}, pacer=pacer, where=where)
        found += _summaries(summary, f"{base}/esummary.fcgi", where)
    return Result(reported, tuple(found))


def _summaries(answer, url: str, where) -> list[Found]:
    try:
        result = answer["result"]
        return [_summary(uid, result[uid]) for uid in result["uids"]]
    except (KeyError, TypeError, AttributeError):
        raise _unexpected(url, where) from None


def _summary(uid: str, item: Mapping) -> Found:
    ids = {entry.get("idtype"): entry.get("value", "") for entry in item.get("articleids", [])}
    authors = [a.get("name", "") for a in item.get("authors", []) if a.get("authtype", "Author") == "Author"]
    year = _YEAR.search(item.get("pubdate", "") or "")
    return Found(doi=normalise_doi(ids.get("doi", "")), pmid=str(uid), title=(item.get("title") or "").strip(),
                 year=year.group(1) if year else "", first_author=_family(authors[0]) if authors else "")


def _family(name: str) -> str:
    """PubMed's ``van der Berg A`` → ``van der Berg`` (the initials are the last word)."""
    words = name.split()
    return " ".join(words[:-1]) if len(words) > 1 else name


# -- Crossref -----------------------------------------------------------------------------------

def _crossref(query: str, since, where, env) -> Result:
    base = env.get("LIVINGREVIEW_CROSSREF_URL") or CROSSREF_URL
    params = {"query": query, "rows": str(LIMIT)}
    if since is not None:
        params["filter"] = f"from-pub-date:{since.isoformat()}"
    if env.get("CROSSREF_MAILTO"):
        params["mailto"] = env["CROSSREF_MAILTO"]
    agent = f"livingreview (mailto:{env['CROSSREF_MAILTO']})" if env.get("CROSSREF_MAILTO") else ""
    answer = fetch.get_json(f"{base}/works", params, pacer=fetch.Pacer(5), where=where, user_agent=agent)
    try:
        message = answer["message"]
        return Result(int(message["total-results"]), tuple(_work(item) for item in message["items"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _unexpected(f"{base}/works", where) from None


def _work(item: Mapping) -> Found:
    titles = item.get("title") or [""]
    authors = item.get("author") or [{}]
    parts = ((item.get("issued") or {}).get("date-parts") or [[None]])[0]
    year = str(parts[0]) if parts and parts[0] else ""
    first = authors[0].get("family") or authors[0].get("name") or ""
    return Found(doi=normalise_doi(item.get("DOI", "")), pmid="", title=str(titles[0]).strip(), year=year, first_author=first)


def _unexpected(url: str, where) -> fetch.SourceFailed:
    return fetch.SourceFailed([error("SCR028", *where[:2], key=where[2], field="query", message=f"{url} answered with JSON of an unexpected shape",
                                     hint="check the engine's base URL setting; nothing was written")])
