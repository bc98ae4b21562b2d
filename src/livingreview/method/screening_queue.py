"""The records waiting to be screened, ``reviews/screening-queue.csv``: appended by
``livingreview search run``, one row per new record a saved search found.

Columns: ``record`` (``pmid:…`` or ``doi:…``), ``search``, ``date`` (of the run), ``doi``, ``pmid``,
``title``, ``year``, ``first_author``. Why a file of its own: a row of ``reviews/screening.csv``
must carry its decisions (a blank one is SCR006), so undecided records cannot wait there.
Screening a record moves its row: the decisions go into screening.csv (the record named as here,
or by its citation key once it is in the bibliography) and the row leaves this file. ``check``
counts both files for SCR010; the flow diagram counts these as identified, awaiting screening.
Problems are ``SCR026``.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

from .. import textfile
from ..diagnostics import Diagnostic, error
from ..errors import InputError
from . import screening
from .search_runs import append_rows

QUEUE = Path("reviews") / "screening-queue.csv"
FILE = QUEUE.as_posix()
COLUMNS = ("record", "search", "date", "doi", "pmid", "title", "year", "first_author")


class QueueInvalid(InputError):
    """``reviews/screening-queue.csv`` cannot be read as the records awaiting screening."""


@dataclasses.dataclass(frozen=True)
class Queued:
    line: int
    record: str
    search: str
    date: str
    doi: str
    pmid: str
    title: str
    year: str
    first_author: str

    def row(self) -> list[str]:
        return [getattr(self, name) for name in COLUMNS]


def read(project, search_ids: set[str], screened: set[str]) -> list[Queued]:
    """The queued records (none without the file); *screened*: the records screening.csv lists."""
    try:
        text = textfile.read(project.root / QUEUE, file=FILE, code="SCR026", kind="CSV", scope=project.file_scope,
                             exception=QueueInvalid)
    except FileNotFoundError:
        return []
    queued = [Queued(line, **values) for line, values in screening.table(text, file=FILE, columns=COLUMNS,
                                                                          code="SCR026", exception=QueueInvalid)]
    problems = _problems(queued, search_ids, screened)
    if problems:
        raise QueueInvalid(problems)
    return queued


def _problems(queued: list[Queued], search_ids: set[str], screened: set[str]) -> list[Diagnostic]:
    out, first = [], {}
    for item in queued:
        if item.search not in search_ids:
            out.append(_error(item, "search", f"search '{item.search}' is not in reviews/search.yml"))
        if not item.record:
            out.append(_error(item, "record", "the record is not named", hint="write pmid:…, doi:… or its title"))
        elif item.record in screened:
            out.append(_error(item, "record", f"'{item.record}' is screened already (in {screening.FILE})",
                              hint="remove its row from the queue"))
        elif item.record in first:
            out.append(_error(item, "record", f"'{item.record}' is queued twice (first on line {first[item.record]})",
                              hint="remove one of the rows"))
        first.setdefault(item.record, item.line)
    return out


def _error(item: Queued, field: str, message: str, hint: str | None = None) -> Diagnostic:
    return error("SCR026", FILE, item.line, message, key=item.record or None, field=field, hint=hint)


def per_search(queued: list[Queued]) -> Counter:
    return Counter(item.search for item in queued)


def append(project, queued: list[Queued]) -> None:
    append_rows(project.root / QUEUE, COLUMNS, [item.row() for item in queued])
