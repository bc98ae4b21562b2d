"""Dual independent screening, ``reviews/screening-decisions.csv``: one row per decision one
reviewer made on one record at one stage.

Columns: ``record`` (a screened record of ``reviews/screening.csv``, not a duplicate), ``stage``
(``title-abstract`` or ``full-text``), ``kind`` (``independent``: the reviewer's own decision, made
without seeing the other's; ``resolution``: the decision that settles a disagreement), ``reviewer``
(one of search.yml's ``reviewers``), ``date`` (YYYY-MM-DD), ``decision`` (the vocabulary of
screening.csv: include/exclude at title-abstract, include/exclude/not-retrieved at full-text),
``exclusion_reason`` (one of search.yml's ``exclusion_reasons``, for every exclusion, as in
screening.csv) and ``notes`` (free; a resolution's reason: how and why it was settled, required).

Why this shape: screening.csv keeps one row per record, which two reviewers editing at once would
both change (a merge conflict on every record). Here a reviewer only appends rows of their own,
so two branches merge cleanly; the row order does not matter. screening.csv still lists the
records (search, duplicates, notes), but its decision columns stay blank: the decisions are here,
once. Without this file the review is screened by one reviewer and screening.csv holds the
decisions, as before.

Reviewers *disagree* on a record at a stage when their independent decisions differ, in the
decision or in the exclusion reason (the flow diagram names one reason per record). The record's
final decision at a stage is the reviewers' common decision, else its resolution; a disagreement
without a resolution is a *conflict* (``livingreview screening conflicts`` lists them; ``check``
warns; ``build --strict`` refuses). The final decisions fill screening.csv's decision columns, and
the PRISMA counts are counted from those rows as before; while a conflict is unresolved, there are
no counts. Agreement (:func:`agreement`) is counted over the independent decisions, per stage, of
the records exactly two reviewers screened there; the first of the pair is the one declared first
in search.yml.

Codes (``SCR0xx``, after :mod:`.screening`'s):

======  ========  ==========================================================================
SCR014  error     the decisions file cannot be read (CSV, header, encoding)
SCR015  error     a row's record is not a screened record of screening.csv
SCR016  error     a stage, kind or decision that is not one of its values
SCR017  error     a reviewer search.yml's ``reviewers`` does not name
SCR018  error     a date that is not a YYYY-MM-DD date
SCR019  error     an exclusion without a reason, a reason without an exclusion, an undeclared reason
SCR020  error     a resolution without its reason (notes), twice, or with nothing to resolve
SCR021  error     a reviewer deciding twice on a record at a stage
SCR022  error     the stages out of order: a record without a title-abstract decision, or one
                  included there without a full-text decision, or excluded there with one
SCR023  error     screening.csv records a decision although this file holds the decisions
SCR024  warning   a conflict: reviewers disagree and no resolution is recorded
======  ========  ==========================================================================
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterable, Sequence

from .. import textfile
from ..diagnostics import Diagnostic, Severity, closest, error, warning
from ..errors import InputError
from . import screening
from .agreement import Kappa, cohens_kappa
from .screening import Row
from .search import SearchLog

DECISIONS = screening.DECISIONS
FILE = DECISIONS.as_posix()
COLUMNS = ("record", "stage", "kind", "reviewer", "date", "decision", "exclusion_reason", "notes")
TITLE_ABSTRACT, FULL_TEXT = "title-abstract", "full-text"
#: each stage's decisions (screening.csv's), in the order of the agreement table
STAGES = {TITLE_ABSTRACT: screening.TITLE_ABSTRACT, FULL_TEXT: screening.FULL_TEXT}
#: how a reader's sentence names each stage
STAGE_WORDS = {TITLE_ABSTRACT: "title/abstract", FULL_TEXT: "full text"}
#: screening.csv's column for each stage
STAGE_COLUMNS = {TITLE_ABSTRACT: "title_abstract", FULL_TEXT: "full_text"}
INDEPENDENT, RESOLUTION = "independent", "resolution"
KINDS = (INDEPENDENT, RESOLUTION)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DecisionsInvalid(InputError):
    """``reviews/screening-decisions.csv`` cannot be read, or its decisions do not add up."""


class ConflictsUnresolved(InputError):
    """``build --strict``: the reviewers disagree on records and no resolution is recorded."""


@dataclasses.dataclass(frozen=True)
class Decision:
    """One row, with the 1-based line where it starts."""

    line: int
    record: str
    stage: str
    kind: str
    reviewer: str
    date: str
    decision: str
    exclusion_reason: str
    notes: str

    @property
    def said(self) -> tuple[str, str]:
        """What it decides: the decision and its exclusion reason."""
        return self.decision, self.exclusion_reason

    def shown(self) -> str:
        """``Jane Doe: exclude (wrong population), line 4``."""
        reason = f" ({self.exclusion_reason})" if self.exclusion_reason else ""
        return f"{self.reviewer}: {self.decision}{reason}, line {self.line}"


@dataclasses.dataclass(frozen=True)
class Conflict:
    """Reviewers disagree on *record* at *stage* and no resolution is recorded."""

    record: str
    stage: str
    decisions: tuple[Decision, ...]  # the independent ones, in file order

    @property
    def line(self) -> int:
        return self.decisions[0].line


@dataclasses.dataclass(frozen=True)
class StageAgreement:
    stage: str
    records: int  # records with an independent decision at this stage
    kappa: Kappa  # over the kappa.n records exactly two reviewers decided on here
    resolved: int  # disagreements settled by a resolution


@dataclasses.dataclass(frozen=True)
class DualScreening:
    """What the decisions say about the screening as a whole (for the methods section)."""

    agreement: tuple[StageAgreement, ...]
    conflicts: tuple[Conflict, ...]  # unresolved


@dataclasses.dataclass(frozen=True)
class Evaluated:
    """The screening record read with its decisions file."""

    problems: list[Diagnostic]  # errors and SCR024 warnings, sorted
    rows: list[Row] | None  # screening.csv's rows with the final decisions (None: errors or conflicts)
    screening: DualScreening | None  # None when there are errors


# -- reading ----------------------------------------------------------------------------------

def read(project) -> list[Decision] | None:
    """The rows of the decisions file; None when there is none (one reviewer screened)."""
    try:
        text = textfile.read(project.root / DECISIONS, file=FILE, code="SCR014", kind="CSV", scope=project.file_scope,
                             exception=DecisionsInvalid)
    except FileNotFoundError:
        return None
    return [Decision(line=line, **values) for line, values in screening.table(text, file=FILE, columns=COLUMNS,
                                                                             code="SCR014", exception=DecisionsInvalid)]


def load(project) -> tuple[list[Decision] | None, list[Diagnostic]]:
    """The decisions and the problems reading them."""
    try:
        return read(project), []
    except InputError as exc:
        return None, list(exc.diagnostics)


def conflicts(project) -> list[Conflict] | None:
    """The unresolved conflicts of *project*, read here (``livingreview screening conflicts``); None when
    one reviewer screened. :class:`DecisionsInvalid` when a file cannot be read or the decisions do not add up."""
    decisions = read(project)
    if decisions is None:
        return None
    log, rows = screening.load_files(project)
    evaluated = evaluate(log, rows, decisions)
    errors = [d for d in evaluated.problems if d.is_error]
    if errors:
        raise DecisionsInvalid(errors, summary="the screening decisions do not add up; `livingreview check` lists "
                                               "every problem")
    return sorted(evaluated.screening.conflicts, key=lambda c: c.line)


def conflict_text(conflict: Conflict) -> str:
    """A conflict for the terminal: where, then each reviewer's decision and reason, one a line."""
    lines = [f"{FILE}:{conflict.line}: '{conflict.record}' at {conflict.stage}"]
    for d in conflict.decisions:
        reason = f", {d.exclusion_reason}" if d.exclusion_reason else ""
        notes = f" — {d.notes}" if d.notes else ""
        lines.append(f"  {d.reviewer} ({d.date}, line {d.line}): {d.decision}{reason}{notes}")
    return "\n".join(lines)


