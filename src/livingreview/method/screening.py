"""Screening decisions, ``reviews/screening.csv``: one row per record a search returned.

Columns: ``record`` (citation key, or another identifier for a record that was never cited),
``search`` (an id from ``reviews/search.yml``), ``duplicate_of`` (the record this one repeats;
a duplicate is removed before screening and has no decisions), ``title_abstract``
(include/exclude), ``full_text`` (include/exclude/not-retrieved; blank after a title/abstract
exclusion), ``exclusion_reason`` (one of search.yml's ``exclusion_reasons``, for every
exclusion) and free ``notes``.

:func:`check` returns every inconsistency as a :class:`~livingreview.diagnostics.Diagnostic`
(codes ``SCR0xx``); :func:`counts` derives the PRISMA 2020 numbers from the rows. When two reviewers
screen, ``reviews/screening-decisions.csv`` holds the decisions instead (:mod:`.screening_decisions`):
this file then lists the records, and the final decisions fill its decision columns.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from .. import textfile
from ..diagnostics import Diagnostic, closest, error
from ..errors import InputError
from ..notes.model import SECONDARY
from ..project import NOTES
from . import search as search_log
from .search import SearchLog

SCREENING = Path("reviews") / "screening.csv"
FILE = SCREENING.as_posix()
#: each reviewer's decisions, when two screen (:mod:`.screening_decisions`); without it, the decisions are here
DECISIONS = Path("reviews") / "screening-decisions.csv"
COLUMNS = ("record", "search", "duplicate_of", "title_abstract", "full_text", "exclusion_reason", "notes")
TITLE_ABSTRACT = ("include", "exclude")
FULL_TEXT = ("include", "exclude", "not-retrieved")
#: the source type of an included record that has no note (yet)
UNCLASSIFIED = "unclassified"


class ScreeningInvalid(InputError):
    """``reviews/screening.csv`` cannot be read, or its decisions do not add up."""


@dataclasses.dataclass(frozen=True)
class Row:
    """One screened record, with the 1-based line where its row starts."""

    line: int
    record: str
    search: str
    duplicate_of: str
    title_abstract: str
    full_text: str
    exclusion_reason: str
    notes: str

    @property
    def is_duplicate(self) -> bool:
        return bool(self.duplicate_of)

    @property
    def included(self) -> bool:
        return not self.is_duplicate and self.full_text == "include"

    @property
    def excluded(self) -> bool:
        return not self.is_duplicate and "exclude" in (self.title_abstract, self.full_text)


@dataclasses.dataclass(frozen=True)
class SourceCount:
    search: str
    title: str
    records: int


@dataclasses.dataclass(frozen=True)
class PrismaCounts:
    """The numbers of a PRISMA 2020 flow diagram, all counted from the screening rows."""

    identified: tuple[SourceCount, ...]
    duplicates: int
    screened: int
    excluded_screening: int
    sought: int
    not_retrieved: int
    assessed: int
    excluded_reasons: tuple[tuple[str, int], ...]  # full-text exclusions by reason, sorted by reason
    included: int
    included_types: tuple[tuple[str, int], ...]  # included records by their note's source_type, sorted
    #: identified by a saved search's run and not yet screened (``reviews/screening-queue.csv``)
    awaiting: int = 0

    @property
    def identified_total(self) -> int:
        return sum(source.records for source in self.identified)

    @property
    def excluded_full_text(self) -> int:
        return sum(n for _, n in self.excluded_reasons)

    @property
    def secondary(self) -> int:
        return sum(n for kind, n in self.included_types if kind in SECONDARY)

    @property
    def unclassified(self) -> int:
        return dict(self.included_types).get(UNCLASSIFIED, 0)

    @property
    def studies(self) -> int:
        return self.included - self.secondary - self.unclassified


# -- reading ----------------------------------------------------------------------------------

def read(project) -> list[Row]:
    """The rows of ``reviews/screening.csv``; :class:`ScreeningInvalid` when it cannot be read as such."""
    try:
        text = textfile.read(project.root / SCREENING, file=FILE, code="SCR003", kind="CSV", scope=project.file_scope,
                             exception=ScreeningInvalid)
    except FileNotFoundError:
        raise ScreeningInvalid([error("SCR003", FILE, None, "the screening record is missing",
                                      hint="list every record the searches returned in reviews/screening.csv")]) from None
    return [Row(line=line, **values) for line, values in table(text, file=FILE, columns=COLUMNS, code="SCR003",
                                                                exception=ScreeningInvalid)]


def table(text: str, *, file: str, columns: tuple[str, ...], code: str,
          exception: type[InputError]) -> list[tuple[int, dict[str, str]]]:
    """The rows of the CSV *text* of *file*, whose header names exactly *columns* (in any order): each
    row as ``(the 1-based line it starts on, {column: stripped value})``, blank rows skipped. Every
    problem is a *code* diagnostic, raised as *exception*."""
    # strict: a quote that is never closed is an error, not a value that swallows the rows after it
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return _rows(reader, file, columns, code, exception)
    except csv.Error as exc:
        raise exception([error(code, file, reader.line_num, f"CSV: {exc}")]) from None


def _rows(reader, file: str, columns: tuple[str, ...], code: str, exception) -> list[tuple[int, dict[str, str]]]:
    header = [name.strip() for name in next(reader, [])]
    _check_header(header, file, columns, code, exception)
    rows, problems = [], []
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader, None)
        except csv.Error as exc:
            raise exception([error(code, file, start, f"CSV: {exc} in the row that starts here",
                                   hint='a value with commas goes in double quotes; a quote inside it is written ""')]) from None
        if fields is None:
            break
        if not any(value.strip() for value in fields):
            continue
        if len(fields) != len(header):
            problems.append(error(code, file, start, f"row has {len(fields)} fields; the header has {len(header)}",
                                  hint="quote values that contain commas"))
            continue
        rows.append((start, {name: value.strip() for name, value in zip(header, fields)}))
    if problems:
        raise exception(problems)
    return rows


def _check_header(header: list[str], file: str, columns: tuple[str, ...], code: str, exception) -> None:
    problems = [error(code, file, 1, f"unknown column '{name}'", field=name, hint=closest(name, columns))
                for name in header if name not in columns]
    problems += [error(code, file, 1, f"column '{name}' appears {header.count(name)} times", field=name)
                 for name in sorted(set(header)) if header.count(name) > 1]
    missing = [name for name in columns if name not in header]
    if missing:
        problems.append(error(code, file, 1, f"missing column(s): {', '.join(missing)}",
                              hint=f"the header is: {','.join(columns)}"))
    if problems:
        raise exception(problems)


# -- checking ---------------------------------------------------------------------------------

def check(project, *, note_keys: set[str], bib_keys: set[str]) -> list[Diagnostic]:
    """Every problem in the search log and screening record (and the decisions file, if any), sorted.
    A project with none of these files keeps no screening record and gets no diagnostics."""
    from ..notes.load import load_notes
    from . import screening_decisions

    log, rows, problems = load_record(project)
    decisions, unread = screening_decisions.load(project)
    if problems or unread or log is None or rows is None:
        return sorted(problems + unread)
    key_lines = {key: loaded.line("key") for key, loaded in load_notes(project)[0].items()}
    evaluated = None if decisions is None else screening_decisions.evaluate(log, rows, decisions)
    return screening_decisions.record_problems(log, rows, evaluated, note_keys=note_keys, bib_keys=bib_keys,
                                               key_lines=key_lines)


def load_record(project) -> tuple[SearchLog | None, list[Row] | None, list[Diagnostic]]:
    """Both files and the problems reading them; ``(None, None, [])`` for a review that keeps neither
    (nor a decisions file)."""
    if not any((project.root / name).exists() for name in (SCREENING, search_log.SEARCH_LOG, DECISIONS)):
        return None, None, []
    try:
        log, rows = load_files(project)
    except InputError as exc:
        return None, None, list(exc.diagnostics)
    return log, rows, []


def load_files(project) -> tuple[SearchLog, list[Row]]:
    """Both files, or one InputError carrying the problems of both."""
    problems, log, rows = [], None, None
    try:
        log = search_log.load(project)
    except InputError as exc:
        problems += exc.diagnostics
    try:
        rows = read(project)
    except InputError as exc:
        problems += exc.diagnostics
    if log is not None and rows is not None:
        problems += _attach_runs(project, log, rows)
    if problems:
        raise ScreeningInvalid(problems)
    return log, rows


def _attach_runs(project, log: SearchLog, rows: list[Row]) -> list[Diagnostic]:
    """The saved searches' runs and queue, counted into *log*; the problems reading them."""
    from . import screening_queue, search_runs

    ids = {s.id for s in log.searches}
    try:
        runs = search_runs.read(project, ids)
        queued = screening_queue.read(project, ids, {row.record for row in rows})
    except InputError as exc:
        return list(exc.diagnostics)
    log.with_runs(search_runs.new_records(runs), screening_queue.per_search(queued))
    return []


