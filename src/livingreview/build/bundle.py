"""The data bundle of a report: evidence and open questions as CSV and JSON.

Written in-process from the Selection (never scraped from the executed notebook), so the
data and the report are made from the same selection. Byte-stable: fixed column order,
sorted rows, UTF-8, ``\\n`` line ends, cells a spreadsheet would run neutralised
(:func:`livingreview.synthesis.export.spreadsheet_safe`); JSON with sorted keys, indent 2 and a
final newline, the text as it is.
The schema is documented column by column in docs/DATA.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import fingerprint
from .. import review
from ..errors import LivingReviewError
from ..synthesis import export
from .plan import Target

EVIDENCE_SCHEMA = "livingreview/evidence@1"
QUESTIONS_SCHEMA = "livingreview/open-questions@1"

#: column order of evidence.csv (and the keys of each evidence.json row): the selection's evidence columns
EVIDENCE_COLUMNS = review.EVIDENCE_COLUMNS
#: column order of open-questions.csv: the selection's question columns
QUESTION_COLUMNS = review.SELECTION_QUESTION_COLUMNS

#: the files a bundle is made of
FILES = ("evidence.csv", "evidence.json", "open-questions.csv", "open-questions.json")
#: what joins the items of a list value in a CSV cell
LIST_SEPARATOR = "; "


class SelectionShapeError(LivingReviewError):
    """The Selection lacks columns the bundle schema promises (a bug, not bad input)."""


@dataclass(frozen=True)
class Bundle:
    """A report's data rows, plain Python values, sorted."""

    evidence: list[dict]
    questions: list[dict]


def plain(value):
    """A JSON-able Python value: numpy scalars unwrapped, missing values None, sequences as lists."""
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((plain(v) for v in value), key=str)
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return None
    return value


def _natural(text) -> tuple:
    """Sort key that orders f2 before f10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", str(text)))


def rows(frame: pd.DataFrame, columns: tuple[str, ...], *, sort_by: tuple[str, ...]) -> list[dict]:
    """The frame's *columns* as a sorted list of plain dicts."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SelectionShapeError(f"bug: the selection has no column(s) {', '.join(missing)}; the bundle schema needs them")
    records = [{c: plain(v) for c, v in zip(columns, values)} for values in frame[list(columns)].itertuples(index=False)]
    return sorted(records, key=lambda r: tuple(_natural(r[c]) for c in sort_by))


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(csv_cell(v) for v in value)
    return str(value)


def to_csv(records: list[dict], columns: tuple[str, ...]) -> bytes:
    """The records as CSV, written (spreadsheet-safe) by the project's one CSV writer."""
    table = pd.DataFrame([[csv_cell(r[c]) for c in columns] for r in records], columns=list(columns), dtype=object)
    return export.to_csv_bytes(table)


#: the project's stable JSON (sorted keys, indent 2, UTF-8 as is, final newline)
dumps = fingerprint.stable_json


def to_json(schema: str, target: Target, records: list[dict]) -> bytes:
    return dumps({
        "schema": schema,
        "hypothesis": target.hypothesis.id,
        "variant": target.variant.name,
        "parameters": target.parameters.model_dump(),
        "rows": records,
    })


def make_bundle(selection) -> Bundle:
    return Bundle(
        evidence=rows(selection.evidence, EVIDENCE_COLUMNS, sort_by=("key", "finding_id", "hypothesis")),
        questions=rows(selection.questions, QUESTION_COLUMNS, sort_by=("question_id",)),
    )


def write_bundle(folder: Path, target: Target, bundle: Bundle) -> None:
    """Write evidence.csv/.json and open-questions.csv/.json into *folder* (a staging folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "evidence.csv").write_bytes(to_csv(bundle.evidence, EVIDENCE_COLUMNS))
    (folder / "evidence.json").write_bytes(to_json(EVIDENCE_SCHEMA, target, bundle.evidence))
    (folder / "open-questions.csv").write_bytes(to_csv(bundle.questions, QUESTION_COLUMNS))
    (folder / "open-questions.json").write_bytes(to_json(QUESTIONS_SCHEMA, target, bundle.questions))