def conflicts_summary(found: list[Conflict] | None) -> str:
    """The last line ``livingreview screening conflicts`` prints."""
    if found is None:
        return f"{FILE} does not exist: one reviewer screened, so no decisions can conflict"
    if not found:
        return "no unresolved screening conflicts"
    return (f"{len(found)} unresolved screening conflict{'' if len(found) == 1 else 's'}: settle each and append a "
            f"row of kind 'resolution' to {FILE}, with its reason in notes")


def record_problems(log: SearchLog, rows: list[Row], evaluated: Evaluated | None, *, note_keys: set[str],
                    bib_keys: set[str], key_lines=None) -> list[Diagnostic]:
    """Every problem of the screening record, sorted: screening.csv's alone (one reviewer: *evaluated*
    None), or with the decisions (:func:`evaluate`); the included records' notes and entries are
    checked once every conflict is resolved."""
    if evaluated is None:
        rows_counted, problems = rows, screening.consistency(rows, log)
    else:
        rows_counted, problems = evaluated.rows, evaluated.problems
    if rows_counted is None:
        return sorted(problems)
    return sorted(problems + screening.coverage(rows_counted, note_keys=note_keys, bib_keys=bib_keys, key_lines=key_lines))


# -- checking ---------------------------------------------------------------------------------