def consistency(rows: list[Row], log: SearchLog) -> list[Diagnostic]:
    """The rules that need only the two files: decisions, reasons, duplicates, searches, counts."""
    reasons = log.exclusion_reasons
    out = [d for row in rows for d in (*_decisions(row), *_reason(row, reasons))]
    return out + record_rules(rows, log)


def record_rules(rows: list[Row], log: SearchLog) -> list[Diagnostic]:
    """The rules on the records themselves, whoever decided on them: duplicates, searches, counts."""
    return _identities(rows) + _search_ids(rows, log) + _counts_agree(rows, log)


def _decisions(row: Row) -> list[Diagnostic]:
    if row.is_duplicate:
        given = [name for name in ("title_abstract", "full_text", "exclusion_reason") if getattr(row, name)]
        return [_row_error("SCR007", row, name, f"'{row.record}' is a duplicate of '{row.duplicate_of}', so it is "
                           f"not screened", hint=f"leave {name} blank") for name in given]
    out = []
    if row.title_abstract not in TITLE_ABSTRACT:
        out.append(_invalid_value(row, "title_abstract", TITLE_ABSTRACT))
    if row.full_text and row.full_text not in FULL_TEXT:
        out.append(_invalid_value(row, "full_text", FULL_TEXT))
    if row.title_abstract == "exclude" and row.full_text:
        out.append(_row_error("SCR007", row, "full_text", f"'{row.record}' was excluded at title/abstract, so it has "
                              "no full-text decision", hint="leave full_text blank"))
    if row.title_abstract == "include" and not row.full_text:
        out.append(_row_error("SCR007", row, "full_text", f"'{row.record}' passed title/abstract screening but has "
                              "no full-text decision", hint=f"write one of: {', '.join(FULL_TEXT)}"))
    return out


