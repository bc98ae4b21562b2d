"""The risk-of-bias section's rows, from a Selection (no markup here): per tool, the selection's works
of a design that tool assesses, each with its domain judgements and their basis and the computed
overall judgement, or "not assessed" for a primary study without a ``risk_of_bias`` block.

The assessments themselves are :attr:`livingreview.review.Review.risk_of_bias` (computed at load);
this module only arranges them, with the note's locator or record under each basis.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..synthesis.risk_of_bias import unassessed
from ..synthesis.rob_tools import TOOLS
from .tables import _year


@dataclass(frozen=True)
class Cell:
    domain: str
    name: str
    judgement: str
    concern: str
    basis_kind: str  # "quote" | "extracted" | "none"
    basis: str | None
    where: str | None  # the quote's locator, or the record a fact was extracted from
    given: bool  # False: the domain is missing from the block (counted as no information)
    provenance: str | None  # a quote's verification status
    note: str | None


@dataclass(frozen=True)
class Row:
    key: str
    year: str
    assessed: bool
    cells: tuple[Cell, ...] = ()
    overall: str | None = None
    concern: str | None = None


@dataclass(frozen=True)
class ToolRows:
    tool: str
    name: str
    source: str
    domains: tuple[tuple[str, str], ...]  # (id, name)
    rows: list[Row] = field(default_factory=list)

    @property
    def assessed(self) -> list[Row]:
        return [r for r in self.rows if r.assessed]


def rob_tables(selection) -> list[ToolRows]:
    """One :class:`ToolRows` per tool that assesses a work of the selection, in the table order of
    :data:`~livingreview.synthesis.rob_tools.TOOLS`; rows by year of publication, then key."""
    review = selection.review
    choice, assessments = review.rob_tools, review.risk_of_bias
    by_tool: dict[str, list[Row]] = {}
    for key in sorted(selection.notes, key=lambda k: (_year(_entry_year(review, k)), k)):
        note = selection.notes[key]
        tool = choice.tool_for(note.design)
        if tool is None:
            continue
        assessment = assessments.get(key)
        year = str(_entry_year(review, key) or "")
        if assessment is None:
            if unassessed(note, choice):
                by_tool.setdefault(tool.id, []).append(Row(key, year, assessed=False))
            continue
        block = note.risk_of_bias.domains
        cells = []
        for d in assessment.domains:
            entry = block.get(d.domain)
            status = review.quote_status.get((key, f"risk_of_bias.{d.domain}"))
            where = None if entry is None else entry.locator if d.basis_kind == "quote" else entry.extracted_from
            cells.append(Cell(d.domain, d.name, d.judgement, d.concern, d.basis_kind, d.basis, where,
                              given=entry is not None, provenance=status.status if status else None,
                              note=entry.note if entry is not None else None))
        by_tool.setdefault(tool.id, []).append(Row(key, year, True, tuple(cells), assessment.overall, assessment.concern))
    return [ToolRows(t.id, t.name, t.source, tuple((d.id, d.name) for d in t.domains), by_tool[t.id])
            for t in TOOLS.values() if t.id in by_tool]


def _entry_year(review, key):
    return getattr(review.bibliography.get(key), "year", None)