def evaluate(log: SearchLog, rows: list[Row], decisions: list[Decision]) -> Evaluated:
    """Check *decisions* against the records and the log; the final rows when they add up."""
    problems = screening.record_rules(rows, log) + _no_decisions_in(rows)
    screened = {row.record: row for row in rows if not row.is_duplicate and row.record}
    duplicates = {row.record: row for row in rows if row.is_duplicate}
    problems += [d for decision in decisions for d in _row_rules(decision, log, screened, duplicates)]
    if problems:
        return Evaluated(sorted(problems), None, None)
    groups = _groups(decisions)
    problems = [d for group in groups.values() for d in _group_rules(group)]
    if problems:
        return Evaluated(sorted(problems), None, None)
    finals = {place: _final(group) for place, group in groups.items()}
    problems = _stage_order(screened, groups, finals)
    if problems:
        return Evaluated(sorted(problems), None, None)
    conflicts = tuple(Conflict(record, stage, _independent(groups[(record, stage)]))
                      for (record, stage), final in finals.items() if final is None)
    dual = DualScreening(agreement(decisions, log.reviewers), conflicts)
    found = sorted(_conflict_warning(c) for c in conflicts)
    return Evaluated(found, None if conflicts else _final_rows(rows, finals), dual)


def _no_decisions_in(rows: list[Row]) -> list[Diagnostic]:
    """SCR023: screening.csv's decision columns stay blank when this file holds the decisions."""
    names = ("title_abstract", "full_text", "exclusion_reason")
    return [error("SCR023", screening.FILE, row.line, f"{FILE} holds the screening decisions, so {screening.FILE} "
                  f"records none", key=row.record or None, field=name, hint=f"leave {name} blank (the decisions "
                  f"of each reviewer are rows of {FILE})")
            for row in rows for name in names if getattr(row, name)]


def _row_rules(decision: Decision, log: SearchLog, screened: dict[str, Row], duplicates: dict[str, Row]) -> list[Diagnostic]:
    return [*_record(decision, screened, duplicates), *_vocabulary(decision), *_reviewer(decision, log.reviewers),
            *_date(decision), *_reason(decision, log.exclusion_reasons), *_resolution_reason(decision)]


def _error(code: str, decision: Decision, field: str, message: str, hint: str | None = None) -> Diagnostic:
    return error(code, FILE, decision.line, message, key=decision.record or None, field=field, hint=hint)


def _record(decision: Decision, screened: dict[str, Row], duplicates: dict[str, Row]) -> list[Diagnostic]:
    record = decision.record
    if record in screened:
        return []
    if not record:
        return [_error("SCR015", decision, "record", "the record is not named",
                       hint=f"write the record's identifier as {screening.FILE} lists it")]
    if record in duplicates:
        original = duplicates[record].duplicate_of
        return [_error("SCR015", decision, "record", f"'{record}' is a duplicate of '{original}' (line "
                       f"{duplicates[record].line} of {screening.FILE}), so it is not screened",
                       hint=f"decide on '{original}'")]
    return [_error("SCR015", decision, "record", f"'{record}' is not a record of {screening.FILE}",
                   hint=closest(record, screened) or f"list it in {screening.FILE} first")]