def _invalid_value(row: Row, name: str, allowed: Iterable[str]) -> Diagnostic:
    value = getattr(row, name)
    problem = f"'{value}' is not a decision" if value else "the decision is missing"
    return _row_error("SCR006", row, name, f"{name} of '{row.record}': {problem}",
                      hint=(closest(value, allowed) if value else None) or f"write one of: {', '.join(allowed)}")


def _reason(row: Row, reasons: list[str]) -> list[Diagnostic]:
    if row.is_duplicate:
        return []  # reported by _decisions
    return [_row_error("SCR008", row, "exclusion_reason", message, hint=hint)
            for message, hint in reason_problems(row.record, row.exclusion_reason, row.excluded, reasons)]


def reason_problems(record: str, value: str, excluded: bool, reasons: list[str]) -> list[tuple[str, str | None]]:
    """What is wrong with the exclusion reason *value* of a decision on *record* (``(message, hint)``):
    an exclusion needs one of search.yml's *reasons*, and only an exclusion has one. The screening
    record's rows and the reviewers' decisions both follow this rule."""
    if excluded and not value:
        return [(f"'{record}' is excluded without a reason", f"write one of search.yml's exclusion_reasons: {'; '.join(reasons)}")]
    if value and not excluded:
        return [(f"'{record}' is not excluded, so it has no exclusion reason", "leave exclusion_reason blank")]
    if value and value not in reasons:
        return [(f"'{value}' is not one of the exclusion reasons declared in reviews/search.yml",
                 closest(value, reasons) or "add it to exclusion_reasons there, or use a declared one")]
    return []


def _identities(rows: list[Row]) -> list[Diagnostic]:
    """Records are named, screened once, and duplicates point at a screened record."""
    out, first = [], {}
    for row in rows:
        if not row.record:
            out.append(_row_error("SCR004", row, "record", "the record is not named",
                                  hint="write its citation key or another identifier"))
        elif not row.is_duplicate and row.record in first:
            out.append(_row_error("SCR004", row, "record", f"'{row.record}' is screened twice (first on line "
                                  f"{first[row.record]})", hint=f"mark this row duplicate_of '{row.record}'"))
        elif not row.is_duplicate:
            first[row.record] = row.line
    for row in rows:
        if row.is_duplicate and row.duplicate_of not in first:
            out.append(_row_error("SCR009", row, "duplicate_of", f"'{row.record}' is marked a duplicate of "
                                  f"'{row.duplicate_of}', which is not a screened record in this file",
                                  hint=closest(row.duplicate_of, first) or "name the record it repeats"))
    return out


def _search_ids(rows: list[Row], log: SearchLog) -> list[Diagnostic]:
    ids = [s.id for s in log.searches]
    return [_row_error("SCR005", row, "search", f"search '{row.search}' of '{row.record}' is not in "
                       "reviews/search.yml", hint=closest(row.search, ids) or f"use one of: {', '.join(ids)}")
            for row in rows if row.search not in ids]


def _counts_agree(rows: list[Row], log: SearchLog) -> list[Diagnostic]:
    """A search's records (declared, plus its runs' new ones) are its rows here and in the queue."""
    listed = Counter(row.search for row in rows)
    file = search_log.SEARCH_LOG.as_posix()
    return [error("SCR010", file, log.line_of(s.id, "records"), _counts_message(s, log, listed[s.id]), key=s.id,
                  field="records", hint=f"correct 'records' or the rows of {FILE}")
            for s in log.searches if listed[s.id] + log.queued(s.id) != log.expected(s.id)]


