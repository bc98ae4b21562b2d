"""``livingreview search run [NAME]``: re-run the saved searches of ``reviews/search.yml``.

For each runnable search (``engine`` and ``query`` saved; all of them, or the one named), ask its
source (:mod:`.engines`) for the records since its previous run, keep the ones the review does not
know yet, and then — only once every source has answered — append them to the screening queue
(:mod:`.screening_queue`) and one row per search to the runs (:mod:`.search_runs`). A record is known
when the bibliography, screening.csv, the queue or an earlier record of the same run has its DOI
(normalised), its PMID, or its normalised title with the same year and first author's family name.
The date is today's, or ``SOURCE_DATE_EPOCH``'s (UTC) when that is set.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping

from ..diagnostics import closest, error
from ..errors import InputError
from . import engines, screening, screening_queue, search_runs
from .search import SEARCH_LOG, Search, SearchLog

FILE = SEARCH_LOG.as_posix()
_NOT_WORD = re.compile(r"[^a-z0-9]+")


class NothingToRun(InputError):
    """The search named cannot be run, or none can."""


@dataclasses.dataclass(frozen=True)
class Outcome:
    search: str
    reported: int
    new: int


def run(project, name: str | None = None, *, env: Mapping[str, str] | None = None) -> tuple[list[Outcome], list[str]]:
    """Run the saved searches; the outcome of each, and the ids of the searches skipped as not runnable."""
    env = os.environ if env is None else env
    log, rows = screening.load_files(project)
    chosen, skipped = _chosen(log, name)
    today = run_date(env)
    runs = search_runs.read(project, {s.id for s in log.searches})
    queued = screening_queue.read(project, {s.id for s in log.searches}, {row.record for row in rows})
    answers = [(s, engines.run(s.engine, s.query, search_runs.last_date(runs, s.id),
                               where=(FILE, log.line_of(s.id, "query"), s.id), env=env)) for s in chosen]
    known = _Known(_bibliography_identities(project))
    known.add_all(_row_identity(row.record) for row in rows)
    known.add_all(_identities(item.doi, item.pmid, item.title, item.year, item.first_author) for item in queued)
    new_rows, new_runs, outcomes = [], [], []
    for search, result in answers:
        fresh = [found for found in result.found if found.record and known.take(_identities(found.doi, found.pmid, found.title,
                                                                           found.year, found.first_author))]
        new_rows += [_queued(found, search.id, today) for found in fresh]
        new_runs.append(search_runs.Run(0, search.id, today, search.engine, search.query, result.reported, len(fresh)))
        outcomes.append(Outcome(search.id, result.reported, len(fresh)))
    screening_queue.append(project, new_rows)
    search_runs.append(project, new_runs)
    return outcomes, skipped


def run_date(env: Mapping[str, str]) -> str:
    """Today (UTC), or the day of ``SOURCE_DATE_EPOCH`` for a reproducible run."""
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def _chosen(log: SearchLog, name: str | None) -> tuple[list[Search], list[str]]:
    if name is not None:
        search = log.search(name)
        if search is None:
            ids = [s.id for s in log.searches]
            raise NothingToRun([error("SCR029", FILE, None, f"there is no search '{name}'",
                                      hint=closest(name, ids) or f"one of: {', '.join(ids)}")])
        if not search.runnable:
            raise NothingToRun([_not_runnable(log, search)])
        return [search], []
    runnable = [s for s in log.searches if s.runnable]
    if not runnable:
        raise NothingToRun([error("SCR027", FILE, None, "no search saves a query to run",
                                  hint="give a search 'engine: pubmed' (or crossref) and 'query: ...'")])
    return runnable, [s.id for s in log.searches if not s.runnable]


def _not_runnable(log: SearchLog, search: Search):
    missing = " and ".join(name for name in ("engine", "query") if getattr(search, name) is None)
    return error("SCR027", FILE, log.line_of(search.id), f"search '{search.id}' saves no {missing}, so it "
                 "cannot be run", key=search.id, hint="add 'engine: pubmed' (or crossref) and 'query: ...'")


def _queued(found: engines.Found, search_id: str, date: str) -> screening_queue.Queued:
    return screening_queue.Queued(0, found.record, search_id, date, found.doi, found.pmid, found.title, found.year,
                                  found.first_author)


# -- identities -----------------------------------------------------------------------------

def normal_words(text: str) -> str:
    """Lower case, accents dropped, everything but letters and digits as single spaces."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_WORD.sub(" ", plain).strip()


def _identities(doi: str, pmid: str, title: str, year: str, first_author: str) -> set[tuple]:
    out = set()
    if doi:
        out.add(("doi", doi))
    if pmid:
        out.add(("pmid", pmid.strip()))
    if normal_words(title) and year and normal_words(first_author):
        out.add(("title", normal_words(title), str(year), normal_words(first_author)))
    return out


def _row_identity(record: str) -> set[tuple]:
    """A screening.csv record named ``pmid:…`` or ``doi:…`` (as the queue names them)."""
    kind, _, value = record.partition(":")
    return {(kind, value)} if kind in ("pmid", "doi") and value else set()


def _bibliography_identities(project) -> list[set[tuple]]:
    from ..bib.load import load_project_bibliography

    bib, _ = load_project_bibliography(project)
    out = []
    for entry in bib.values():
        persons = entry.persons("author")
        family = " ".join(part for part in (persons[0].von, persons[0].last) if part) if persons else ""
        out.append(_identities(entry.doi or "", entry.fields.get("pmid", "").strip(), entry.title or "",
                               str(entry.year or ""), family))
    return out


class _Known:
    def __init__(self, identities: Iterable[set[tuple]] = ()):
        self.seen: set[tuple] = set()
        self.add_all(identities)

    def add_all(self, identities: Iterable[set[tuple]]) -> None:
        for identity in identities:
            self.seen |= identity

    def take(self, identity: set[tuple]) -> bool:
        """Whether *identity* is new (then it is known from now on)."""
        if identity & self.seen:
            return False
        self.seen |= identity
        return True