def _vocabulary(decision: Decision) -> list[Diagnostic]:
    out = [_not_one_of(decision, "stage", STAGES), _not_one_of(decision, "kind", KINDS)]
    if decision.stage in STAGES:
        out.append(_not_one_of(decision, "decision", STAGES[decision.stage], f" at {decision.stage}"))
    return [d for d in out if d is not None]


def _not_one_of(decision: Decision, field: str, allowed: Iterable[str], where: str = "") -> Diagnostic | None:
    value = getattr(decision, field)
    if value in allowed:
        return None
    problem = f"'{value}' is not a {field}{where}" if value else f"the {field} is missing"
    return _error("SCR016", decision, field, f"{field} of '{decision.record}': {problem}",
                  hint=(closest(value, allowed) if value else None) or f"write one of: {', '.join(allowed)}")


def _reviewer(decision: Decision, reviewers: Sequence[str]) -> list[Diagnostic]:
    if decision.reviewer in reviewers:
        return []
    declared = f"one of: {'; '.join(reviewers)}" if reviewers else "none are declared"
    problem = f"'{decision.reviewer}' is not" if decision.reviewer else "the reviewer is not named; it must be"
    return [_error("SCR017", decision, "reviewer", f"{problem} one of the reviewers reviews/search.yml declares "
                   f"({declared})", hint=closest(decision.reviewer, reviewers) or "add the name to 'reviewers' in "
                   "reviews/search.yml, or correct it")]


def _date(decision: Decision) -> list[Diagnostic]:
    try:
        if _DATE.match(decision.date):
            datetime.date.fromisoformat(decision.date)
            return []
    except ValueError:
        pass
    value = f"'{decision.date}' is not a date" if decision.date else "the date is missing"
    return [_error("SCR018", decision, "date", f"date of '{decision.record}': {value}",
                   hint="write the day of the decision as YYYY-MM-DD, e.g. 2024-03-01")]


def _reason(decision: Decision, reasons: list[str]) -> list[Diagnostic]:
    return [_error("SCR019", decision, "exclusion_reason", message, hint=hint)
            for message, hint in screening.reason_problems(decision.record, decision.exclusion_reason,
                                                           decision.decision == "exclude", reasons)]


def _resolution_reason(decision: Decision) -> list[Diagnostic]:
    if decision.kind != RESOLUTION or decision.notes:
        return []
    return [_error("SCR020", decision, "notes", f"the resolution of '{decision.record}' at {decision.stage} gives no "
                   "reason", hint="say in notes how and why the disagreement was settled (e.g. discussed with "
                   "the other reviewer; decided by a third)")]


def _groups(decisions: list[Decision]) -> dict[tuple[str, str], list[Decision]]:
    """The rows of each (record, stage), in file order."""
    out: dict[tuple[str, str], list[Decision]] = {}
    for decision in decisions:
        out.setdefault((decision.record, decision.stage), []).append(decision)
    return out


def _independent(group: list[Decision]) -> tuple[Decision, ...]:
    return tuple(d for d in group if d.kind == INDEPENDENT)


def _disagree(group: list[Decision]) -> bool:
    return len({d.said for d in _independent(group)}) > 1


def _group_rules(group: list[Decision]) -> list[Diagnostic]:
    """SCR021 (one independent decision per reviewer) and SCR020 (one resolution, of a disagreement)."""
    out, first = [], {}
    for decision in _independent(group):
        if decision.reviewer in first:
            out.append(_error("SCR021", decision, "reviewer", f"{decision.reviewer} already decided on "
                              f"'{decision.record}' at {decision.stage} (line {first[decision.reviewer]})",
                              hint="one row per reviewer, record and stage: correct that row, or remove this one"))
        else:
            first[decision.reviewer] = decision.line
    resolutions = [d for d in group if d.kind == RESOLUTION]
    for decision in resolutions[1:]:
        out.append(_error("SCR020", decision, "kind", f"'{decision.record}' at {decision.stage} is already resolved "
                          f"(line {resolutions[0].line})", hint="keep one resolution"))
    if resolutions and not _disagree(group):
        out.append(_error("SCR020", resolutions[0], "kind", f"the reviewers' decisions on '{resolutions[0].record}' at "
                          f"{resolutions[0].stage} do not disagree, so there is nothing to resolve",
                          hint="remove the resolution, or record the independent decisions it settles"))
    return out


