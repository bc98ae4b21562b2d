"""The numbers and rows behind the report sections, computed from a Selection (no markup here).

Everything is sorted in a fixed order so the same selection always gives the same rows.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

import pandas as pd

from .. import filters
from ..pages import PRINT_LIMITS
from ..vocabulary import Vocabulary, status
from .labels import DESIGNS, DIRECTIONS, SOURCE_TYPES, ordered


def blank(value) -> bool:
    """True for None, NaN and pandas' missing values (DataFrame cells can hold any of them)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def listed(value) -> list[str]:
    """A DataFrame cell that may hold a list, a '; '-joined string or nothing, as a list of strings."""
    if blank(value):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, Iterable):
        return [str(v) for v in value if not blank(v)]
    return [str(value)]


def dropped_reasons(dropped: Mapping, table: tuple[filters.Filter, ...]) -> list[dict]:
    """``[{"reason", "works", "findings"}]`` for each filter that left works out (a work can fail
    several), in the order and words of the review's filters (*table*, :func:`livingreview.filters.of`)."""
    out = []
    reasons = filters.drop_reasons(table)
    by = dropped.get("by") or {}
    for name in ordered(reasons, by):
        value = by[name]
        works, findings = value if isinstance(value, (tuple, list)) else (value, None)
        if works:
            out.append({"reason": reasons.get(name, name), "works": int(works),
                        "findings": None if findings is None else int(findings)})
    return out


def text(value, default: str = "") -> str:
    return default if blank(value) else str(value)


def _finding_number(finding_id) -> int:
    match = re.fullmatch(r"f(\d+)", text(finding_id))
    return int(match.group(1)) if match else 0


def _year(value) -> int:
    return 10_000 if blank(value) else int(value)


def evidence_records(evidence: pd.DataFrame) -> list[dict]:
    """One dict per finding, ordered by year, citation key and finding number."""
    rows = evidence.to_dict(orient="records")
    return sorted(rows, key=lambda r: (_year(r.get("year")), str(r.get("key")), _finding_number(r.get("finding_id"))))


def population(patients, controls) -> str:
    """'18 patients, 41 controls' — the sample as the note states it; unknown stays unknown."""
    def part(value, noun: str) -> str:
        if blank(value) or value == "unknown":
            return f"{noun}: not stated"
        if value == "none" or value == 0:
            return f"no {noun}"
        count = int(value)
        return f"{count} {noun[:-1] if count == 1 else noun}"

    return f"{part(patients, 'patients')}, {part(controls, 'controls')}"


def count_table(values: Iterable[str], order: Mapping[str, str]) -> list[tuple[str, int]]:
    """``[(value, count)]`` in the vocabulary's display order; values absent from the data are left out."""
    counts = Counter(str(v) for v in values)
    return [(value, counts[value]) for value in ordered(order, counts)]


def summary_counts(notes: Mapping[str, object], evidence: pd.DataFrame, vocabulary: Vocabulary | None) -> dict:
    """Findings of primary studies by direction (every direction, zeros included), the context
    findings and works counted apart; works by design, source type and each facet's status
    (``facets``: ``[{"id", "short", "labels", "counts"}]`` in the vocabulary's order)."""
    works = [notes[key] for key in sorted(notes)]
    primary = _primary(evidence)
    context = evidence[~evidence.index.isin(primary.index)] if len(evidence) else evidence
    return {
        "direction": list(direction_counts(primary).items()),
        "context_findings": len(context),
        "context_works": int(context["key"].nunique()) if len(context) else 0,
        "design": count_table((n.design for n in works), DESIGNS),
        "source_type": count_table((n.source_type for n in works), SOURCE_TYPES),
        "facets": [{"id": fid, "short": facet.short, "labels": facet.labels(),
                    "counts": count_table((status(vocabulary, fid, n) for n in works), facet.labels())}
                   for fid, facet in (vocabulary.facets.items() if vocabulary else ())],
    }


def _primary(evidence: pd.DataFrame) -> pd.DataFrame:
    """The rows of primary studies with results of their own (``role`` evidence)."""
    if "role" not in evidence.columns:
        return evidence
    return evidence[evidence["role"] == "evidence"]


def direction_counts(evidence: pd.DataFrame) -> dict[str, int]:
    """``{direction: number of findings}`` for every direction (zeros included), in display order."""
    counts = Counter(evidence["direction"]) if len(evidence) else Counter()
    return {d: int(counts.get(d, 0)) for d in DIRECTIONS}