def _counts_message(search, log: SearchLog, listed: int) -> str:
    declared = f"declares {search.records} records"
    if log.expected(search.id) != search.records:
        declared += f" and its runs found {log.expected(search.id) - search.records} more"
    queued = f" and the screening queue {log.queued(search.id)}" if log.queued(search.id) else ""
    return f"search '{search.id}' {declared} but {FILE} lists {listed} for it{queued}"


def coverage(rows: list[Row], *, note_keys: set[str], bib_keys: set[str],
             key_lines: Mapping[str, int | None] | None = None) -> list[Diagnostic]:
    """Included records have a note and a bibliography entry; every note is an included record.
    *key_lines*: the line of each note's ``key:`` (for the message about a note not screened in)."""
    out = []
    for row in rows:
        if row.included and row.record not in note_keys:
            out.append(_row_error("SCR011", row, "record", f"included record '{row.record}' has no note",
                                  hint=f"write reviews/notes/{row.record}.yml (livingreview new {row.record})"))
        if row.included and row.record not in bib_keys:
            out.append(_row_error("SCR012", row, "record", f"included record '{row.record}' has no bibliography entry",
                                  hint=closest(row.record, bib_keys) or "add an entry with this key to a bib/*.bib file"))
    screened = {row.record: row for row in rows if not row.is_duplicate}
    lines = key_lines or {}
    for key in sorted(note_keys - {row.record for row in rows if row.included}):
        where = f"is not included (line {screened[key].line} of {FILE})" if key in screened else f"is not in {FILE}"
        out.append(error("SCR013", (NOTES / f"{key}.yml").as_posix(), lines.get(key), f"the note's work '{key}' "
                         f"{where}", key=key, field="key", hint="screen it in as an included record, or remove the note"))
    return out


def _row_error(code: str, row: Row, field: str, message: str, hint: str | None = None) -> Diagnostic:
    return error(code, FILE, row.line, message, key=row.record or None, field=field, hint=hint)


# -- counting ---------------------------------------------------------------------------------

def counts(project, *, source_types: Mapping[str, str] | None = None) -> PrismaCounts:
    """The flow-diagram numbers of *project*'s record, read here (a loaded review has them as
    ``Review.flow_counts``), from the final decisions when two reviewers screen; *source_types*
    default: the notes' own. :class:`ScreeningInvalid` if the files disagree or a conflict is unresolved."""
    from . import screening_decisions

    log, rows = load_files(project)
    decisions = screening_decisions.read(project)
    if decisions is None:
        problems = consistency(rows, log)
    else:
        evaluated = screening_decisions.evaluate(log, rows, decisions)
        problems, rows = evaluated.problems, evaluated.rows
    if problems:
        raise ScreeningInvalid(problems, summary="the screening record is inconsistent or has unresolved conflicts; "
                                                 "run `livingreview check`")
    if source_types is None:
        from ..notes.load import load_notes

        source_types = {key: loaded.value.source_type for key, loaded in load_notes(project)[0].items()}
    return tally(log, rows, source_types)


def tally(log: SearchLog, rows: list[Row], source_types: Mapping[str, str]) -> PrismaCounts:
    """The flow-diagram numbers, counted from consistent screening rows (never typed). Included
    records are split by their note's ``source_type`` (*source_types*: key -> it)."""
    kept = [row for row in rows if not row.is_duplicate]
    per_search = Counter(row.search for row in rows)
    included = [row.record for row in kept if row.included]
    return PrismaCounts(
        identified=tuple(SourceCount(s.id, s.title, per_search[s.id] + log.queued(s.id)) for s in log.searches),
        duplicates=len(rows) - len(kept),
        screened=len(kept),
        excluded_screening=sum(row.title_abstract == "exclude" for row in kept),
        sought=sum(row.title_abstract == "include" for row in kept),
        not_retrieved=sum(row.full_text == "not-retrieved" for row in kept),
        assessed=sum(row.full_text in ("include", "exclude") for row in kept),
        excluded_reasons=tuple(sorted(Counter(row.exclusion_reason for row in kept if row.full_text == "exclude").items())),
        included=len(included),
        included_types=tuple(sorted(Counter(source_types.get(key, UNCLASSIFIED) for key in included).items())),
        awaiting=sum(log.queued(s.id) for s in log.searches),
    )


def excluded(rows: Iterable[Row]) -> list[Row]:
    """The records excluded at either stage or not retrieved, in file order."""
    return [row for row in rows if row.excluded or row.full_text == "not-retrieved"]