def _final(group: list[Decision]) -> Decision | None:
    """The decision that counts: the reviewers' common one, else the resolution; None for a conflict."""
    if not _disagree(group):
        return _independent(group)[0]
    return next((d for d in group if d.kind == RESOLUTION), None)


def _stage_order(screened: dict[str, Row], groups: dict, finals: dict) -> list[Diagnostic]:
    """SCR022: every screened record is decided at title-abstract; one included there is decided at
    full-text, one excluded there is not (a record in conflict at title-abstract is left alone)."""
    out = []
    for record, row in screened.items():
        if (record, TITLE_ABSTRACT) not in groups:
            out.append(error("SCR022", FILE, None, f"'{record}' (line {row.line} of {screening.FILE}) has no "
                             "title-abstract decision", key=record, field="stage",
                             hint=f"append each reviewer's title-abstract decision on '{record}'"))
            continue
        first = finals[(record, TITLE_ABSTRACT)]
        later = groups.get((record, FULL_TEXT))
        if first is not None and first.decision == "include" and later is None:
            out.append(_error("SCR022", first, "stage", f"'{record}' passed title-abstract screening but has no "
                              "full-text decision", hint=f"append the full-text decisions: {', '.join(screening.FULL_TEXT)}"))
        if first is not None and first.decision == "exclude" and later is not None:
            out.append(_error("SCR022", later[0], "stage", f"'{record}' was excluded at title-abstract (line "
                              f"{first.line}), so it has no full-text decision", hint="remove its full-text rows"))
    return out


def _conflict_warning(conflict: Conflict) -> Diagnostic:
    said = "; ".join(d.shown() for d in conflict.decisions)
    return warning("SCR024", FILE, conflict.line, f"the reviewers disagree on '{conflict.record}' at {conflict.stage} "
                   f"({said}) and no resolution is recorded", key=conflict.record, field="decision",
                   hint="settle it and append a row of kind 'resolution' with its reason in notes; "
                   "`livingreview screening conflicts` lists every conflict")


def _final_rows(rows: list[Row], finals: dict) -> list[Row]:
    """screening.csv's rows with the final decision of each stage (and its exclusion reason) filled in."""
    out = []
    for row in rows:
        if row.is_duplicate:
            out.append(row)
            continue
        first, later = finals[(row.record, TITLE_ABSTRACT)], finals.get((row.record, FULL_TEXT))
        reason = (later or first).exclusion_reason
        out.append(dataclasses.replace(row, title_abstract=first.decision,
                                       full_text=later.decision if later else "", exclusion_reason=reason))
    return out


def refuse_unresolved(diagnostics: Iterable[Diagnostic]) -> None:
    """``build --strict``: :class:`ConflictsUnresolved` when *diagnostics* (a loaded review's warnings)
    hold a conflict (SCR024), each as an error."""
    found = [dataclasses.replace(d, severity=Severity.ERROR) for d in diagnostics if d.code == "SCR024"]
    if found:
        raise ConflictsUnresolved(found, summary=f"--strict: {len(found)} screening conflict(s) unresolved, so no "
                                                 "report is built (`livingreview screening conflicts` lists them):")


# -- agreement --------------------------------------------------------------------------------

def agreement(decisions: Sequence[Decision], reviewers: Sequence[str]) -> tuple[StageAgreement, ...]:
    """Per stage: Cohen's kappa and the percentage agreement of the independent decisions of the
    records exactly two reviewers decided on there (the one declared first in *reviewers* first)."""
    order = {name: i for i, name in enumerate(reviewers)}
    groups = _groups(decisions)
    out = []
    for stage, categories in STAGES.items():
        stage_groups = [group for (_, s), group in groups.items() if s == stage and _independent(group)]
        pairs = []
        for group in stage_groups:
            both = sorted(_independent(group), key=lambda d: order.get(d.reviewer, len(order)))
            if len(both) == 2:
                pairs.append((both[0].decision, both[1].decision))
        resolved = sum(any(d.kind == RESOLUTION for d in group) for group in stage_groups)
        out.append(StageAgreement(stage, len(stage_groups), cohens_kappa(pairs, categories), resolved))
    return tuple(out)
