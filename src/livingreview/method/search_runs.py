"""The runs of the saved searches, ``reviews/search-runs.csv``: one row per ``livingreview search run``
of one search, appended by the tool.

Columns: ``search`` (a search of ``reviews/search.yml``), ``date`` (YYYY-MM-DD; ``SOURCE_DATE_EPOCH``
when set), ``engine``, ``query`` (as run), ``reported`` (the count the source gave) and ``new`` (the
records it added to the screening queue). Why a file of its own: search.yml is the user's, with
comments the project's YAML reader does not keep, and user files are never rewritten silently.
A search's records are its declared ``records`` plus its runs' ``new`` (the SCR010 check).
Problems are ``SCR025``.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import csv
from collections import Counter
from pathlib import Path

from .. import atomic, textfile
from ..diagnostics import Diagnostic, error
from ..errors import InputError
from . import screening

RUNS = Path("reviews") / "search-runs.csv"
FILE = RUNS.as_posix()
COLUMNS = ("search", "date", "engine", "query", "reported", "new")


class RunsInvalid(InputError):
    """``reviews/search-runs.csv`` cannot be read as the runs of the saved searches."""


@dataclasses.dataclass(frozen=True)
class Run:
    line: int
    search: str
    date: str
    engine: str
    query: str
    reported: int
    new: int

    def row(self) -> list[str]:
        return [self.search, self.date, self.engine, self.query, str(self.reported), str(self.new)]


def read(project, search_ids: set[str]) -> list[Run]:
    """The runs (none without the file); :class:`RunsInvalid` names each bad row."""
    try:
        text = textfile.read(project.root / RUNS, file=FILE, code="SCR025", kind="CSV", scope=project.file_scope,
                             exception=RunsInvalid)
    except FileNotFoundError:
        return []
    runs, problems = [], []
    for line, values in screening.table(text, file=FILE, columns=COLUMNS, code="SCR025", exception=RunsInvalid):
        run, found = _run(line, values, search_ids)
        problems += found
        if run is not None:
            runs.append(run)
    if problems:
        raise RunsInvalid(problems)
    return runs


def _run(line: int, values: dict[str, str], search_ids: set[str]) -> tuple[Run | None, list[Diagnostic]]:
    problems = []
    if values["search"] not in search_ids:
        problems.append(error("SCR025", FILE, line, f"search '{values['search']}' is not in reviews/search.yml",
                              field="search", hint="a run belongs to a search of search.yml"))
    try:
        datetime.date.fromisoformat(values["date"])
    except ValueError:
        problems.append(error("SCR025", FILE, line, f"'{values['date']}' is not a YYYY-MM-DD date", field="date"))
    for name in ("reported", "new"):
        if not values[name].isdigit():
            problems.append(error("SCR025", FILE, line, f"{name} '{values[name]}' is not a count", field=name))
    if problems:
        return None, problems
    return Run(line, values["search"], values["date"], values["engine"], values["query"], int(values["reported"]),
               int(values["new"])), []


def new_records(runs: list[Run]) -> Counter:
    """Per search, the records its runs added."""
    counted = Counter()
    for run in runs:
        counted[run.search] += run.new
    return counted


def last_date(runs: list[Run], search_id: str) -> datetime.date | None:
    dates = [run.date for run in runs if run.search == search_id]
    return datetime.date.fromisoformat(max(dates)) if dates else None


def append(project, runs: list[Run]) -> None:
    """*runs* appended to the file (started with its header), atomically."""
    append_rows(project.root / RUNS, COLUMNS, [run.row() for run in runs])


def append_rows(path: Path, columns: tuple[str, ...], rows: list[list[str]]) -> None:
    """CSV *rows* appended to *path* (its header first when new), atomically, in the file's own line ends."""
    existing = path.read_bytes() if path.exists() else b""
    newline = "\r\n" if b"\r\n" in existing else "\n"
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=newline)
    if not existing:
        writer.writerow(columns)
    elif not existing.endswith(b"\n"):
        out.write(newline)
    writer.writerows(rows)
    atomic.write_bytes(path, existing + out.getvalue().encode("utf-8"))
