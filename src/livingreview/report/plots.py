"""The report's figures, drawn with matplotlib's object API and returned as inline SVG text.

Deterministic by construction: a fixed ``svg.hashsalt`` per figure (so ids are stable and
differ between figures on one page), every id prefixed with the figure's name, no date in the metadata, text
kept as text in DejaVu Sans (``svg.fonttype: none``) so it stays searchable and scales.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter, NullLocator

from ..errors import LivingReviewError
from .tables import blank
from .vocabulary import DESIGNS, DIRECTIONS, label, ordered

#: Okabe–Ito colours (distinguishable with colour-vision deficiency); the CSS badges use the same
COLOURS = {"supports": "#0072B2", "contradicts": "#D55E00", "mixed": "#E69F00", "neutral": "#8C8C8C"}

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "none",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "axes.titlesize": 10,
    "legend.frameon": False,
}


class UnknownPlot(LivingReviewError, ValueError):
    """A plot name the report does not know."""


@dataclass(frozen=True)
class Plot:
    name: str
    caption: str
    svg: str
    data: pd.DataFrame  # the counts drawn, for the table shown beside the figure


def crosstab(evidence: pd.DataFrame, by: str, order: list) -> pd.DataFrame:
    """Findings counted by *by* (rows: the values in *order*, others left out) and direction
    (columns, display order)."""
    table = pd.DataFrame(0, index=pd.Index(order, name=by), columns=list(DIRECTIONS), dtype=int)
    for value, direction in zip(evidence[by], evidence["direction"]):
        if not blank(value) and value in table.index and direction in table.columns:
            table.loc[value, direction] += 1
    return table


def _stacked(ax, table: pd.DataFrame, positions, *, horizontal: bool) -> None:
    base = [0] * len(table)
    for direction in table.columns:
        values = table[direction].tolist()
        if not any(values):
            continue
        bar = ax.barh if horizontal else ax.bar
        offset = {"left": base} if horizontal else {"bottom": base}
        bar(positions, values, 0.6, color=COLOURS[direction], label=direction, **offset)
        base = [b + v for b, v in zip(base, values)]


def _finish(fig: Figure, ax, *, count_axis: str) -> None:
    getattr(ax, f"{count_axis}axis").set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis=count_axis, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside upper center", ncols=len(labels), title="Direction of finding",
                   title_fontsize=8, fontsize=8)


def direction_by_design(evidence: pd.DataFrame) -> tuple[Figure, pd.DataFrame]:
    designs = ordered(DESIGNS, (d for d in evidence["design"] if not blank(d)))
    table = crosstab(evidence, "design", designs)
    fig = Figure(figsize=(6.4, 1.6 + 0.42 * max(len(designs), 1)), layout="constrained")
    ax = fig.add_subplot()
    positions = list(range(len(designs)))
    _stacked(ax, table, positions, horizontal=True)
    ax.set_yticks(positions, [label(DESIGNS, d) for d in designs])
    ax.invert_yaxis()
    ax.set_xlabel("Number of findings")
    _finish(fig, ax, count_axis="x")
    table.index = [label(DESIGNS, d) for d in designs]
    return fig, table


def timeline(evidence: pd.DataFrame) -> tuple[Figure, pd.DataFrame]:
    years = sorted({int(y) for y in evidence["year"] if not blank(y)})
    table = crosstab(evidence, "year", years)
    fig = Figure(figsize=(6.4, 2.9), layout="constrained")
    ax = fig.add_subplot()
    _stacked(ax, table, years, horizontal=False)
    if years:
        ax.set_xticks(years, [str(y) for y in years])
        ax.set_xlim(years[0] - 1, years[-1] + 1)
    ax.set_xlabel("Year of publication")
    ax.set_ylabel("Number of findings")
    _finish(fig, ax, count_axis="y")
    table.index = [str(y) for y in years]
    return fig, table


PLOTS: dict[str, tuple[Callable[[pd.DataFrame], tuple[Figure, pd.DataFrame]], str]] = {
    "direction_by_design": (direction_by_design, "Findings of primary studies by study design and direction"),
    "timeline": (timeline, "Findings of primary studies by year of publication and direction"),
}


_ID = re.compile(r'(\bid="|url\(#|href="#)([A-Za-z0-9_.:-]+)')


def prefix_ids(svg: str, prefix: str) -> str:
    """Give every id in *svg* (and every reference to one) *prefix*, so two figures on one
    page never share an id (matplotlib numbers groups ``axes_1``, ``patch_2``... per figure)."""
    return _ID.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)


def svg_text(fig: Figure, name: str) -> str:
    """The figure as SVG markup for inlining in HTML (no XML prolog, no date, stable unique ids)."""
    anchor = "plot-" + name.replace("_", "-")
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": f"livingreview:{name}", "svg.id": "svg"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches=None)
    svg = buffer.getvalue()
    return prefix_ids(svg[svg.index("<svg"):].strip(), anchor)


def draw(evidence: pd.DataFrame, name: str) -> Plot:
    """Draw plot *name* (one of :data:`PLOTS`) for *evidence*."""
    if name not in PLOTS:
        raise UnknownPlot(f"unknown plot '{name}'; choose one of: {', '.join(sorted(PLOTS))}")
    function, caption = PLOTS[name]
    with matplotlib.rc_context(_RC):
        fig, table = function(evidence)
        svg = svg_text(fig, name)
    return Plot(name=name, caption=caption, svg=svg, data=table)


#: the colours of a forest plot: estimates, the pooled diamond, the line of no effect
FOREST_COLOURS = {"estimate": "#0072B2", "pooled": "#D55E00", "null": "#555555"}


@dataclass(frozen=True)
class ForestRow:
    """One line of a forest plot: a label, a point and (when stated) its interval."""

    label: str
    value: float
    ci_low: float | None = None
    ci_high: float | None = None
    pooled: bool = False


def forest(rows: list[ForestRow], *, name: str, measure: str, null: float, ratio: bool, caption: str,
           xlabel: str) -> Plot:
    """A forest plot (inline SVG) of *rows*, top to bottom: a square and a line per estimate, a diamond
    for a pooled row, a dashed vertical line at *null*; a log x-axis for ratio measures."""
    with matplotlib.rc_context({**_RC, "text.parse_math": False}):  # a $ in a label is text, not mathematics
        fig = Figure(figsize=(6.4, 1.1 + 0.34 * len(rows)), layout="constrained")
        ax = fig.add_subplot()
        for y, row in enumerate(rows):
            if row.pooled:
                low, high = row.ci_low, row.ci_high
                ax.fill([low, row.value, high, row.value], [y, y - 0.28, y, y + 0.28],
                        color=FOREST_COLOURS["pooled"], linewidth=0)
                continue
            if row.ci_low is not None:
                ax.plot([row.ci_low, row.ci_high], [y, y], color=FOREST_COLOURS["estimate"], linewidth=1.4,
                        solid_capstyle="butt")
            ax.plot([row.value], [y], marker="s", markersize=6, color=FOREST_COLOURS["estimate"], linestyle="none")
        ax.axvline(null, color=FOREST_COLOURS["null"], linewidth=0.9, linestyle=(0, (4, 3)))
        ax.set_yticks(range(len(rows)), [row.label for row in rows])
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        limits = [v for row in rows for v in (row.value, row.ci_low, row.ci_high) if v is not None] + [null]
        low, high = min(limits), max(limits)
        if ratio:
            ax.set_xscale("log")
            pad = (high / low) ** 0.08 if high > low else 1.5
            ax.set_xlim(low / pad, high * pad)
            ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.xaxis.set_minor_locator(NullLocator())
            ax.xaxis.set_minor_formatter(NullFormatter())
        else:
            pad = (high - low) * 0.08 or 0.5
            ax.set_xlim(low - pad, high + pad)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_xlabel(xlabel)
        svg = svg_text(fig, name)
    data = pd.DataFrame([{"value": r.value, "ci_low": r.ci_low, "ci_high": r.ci_high} for r in rows],
                        index=[r.label for r in rows])
    return Plot(name=name, caption=caption, svg=svg, data=data)