def prediction_status(predictions, evidence: pd.DataFrame) -> list[dict]:
    """Per prediction: its id, statement, the findings of primary studies by direction and their
    total, and the findings of context sources (counted apart, never in the total).

    Findings tied to no prediction (or to one the hypothesis does not list) come last, as
    ``id=None``, only when there are any.
    """
    known = [p.id for p in predictions]
    tied = evidence["prediction"].map(lambda v: v if text(v) in known else None) if len(evidence) else pd.Series(dtype=object)
    primary = _primary(evidence).index
    rows = []

    def row(ident, statement, subset):
        counts = direction_counts(subset[subset.index.isin(primary)])
        return {"id": ident, "statement": statement, "counts": counts, "total": sum(counts.values()),
                "context": int((~subset.index.isin(primary)).sum())}

    for prediction in predictions:
        rows.append(row(prediction.id, prediction.statement, evidence[tied == prediction.id] if len(evidence) else evidence))
    untied = evidence[tied.isna()] if len(evidence) else evidence
    if len(untied):
        rows.append(row(None, "Findings not tied to a listed prediction", untied))
    return rows


def _flag(value) -> bool:
    return False if blank(value) else bool(value)


def _paraphrased(value) -> dict | None:
    """``'<key>#<finding>'`` as ``{"key", "finding_id", "anchor"}`` (the primary finding a source reports)."""
    if blank(value) or "#" not in str(value):
        return None
    key, finding_id = str(value).split("#", 1)
    return {"key": key, "finding_id": finding_id, "anchor": finding_anchor(key, finding_id)}


def finding_anchor(key, finding_id) -> str:
    return f"finding-{key}-{finding_id}"


def facet_badges(record: dict, vocabulary: Vocabulary | None) -> list[dict]:
    """A finding's work's status for each facet: ``[{"status", "label", "basis"}]`` in the vocabulary's order."""
    out = []
    for fid, facet in (vocabulary.facets.items() if vocabulary else ()):
        value = text(record.get(fid), "unknown")
        out.append({"status": value, "label": facet.labels().get(value, value),
                    "basis": text(record.get(f"{fid}_basis")) or None})
    return out


def evidence_view(record: dict, vocabulary: Vocabulary | None = None) -> dict:
    """A finding as the evidence table shows it: blanks resolved, lists split, the sample in words."""
    return {
        "key": text(record.get("key")),
        "finding_id": text(record.get("finding_id")),
        "anchor": finding_anchor(text(record.get("key")), text(record.get("finding_id"))),
        "year": text(record.get("year")),
        "source_type": text(record.get("source_type")),
        "secondary": _flag(record.get("secondary")),
        "design": text(record.get("design")),
        "conditions": listed(record.get("conditions")),
        "population": population(record.get("patients"), record.get("controls")),
        "criteria": listed(record.get("criteria")),
        "facets": facet_badges(record, vocabulary),
        "statement": text(record.get("statement")),
        "prediction": text(record.get("prediction")) or None,
        "direction": text(record.get("direction")),
        "kind": text(record.get("kind")),
        "provenance": text(record.get("provenance"), "unverified"),
        "quote": text(record.get("quote")) or None,
        "locator": text(record.get("locator")) or None,
        "extracted_from": text(record.get("extracted_from")) or None,
        "paraphrases": _paraphrased(record.get("paraphrases")),
    }


def evidence_rows(evidence: pd.DataFrame, vocabulary: Vocabulary | None = None) -> list[dict]:
    """The evidence table's rows, in :func:`evidence_records` order. A paraphrased finding is
    marked ``shown`` when its own row is in the same table (so the link to it can be followed)."""
    rows = [evidence_view(r, vocabulary) for r in evidence_records(evidence)]
    anchors = {row["anchor"] for row in rows}
    for row in rows:
        if row["paraphrases"]:
            row["paraphrases"]["shown"] = row["paraphrases"]["anchor"] in anchors
    return rows


#: findings of each prediction a long evidence table prints, in the table's order (the HTML shows all)
PDF_ROWS = PRINT_LIMITS["rows"]["shown"]
#: an evidence table of at most this many rows prints whole (a few pages)
PDF_WHOLE_TABLE = PRINT_LIMITS["rows"]["whole"]


def pdf_cut(rows: list[dict], limit: int = PDF_ROWS, whole: int = PDF_WHOLE_TABLE) -> dict:
    """Marks each of the evidence table's *rows* ``pdf``: all True when there are at most *whole* rows;
    else True for the first *limit* rows of its prediction (findings tied to none count as one more),
    False for the rest, which the PDF leaves out. Returns what the PDF says about it: ``{"limit", "total", "shown", "left_out", "predictions":
    [{"id", "shown", "total"}]}``, predictions by id (findings tied to none last, as ``id=None``)."""
    seen: Counter = Counter()
    limit = max(limit, len(rows)) if len(rows) <= whole else limit
    for row in rows:
        seen[row["prediction"]] += 1
        row["pdf"] = seen[row["prediction"]] <= limit
    shown = sum(min(n, limit) for n in seen.values())
    predictions = [{"id": ident, "shown": min(seen[ident], limit), "total": seen[ident]}
                   for ident in sorted(seen, key=lambda p: (p is None, p or ""))]
    return {"limit": limit, "total": len(rows), "shown": shown, "left_out": len(rows) - shown,
            "predictions": predictions}
