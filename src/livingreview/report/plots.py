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
from ..figstyle import drawn_with
from .tables import blank
from .labels import DESIGNS, DIRECTIONS, label, ordered

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
    with drawn_with(_RC):
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
    with drawn_with({**_RC, "text.parse_math": False}):  # a $ in a label is text, not mathematics
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


# -- risk of bias (robvis-style) -----------------------------------------------------------------

#: each judgement's symbol and colour: the symbol carries the meaning in greyscale, the colours are
#: Okabe–Ito (distinguishable with colour-vision deficiency); judgements of one concern look alike
JUDGEMENT_STYLE: dict[str, tuple[str, str, str]] = {  # judgement -> (symbol, colour, symbol colour)
    "low": ("+", "#009E73", "#000000"),
    "some concerns": ("−", "#E69F00", "#000000"),
    "moderate": ("−", "#E69F00", "#000000"),
    "high": ("×", "#D55E00", "#000000"),
    "serious": ("×", "#D55E00", "#000000"),
    "critical": ("!", "#000000", "#FFFFFF"),
    "very high": ("!", "#000000", "#FFFFFF"),
    "no information": ("?", "#56B4E9", "#000000"),
}
OVERALL = "Overall"


def _style(judgement: str) -> tuple[str, str, str]:
    return JUDGEMENT_STYLE.get(judgement, ("?", "#8C8C8C", "#000000"))


def _judgement_legend(fig: Figure, judgements: list[str]) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], linestyle="none", marker="o", markersize=11, markerfacecolor=_style(j)[1],
                      markeredgecolor="#555555", label=f"{_style(j)[0]}  {j}") for j in judgements]
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 5), fontsize=8,
               title="Judgement (symbol and colour)", title_fontsize=8)


def _used(tables, with_overall: bool = True) -> list[str]:
    """The judgements the figure shows, in the order of the tools' scales."""
    from ..synthesis.rob_tools import TOOLS

    present = {c.judgement for t in tables for r in t.assessed for c in r.cells}
    if with_overall:
        present |= {r.overall for t in tables for r in t.assessed}
    return [j for j in _scale_order(TOOLS.values()) if j in present]


def _scale_order(tools) -> list[str]:
    """The judgements of *tools*, least concern first as each tool orders them, "no information" last."""
    order = list(dict.fromkeys(j for tool in tools for j in tool.scale if j != "no information"))
    return order + ["no information"]


def traffic_light(tables, labels) -> tuple[Figure, pd.DataFrame]:
    """Studies × domains, one panel per tool: each judgement a coloured disc with its symbol."""
    panels = [t for t in tables if t.assessed]
    heights = [len(t.assessed) + 1.2 for t in panels]
    fig = Figure(figsize=(6.4, 1.3 + 0.38 * sum(heights)), layout="constrained")
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=heights)[:, 0]
    domain_order: list[str] = []
    records = []
    for ax, table in zip(axes, panels):
        columns = [d for d, _ in table.domains] + [OVERALL]
        domain_order += [d for d in columns[:-1] if d not in domain_order]
        cells = [(x, y, judgement) for y, row in enumerate(table.assessed)
                 for x, judgement in enumerate([c.judgement for c in row.cells] + [row.overall])]
        # the discs of a panel are one collection: a scatter per disc took twice as long to draw
        ax.scatter([x for x, _, _ in cells], [y for _, y, _ in cells], s=260, c=[_style(j)[1] for *_, j in cells],
                   edgecolors="#555555", linewidths=0.6, zorder=2)
        for x, y, judgement in cells:
            symbol, _, ink = _style(judgement)
            ax.text(x, y, symbol, ha="center", va="center_baseline", color=ink, fontsize=10, fontweight="bold",
                    zorder=3)
        for row in table.assessed:
            record = {"Study": labels.get(row.key, row.key), "Tool": table.tool}
            record |= {c.domain: c.judgement for c in row.cells}
            records.append({**record, OVERALL: row.overall})
        ax.set_xlim(-0.6, len(columns) - 0.4)
        ax.set_ylim(len(table.assessed) - 0.4, -0.6)
        ax.set_xticks(range(len(columns)), columns)
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(table.assessed)), [_short(labels.get(r.key, r.key), 32) for r in table.assessed])
        ax.axvline(len(columns) - 1.5, color="#bbbbbb", linewidth=0.6)
        ax.set_title(_tool_label(table.name), loc="left", fontsize=9)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(length=0)
    _judgement_legend(fig, _used(panels))
    frame = pd.DataFrame(records, columns=["Study", "Tool", *domain_order, OVERALL]).fillna("")
    return fig, frame.set_index("Study")


