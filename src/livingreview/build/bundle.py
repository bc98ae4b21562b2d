"""The data bundle of a report: evidence, open questions and effect estimates as CSV and JSON.

Written in-process from the Selection (never scraped from the executed notebook), so the
data and the report are made from the same selection. Byte-stable: fixed column order,
sorted rows, UTF-8, ``\\n`` line ends, cells a spreadsheet would run neutralised
(:func:`livingreview.synthesis.export.spreadsheet_safe`); JSON with sorted keys, indent 2 and a
final newline, the text as it is.
The schema is documented column by column in docs/DATA.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import fingerprint
from .. import review
from ..errors import LivingReviewError
from ..synthesis import export
from ..synthesis.effects import NotPooled, Pooled, by_prediction
from .plan import Target

EVIDENCE_SCHEMA = "livingreview/evidence@1"
QUESTIONS_SCHEMA = "livingreview/open-questions@1"
EFFECTS_SCHEMA = "livingreview/effects@1"

#: column order of evidence.csv (and the keys of each evidence.json row): the selection's evidence columns
EVIDENCE_COLUMNS = review.EVIDENCE_COLUMNS
#: column order of open-questions.csv: the selection's question columns
QUESTION_COLUMNS = review.SELECTION_QUESTION_COLUMNS

#: column order of effects.csv (and the keys of each effects.json row); docs/DATA.md describes them
EFFECT_COLUMNS: tuple[str, ...] = (
    "row", "prediction", "key", "finding_id", "source_type", "design", "drawn", "measure", "outcome", "value",
    "ci_low", "ci_high", "ci_level", "p", "n", "total_n", "spans_no_effect", "studies", "tau2", "i2", "q", "reason",
)

#: the files a bundle is made of
FILES = ("evidence.csv", "evidence.json", "open-questions.csv", "open-questions.json", "effects.csv", "effects.json")
#: what joins the items of a list value in a CSV cell
LIST_SEPARATOR = "; "


class SelectionShapeError(LivingReviewError):
    """The Selection lacks columns the bundle schema promises (a bug, not bad input)."""


@dataclass(frozen=True)
class Bundle:
    """A report's data rows, plain Python values, sorted."""

    evidence: list[dict]
    questions: list[dict]
    effects: list[dict] = field(default_factory=list)


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
        effects=effect_rows(selection),
    )


def effect_rows(selection) -> list[dict]:
    """One row per estimate the selection's findings state (``row: estimate``; ``drawn`` false for the
    sources the report lists but never draws), then per prediction the pooled results
    (``pooled-random``, ``pooled-fixed``) or why there are none (``not-pooled``); predictions in the
    hypothesis's order, estimates by key and finding."""
    out = []
    for group in by_prediction(selection.notes, selection.hypothesis):
        estimates = sorted((*group.estimates, *group.set_aside), key=lambda s: (_natural(s.key), _natural(s.finding_id)))
        drawn = {(s.key, s.finding_id) for s in group.estimates}
        for s in estimates:
            e = s.estimate
            out.append(_effect_row(
                "estimate", group.prediction, key=s.key, finding_id=s.finding_id, source_type=s.source_type,
                design=s.design, drawn=(s.key, s.finding_id) in drawn, measure=e.measure, outcome=e.outcome, value=e.value,
                ci_low=e.ci_low, ci_high=e.ci_high, ci_level=e.ci_level if e.ci else None, p=e.p,
                n=LIST_SEPARATOR.join(f"{arm}: {n}" for arm, n in e.n.items()) if e.n else None, total_n=e.total_n,
                spans_no_effect=e.spans_no_effect))
        result = group.result
        if isinstance(result, Pooled):
            for model, summary in (("random", result.random), ("fixed", result.fixed)):
                out.append(_effect_row(
                    f"pooled-{model}", group.prediction, key=list(result.keys), measure=result.measure,
                    outcome=result.outcome, value=summary.value, ci_low=summary.ci_low, ci_high=summary.ci_high,
                    ci_level=result.ci_level, studies=result.k, tau2=result.tau2, i2=result.i2, q=result.q,
                    spans_no_effect=summary.ci_low <= group.estimates[0].estimate.spec.null <= summary.ci_high))
        elif isinstance(result, NotPooled):
            out.append(_effect_row("not-pooled", group.prediction, key=[s.key for s in group.estimates],
                                   studies=len(group.estimates), reason=result.reason))
    return out


def _effect_row(row: str, prediction, **values) -> dict:
    return {c: None for c in EFFECT_COLUMNS} | {"row": row, "prediction": prediction, "drawn": None} | values


def write_bundle(folder: Path, target: Target, bundle: Bundle) -> None:
    """Write evidence.csv/.json, open-questions.csv/.json and effects.csv/.json into *folder* (a staging folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "evidence.csv").write_bytes(to_csv(bundle.evidence, EVIDENCE_COLUMNS))
    (folder / "evidence.json").write_bytes(to_json(EVIDENCE_SCHEMA, target, bundle.evidence))
    (folder / "open-questions.csv").write_bytes(to_csv(bundle.questions, QUESTION_COLUMNS))
    (folder / "open-questions.json").write_bytes(to_json(QUESTIONS_SCHEMA, target, bundle.questions))
    (folder / "effects.csv").write_bytes(to_csv(bundle.effects, EFFECT_COLUMNS))
    (folder / "effects.json").write_bytes(to_json(EFFECTS_SCHEMA, target, bundle.effects))
