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
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from .. import fingerprint
from .. import review
from ..errors import LivingReviewError
from ..synthesis import export
from ..report.certainty_view import overall_rule
from ..report.rob_view import rob_tables
from ..synthesis.certainty import FRAME_COLUMNS, OVERALL
from ..synthesis.effects import NotPooled, Pooled, by_prediction
from .plan import Target

EVIDENCE_SCHEMA = "livingreview/evidence@1"
QUESTIONS_SCHEMA = "livingreview/open-questions@1"
EFFECTS_SCHEMA = "livingreview/effects@1"
CERTAINTY_SCHEMA = "livingreview/certainty@1"
RISK_OF_BIAS_SCHEMA = "livingreview/risk-of-bias@1"
DRIFT_SCHEMA = "livingreview/claim-drift@1"

#: column order of evidence.csv (and the keys of each evidence.json row): the selection's evidence columns;
#: a review's facet columns follow ``criteria`` (:func:`livingreview.review.evidence_columns`)
EVIDENCE_COLUMNS = review.EVIDENCE_COLUMNS
#: column order of open-questions.csv: the selection's question columns
QUESTION_COLUMNS = review.SELECTION_QUESTION_COLUMNS

#: column order of effects.csv (and the keys of each effects.json row); docs/DATA.md describes them
EFFECT_COLUMNS: tuple[str, ...] = (
    "row", "prediction", "key", "finding_id", "source_type", "design", "drawn", "measure", "outcome", "value",
    "ci_low", "ci_high", "ci_level", "p", "n", "total_n", "spans_no_effect", "studies", "tau2", "i2", "q", "reason",
)

#: column order of certainty.csv: one row per prediction, then the hypothesis's overall rating
CERTAINTY_COLUMNS: tuple[str, ...] = tuple(FRAME_COLUMNS)
#: column order of risk-of-bias.csv: per study, one row per domain of its tool, then its overall
RISK_OF_BIAS_COLUMNS: tuple[str, ...] = (
    "key", "tool", "domain", "domain_name", "judgement", "concern", "basis_kind", "basis", "where", "provenance",
)
#: column order of claim-drift.csv: one row per difference between a secondary source and its primary
DRIFT_COLUMNS: tuple[str, ...] = (
    "secondary_key", "secondary_finding", "primary_key", "primary_finding", "aspect", "secondary_says", "primary_says",
)


@dataclass(frozen=True)
class Table:
    """One table of a bundle: its file stem, its JSON schema id, its columns and the Bundle field holding its rows."""

    stem: str
    schema: str
    columns: tuple[str, ...]
    field: str


#: the tables of a bundle, in the order they are written and listed
TABLES: tuple[Table, ...] = (
    Table("evidence", EVIDENCE_SCHEMA, EVIDENCE_COLUMNS, "evidence"),
    Table("open-questions", QUESTIONS_SCHEMA, QUESTION_COLUMNS, "questions"),
    Table("effects", EFFECTS_SCHEMA, EFFECT_COLUMNS, "effects"),
    Table("certainty", CERTAINTY_SCHEMA, CERTAINTY_COLUMNS, "certainty"),
    Table("risk-of-bias", RISK_OF_BIAS_SCHEMA, RISK_OF_BIAS_COLUMNS, "risk_of_bias"),
    Table("claim-drift", DRIFT_SCHEMA, DRIFT_COLUMNS, "drift"),
)
#: the files a bundle is made of
FILES = tuple(f"{t.stem}.{ext}" for t in TABLES for ext in ("csv", "json"))
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
    certainty: list[dict] = field(default_factory=list)
    risk_of_bias: list[dict] = field(default_factory=list)
    drift: list[dict] = field(default_factory=list)
    #: the columns of a table whose columns are the review's own (the evidence, with its facets), by field
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def columns_of(self, table: Table) -> tuple[str, ...]:
        """*table*'s columns in this bundle."""
        return self.columns.get(table.field, table.columns)


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
    evidence_columns = selection.review.evidence_columns
    return Bundle(
        evidence=rows(selection.evidence, evidence_columns, sort_by=("key", "finding_id", "hypothesis")),
        questions=rows(selection.questions, QUESTION_COLUMNS, sort_by=("question_id",)),
        effects=effect_rows(selection),
        certainty=certainty_rows(selection),
        risk_of_bias=risk_of_bias_rows(selection),
        drift=rows(pd.DataFrame([asdict(d) for d in selection.drifts], columns=list(DRIFT_COLUMNS)), DRIFT_COLUMNS,
                   sort_by=("secondary_key", "secondary_finding", "primary_key", "aspect")),
        columns={"evidence": evidence_columns},
    )


def certainty_rows(selection) -> list[dict]:
    """Per prediction, in the hypothesis's order, its rating with direction, statement and reasons;
    then the row ``prediction: overall`` (the lowest critical prediction; ``works``: the critical ones)."""
    rating = selection.rating
    out = [{c: plain(v) for c, v in zip(CERTAINTY_COLUMNS, values)}
           for values in rating.to_frame()[list(CERTAINTY_COLUMNS)].itertuples(index=False)]
    overall = {c: None for c in CERTAINTY_COLUMNS} | {
        "hypothesis": rating.hypothesis_id, "prediction": OVERALL, "level": rating.level, "symbols": rating.symbols,
        "statement": overall_rule(rating), "works": LIST_SEPARATOR.join(rating.critical)}
    return out + [overall]


def risk_of_bias_rows(selection) -> list[dict]:
    """Per study of the selection that a tool assesses: one row per domain (its judgement, concern and
    basis), then ``domain: overall`` with the computed judgement; a study without an assessment has only
    the overall row, ``not assessed``. Studies by key."""
    out = []
    for table in rob_tables(selection):
        for row in sorted(table.rows, key=lambda r: _natural(r.key)):
            base = {c: None for c in RISK_OF_BIAS_COLUMNS} | {"key": row.key, "tool": table.tool}
            if not row.assessed:
                out.append(base | {"domain": OVERALL, "judgement": "not assessed", "concern": "not assessed"})
                continue
            out += [base | {"domain": c.domain, "domain_name": c.name, "judgement": c.judgement, "concern": c.concern,
                            "basis_kind": c.basis_kind, "basis": c.basis, "where": c.where, "provenance": c.provenance}
                    for c in row.cells]
            out.append(base | {"domain": OVERALL, "judgement": row.overall, "concern": row.concern})
    return sorted(out, key=lambda r: (_natural(r["key"]), r["domain"] == OVERALL))


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
    """Write every table of :data:`TABLES` as CSV and JSON into *folder* (a staging folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        records = getattr(bundle, table.field)
        (folder / f"{table.stem}.csv").write_bytes(to_csv(records, bundle.columns_of(table)))
        (folder / f"{table.stem}.json").write_bytes(to_json(table.schema, target, records))
