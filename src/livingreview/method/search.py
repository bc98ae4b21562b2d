"""The search log, ``reviews/search.yml``: every search that fed the review, and the fixed
list of reasons a record may be excluded for.

Each search says where it looked (``source``), how (``method``: the query or procedure),
when (``date``; null when it was not recorded), who ran it and how many records it returned.
``records`` is a declaration that ``reviews/screening.csv`` must bear out: the screening check
compares it with the rows listed for the search.

A search may also be *saved* for ``livingreview search run`` (:mod:`.search_run`): ``engine``
(``pubmed`` or ``crossref``) and ``query`` (in that engine's syntax). A search without them is
a record of what was done once and is not runnable. The records a run finds are counted in
``reviews/search-runs.csv``, not here (see :mod:`.search_runs`).

``reviewers`` names the people who screen (optional): each row of
``reviews/screening-decisions.csv`` names one of them (see :mod:`.screening_decisions`).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StrictInt, StrictStr, ValidationError

from .. import yamlio
from ..diagnostics import Diagnostic, error
from ..errors import InputError
from ..schema_errors import schema_diagnostics

SEARCH_LOG = Path("reviews") / "search.yml"

#: where a search looked (PRISMA 2020 distinguishes databases and registers from other methods)
#: the sources ``livingreview search run`` can query
Engine = Literal["pubmed", "crossref"]
SourceKind = Literal[
    "seed documents", "reference lists", "bibliographic records", "trial registers", "websites", "other"
]


class SearchLogInvalid(InputError):
    """``reviews/search.yml`` cannot be read or does not follow its schema."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Search(_Strict):
    id: StrictStr = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="referred to by screening.csv's 'search'")
    source: SourceKind
    title: StrictStr = Field(min_length=1, description="short label used in the flow diagram")
    method: StrictStr = Field(min_length=1, description="the query, or how the records were gathered")
    date: datetime.date | None = Field(description="when it was run; null when that was not recorded")
    run_by: StrictStr = Field(min_length=1)
    records: StrictInt = Field(ge=0, description="how many records it returned (before any saved run)")
    engine: Engine | None = Field(default=None, description="where `livingreview search run` sends the query")
    query: StrictStr | None = Field(default=None, min_length=1, description="the saved query, in the engine's syntax")

    @property
    def runnable(self) -> bool:
        """Whether ``livingreview search run`` can re-run it (both an engine and a query are saved)."""
        return self.engine is not None and self.query is not None


class SearchLog(_Strict):
    searches: list[Search] = Field(min_length=1)
    exclusion_reasons: list[StrictStr] = Field(min_length=1)
    note: StrictStr = Field(default="", description="what the reader should know about the searches")
    reviewers: list[Annotated[StrictStr, Field(min_length=1)]] = Field(default_factory=list,
                                       description="who screens: the names screening-decisions.csv's rows give")

    _lines: dict = PrivateAttr(default_factory=dict)
    #: per search, the records its saved runs added, and those of them still awaiting screening
    _run_records: dict = PrivateAttr(default_factory=dict)
    _queued: dict = PrivateAttr(default_factory=dict)

    def search(self, search_id: str) -> Search | None:
        return next((s for s in self.searches if s.id == search_id), None)

    def expected(self, search_id: str) -> int:
        """The records a search returned: its declared ``records`` and its runs' new ones."""
        return self.search(search_id).records + self._run_records.get(search_id, 0)

    def queued(self, search_id: str) -> int:
        """How many of its records await screening (in ``reviews/screening-queue.csv``)."""
        return self._queued.get(search_id, 0)

    def with_runs(self, run_records: dict, queued: dict) -> "SearchLog":
        """This log, knowing its runs' new records and the queue (see :mod:`.search_runs`)."""
        self._run_records, self._queued = dict(run_records), dict(queued)
        return self

    def line_of(self, search_id: str, field: str | None = None) -> int | None:
        """The line of a search's *field* in search.yml (of the search itself when *field* is None)."""
        return self._lines.get((search_id, field)) or self._lines.get((search_id, None))


def load(project) -> SearchLog:
    """Read and validate ``reviews/search.yml``; :class:`SearchLogInvalid` names file, line and field."""
    path = project.root / SEARCH_LOG
    file = SEARCH_LOG.as_posix()
    try:
        data = yamlio.load_file(path, file, scope=project.file_scope)
    except FileNotFoundError:
        raise SearchLogInvalid([error("SCR001", file, None, "the search log is missing",
                                      hint="describe each search in reviews/search.yml")]) from None
    except yamlio.YamlError as exc:
        raise SearchLogInvalid(exc.diagnostics) from None
    if not isinstance(data, dict):
        raise SearchLogInvalid([error("SCR001", file, 1, "search.yml must be a mapping with 'searches' and "
                                      "'exclusion_reasons'")])
    try:
        log = SearchLog(**data)
    except ValidationError as exc:
        raise SearchLogInvalid(schema_diagnostics(exc, data, SearchLog, file, "SCR001")) from None
    repeated = (_repeated(data, "searches", lambda item: item["id"], file, "search id")
                + _repeated(data, "exclusion_reasons", lambda item: item, file, "exclusion reason")
                + _repeated(data, "reviewers", lambda item: item, file, "reviewer"))
    if repeated:
        raise SearchLogInvalid(repeated)
    log._lines = _search_lines(data)
    return log


def _repeated(data, section: str, value_of, file: str, what: str) -> list[Diagnostic]:
    """A diagnostic for each item of *section* (if given) whose value repeats an earlier one."""
    items, seen, out = data.get(section, []), {}, []
    for index, item in enumerate(items):
        value = value_of(item)
        if value in seen:
            out.append(error("SCR002", file, items.lines[index], f"{what} '{value}' is listed twice "
                             f"(first on line {seen[value]})", field=section, hint="give each one once"))
        else:
            seen[value] = items.lines[index]
    return out


def _search_lines(data) -> dict:
    lines = {}
    for index, item in enumerate(data["searches"]):
        lines[(item["id"], None)] = data["searches"].lines[index]
        lines.update({(item["id"], key): line for key, line in item.lines.items()})
    return lines