def rob_summary(tables) -> tuple[Figure, pd.DataFrame]:
    """Per tool, per domain (and overall): the share of assessed studies at each judgement. Not weighted:
    each study counts once. The segments follow the tool's scale (least concern first); the numbers
    beneath are the counts."""
    panels = [t for t in tables if t.assessed]
    heights = [len(t.domains) + 2.2 for t in panels]
    fig = Figure(figsize=(6.4, 1.3 + 0.3 * sum(heights)), layout="constrained")
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=heights)[:, 0]
    from ..synthesis.rob_tools import TOOLS

    counts_rows = {}
    for ax, table in zip(axes, panels):
        tool = TOOLS[table.tool]
        names = [f"{d} {name}" for d, name in table.domains] + [OVERALL]
        values = [[c.judgement for c in row.cells] for row in table.assessed]
        columns = [[v[i] for v in values] for i in range(len(table.domains))] + [[r.overall for r in table.assessed]]
        n = len(table.assessed)
        left = [0.0] * len(columns)
        for judgement in tool.scale:
            shares = [100 * col.count(judgement) / n for col in columns]
            if any(shares):
                ax.barh(range(len(columns)), shares, 0.7, left=left, color=_style(judgement)[1], edgecolor="#555555",
                        linewidth=0.4, label=judgement)
            left = [a + b for a, b in zip(left, shares)]
        for i, name in enumerate(names):
            counts_rows[f"{table.tool} {name.split(' ')[0] if name != OVERALL else OVERALL}"] = {
                j: columns[i].count(j) for j in tool.scale}
        ax.set_yticks(range(len(columns)), [_short(name) for name in names])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel(f"Share of studies (%), {n} assessed, unweighted")
        ax.set_title(_tool_label(table.name), loc="left", fontsize=9)
    _judgement_legend(fig, _used(panels))
    judgements = _scale_order(TOOLS[t.tool] for t in panels)
    frame = pd.DataFrame.from_dict(counts_rows, orient="index", columns=judgements).fillna(0).astype(int)
    return fig, frame


def _tool_label(name: str) -> str:
    """A tool's name as a panel title: the part before its colon ("RoB 2", "ROBINS-I")."""
    return name.split(":", 1)[0]


def _short(name: str, width: int = 40) -> str:
    return name if len(name) <= width else name[:width - 1].rstrip() + "…"


ROB_PLOTS: dict[str, tuple[Callable, str]] = {
    "risk_of_bias": (traffic_light, "Risk of bias by study and domain (traffic-light plot)"),
    "risk_of_bias_summary": (rob_summary, "Share of assessed studies at each risk-of-bias judgement, by domain "
                                          "(unweighted: each study counts once)"),
}


def draw_rob(tables, labels, name: str) -> Plot:
    """Draw risk-of-bias plot *name* (one of :data:`ROB_PLOTS`) for the rows of :func:`..rob_view.rob_tables`."""
    function, caption = ROB_PLOTS[name]
    with drawn_with(_RC):
        fig, table = function(tables, labels) if name == "risk_of_bias" else function(tables)
        svg = svg_text(fig, name)
    return Plot(name=name, caption=caption, svg=svg, data=table)
