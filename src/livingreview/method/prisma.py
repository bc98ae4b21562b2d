"""The PRISMA 2020 flow diagram, the methods paragraph and the method section of the index,
all made from :class:`~livingreview.method.screening.PrismaCounts` (numbers are counted, never typed)
and, when two reviewers screened, their agreement (:mod:`.screening_decisions`).

:func:`flow_svg` draws identification -> screening -> included with matplotlib: boxes are
patches, arrows are annotations, text stays text (``svg.fonttype: none``) so the numbers in
the SVG can be read back, and the output is byte-identical for the same counts.
"""

from __future__ import annotations

import dataclasses
import io
import textwrap
from collections.abc import Sequence

from markupsafe import Markup
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..figstyle import drawn_with
from ..notes.model import SECONDARY
from ..pages import fragment, trusted
from . import screening, screening_decisions
from .agreement import Kappa
from .screening import PrismaCounts
from .screening_decisions import DualScreening, StageAgreement
from .search import Search, SearchLog

SECTION_TITLE = "How the studies were found"

# -- the flow diagram -------------------------------------------------------------------------

_RC = {"svg.hashsalt": "livingreview-prisma", "svg.fonttype": "none", "font.family": "DejaVu Sans"}
_FONT_PT = 8.5
_LINE_IN = _FONT_PT / 72 * 1.45  # one text line, in inches
_PAD_IN = 0.09
_GAP_IN = 0.32  # vertical space between boxes (room for an arrow)
_WIDTH_IN = 7.0  # readable at page width
_BAND = (0.05, 0.3)  # x and width of the stage bands
_MAIN = (0.5, 3.5)  # x and width of the main column
_SIDE = (4.45, 2.5)  # x and width of the exclusions column
_WRAP = {_MAIN: 56, _SIDE: 38}  # characters per line that fit each column at _FONT_PT
_BAND_COLOUR, _EDGE = "#dbe6f3", "#333333"


@dataclasses.dataclass(frozen=True)
class _Step:
    stage: str
    main: tuple[str, ...]
    side: tuple[str, ...] = ()


def _n(value: int) -> str:
    return f"(n\u00a0=\u00a0{value})"  # no-break spaces: a count is never split across lines


def _steps(counts: PrismaCounts) -> list[_Step]:
    reasons = tuple(f"• {reason} {_n(n)}" for reason, n in counts.excluded_reasons)
    included = [f"Records included in review {_n(counts.included)}", f"• Studies {_n(counts.studies)}",
                f"• Secondary sources {_n(counts.secondary)}"]
    if counts.unclassified:
        included.append(f"• Not yet classified (no note) {_n(counts.unclassified)}")
    return [
        _Step("Identification",
              (f"Records identified {_n(counts.identified_total)}:",
               *(f"• {source.title} {_n(source.records)}" for source in counts.identified)),
              ("Records removed before screening:", f"• Duplicate records {_n(counts.duplicates)}",
               *((f"Records awaiting screening {_n(counts.awaiting)}",) if counts.awaiting else ()))),
        _Step("Screening", (f"Records screened {_n(counts.screened)}",), (f"Records excluded {_n(counts.excluded_screening)}",)),
        _Step("Screening", (f"Reports sought for retrieval {_n(counts.sought)}",),
              (f"Reports not retrieved {_n(counts.not_retrieved)}",)),
        _Step("Screening", (f"Reports assessed for eligibility {_n(counts.assessed)}",),
              (f"Reports excluded {_n(counts.excluded_full_text)}" + (":" if reasons else ""), *reasons)),
        _Step("Included", tuple(included)),
    ]


def _wrap(lines: Sequence[str], column: tuple[float, float]) -> list[str]:
    return [part for line in lines for part in textwrap.wrap(line, _WRAP[column], subsequent_indent="\u00a0" * 3)]


def _box(ax, column: tuple[float, float], top: float, lines: list[str], height: float) -> None:
    x, width = column
    ax.add_patch(Rectangle((x, top - height), width, height, facecolor="white", edgecolor=_EDGE, linewidth=0.8))
    ax.text(x + _PAD_IN, top - _PAD_IN, "\n".join(lines), ha="left", va="top", fontsize=_FONT_PT,
            linespacing=1.3, parse_math=False)


def _arrow(ax, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": _EDGE, "linewidth": 0.8,
                                                       "shrinkA": 0, "shrinkB": 0})


def _band(ax, stage: str, top: float, bottom: float) -> None:
    x, width = _BAND
    ax.add_patch(Rectangle((x, bottom), width, top - bottom, facecolor=_BAND_COLOUR, edgecolor="none"))
    ax.text(x + width / 2, (top + bottom) / 2, stage, rotation=90, ha="center", va="center",
            fontsize=_FONT_PT + 0.5, fontweight="bold", parse_math=False)


def flow_svg(counts: PrismaCounts) -> str:
    """The PRISMA 2020 flow diagram for *counts*, as SVG text (deterministic)."""
    steps = [(step, _wrap(step.main, _MAIN), _wrap(step.side, _SIDE)) for step in _steps(counts)]
    heights = [max(len(main), len(side)) * _LINE_IN + 2 * _PAD_IN for _, main, side in steps]
    total = sum(heights) + _GAP_IN * (len(steps) + 1)
    with drawn_with(_RC):
        fig = Figure(figsize=(_WIDTH_IN, total))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, _WIDTH_IN)
        ax.set_ylim(0, total)
        ax.axis("off")
        top, previous, bands = total - _GAP_IN, None, {}
        for (step, main, side), height in zip(steps, heights):
            _box(ax, _MAIN, top, main, height)
            middle = _MAIN[0] + _MAIN[1] / 2
            if previous is not None:
                _arrow(ax, (middle, previous), (middle, top))
            if side:
                _box(ax, _SIDE, top, side, height)
                _arrow(ax, (_MAIN[0] + _MAIN[1], top - height / 2), (_SIDE[0], top - height / 2))
            first_top, _ = bands.get(step.stage, (top, None))
            bands[step.stage] = (first_top, top - height)
            previous, top = top - height, top - height - _GAP_IN
        for stage, (band_top, band_bottom) in bands.items():
            _band(ax, stage, band_top, band_bottom)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def inline_svg(svg: str) -> str:
    """*svg* without its XML prolog, for embedding in an HTML page."""
    return svg[svg.index("<svg"):]


# -- data and prose ---------------------------------------------------------------------------

def counts_dict(counts: PrismaCounts) -> dict:
    """The counts as JSON-able data for the data bundle (keys sorted; searches in log order)."""
    data = {
        "identified": {"total": counts.identified_total,
                       "by_search": [{"records": s.records, "search": s.search, "title": s.title}
                                     for s in counts.identified]},
        "duplicates_removed": counts.duplicates,
        "screened": counts.screened,
        "excluded_at_screening": counts.excluded_screening,
        "sought_for_retrieval": counts.sought,
        "not_retrieved": counts.not_retrieved,
        "assessed_for_eligibility": counts.assessed,
        "excluded_at_full_text": {"total": counts.excluded_full_text, "by_reason": dict(counts.excluded_reasons)},
        "included": {"total": counts.included, "studies": counts.studies, "secondary_sources": counts.secondary,
                     "unclassified": counts.unclassified, "by_source_type": dict(counts.included_types)},
    }
    return _sorted(data)


def _sorted(value):
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def _plural(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


def _series(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _breakdown(pairs) -> str:
    return "; ".join(f"{kind}: {n}" for kind, n in pairs)


def _kappa(kappa: Kappa) -> str:
    """``κ = 0.55 (95% CI −0.16 to 1.00)``: two decimals, a minus sign for a negative value."""
    if kappa.kappa is None:
        return "κ not defined (every decision was the same)"

    def number(value: float) -> str:
        return f"{value:.2f}".replace("-", "\u2212")

    return f"κ = {number(kappa.kappa)} (95% CI {number(kappa.low)} to {number(kappa.high)})"


def _stage_agreement(stage: StageAgreement) -> str:
    kappa, where = stage.kappa, screening_decisions.STAGE_WORDS[stage.stage]
    if kappa.n == 0:
        return f"{where}: no record was screened by two reviewers"
    records = _plural(kappa.n, "record") if kappa.n == stage.records else f"{kappa.n} of {stage.records} records"
    resolved = f", {_plural(stage.resolved, 'disagreement')} resolved" if stage.resolved else ""
    return f"{where}: {_kappa(kappa)}, {records}, {round(100 * kappa.agreement)}% agreement{resolved}"


def screening_sentence(dual: DualScreening | None) -> str:
    """Who screened, in plain text: one reviewer (*dual* None: no decisions file), or two
    independently, with their agreement at each stage (counted over the records both screened)."""
    if dual is None:
        return "Each record was screened by one reviewer."
    stages = [_stage_agreement(stage) for stage in dual.agreement if stage.records]
    if not stages:
        return "Records are to be screened independently by two reviewers; none has been screened yet."
    return f"Records were screened independently by two reviewers; agreement at {'; at '.join(stages)}."


def methods_paragraph(counts: PrismaCounts, searches: Sequence[Search], dual: DualScreening | None = None) -> str:
    """One paragraph of plain text (escape it when rendering) stating the searches and the
    screening, every number taken from *counts*, every date from *searches* and the reviewers'
    agreement from *dual* (None: one reviewer screened)."""
    dates = {s.id: (f"run {s.date.isoformat()}" if s.date else "date not recorded") for s in searches}
    sources = [f"{source.title} ({_plural(source.records, 'record')}; {dates.get(source.search, 'date not recorded')})"
               for source in counts.identified]
    reasons = f" ({_breakdown(counts.excluded_reasons)})" if counts.excluded_reasons else ""
    studies = [kind_n for kind_n in counts.included_types if kind_n[0] not in SECONDARY | {screening.UNCLASSIFIED}]
    secondary = [kind_n for kind_n in counts.included_types if kind_n[0] in SECONDARY]
    included = [_plural(counts.studies, "study", "studies") + (f" ({_breakdown(studies)})" if studies else ""),
                _plural(counts.secondary, "secondary source") + (f" ({_breakdown(secondary)})" if secondary else "")]
    if counts.unclassified:
        included.append(f"{_plural(counts.unclassified, 'record')} not yet classified (no note)")
    return (
        f"We identified {_plural(counts.identified_total, 'record')} from {_plural(len(counts.identified), 'source of records', 'sources of records')}: "
        f"{_series(sources)}.{_awaiting(counts)} After removing {_plural(counts.duplicates, 'duplicate')}, "
        f"{_plural(counts.screened, 'record')} {_were(counts.screened)} screened by title and abstract and "
        f"{counts.excluded_screening} excluded; {_plural(counts.sought, 'full text')} {_were(counts.sought)} sought, "
        f"{counts.not_retrieved} could not be retrieved, {counts.assessed} {_were(counts.assessed)} assessed for "
        f"eligibility and {counts.excluded_full_text} excluded{reasons}. {screening_sentence(dual)} "
        f"{_plural(counts.included, 'record')} {_were(counts.included)} included: {_series(included)}. "
        "See the flow diagram."
    )


def _awaiting(counts: PrismaCounts) -> str:
    """The records a saved search's latest runs found that are not screened yet (none: nothing said)."""
    if not counts.awaiting:
        return ""
    return f" {_plural(counts.awaiting, 'record')} found by the latest search runs {_were(counts.awaiting)} not yet screened."


# -- the index page's section (templates/pages/prisma-*.html.j2) ------------------------------

_STAGES = {"exclude": "full text", "not-retrieved": "not retrieved", "": "title/abstract"}


def excluded_table_html(rows: Sequence[screening.Row]) -> Markup:
    """The excluded (and unretrieved) records of the screening *rows*, with their stage and reason
    (``prisma-excluded.html.j2``)."""
    shown = [(row.record, row.search, _STAGES[row.full_text], row.exclusion_reason, row.notes)
             for row in screening.excluded(rows)]
    return fragment("prisma-excluded.html.j2", rows=shown)


def searches_table_html(searches: Sequence[Search]) -> Markup:
    """The search log as a table (``prisma-searches.html.j2``)."""
    rows = [(s.title, s.source, s.method, s.date.isoformat() if s.date else "not recorded", s.run_by, s.records)
            for s in searches]
    return fragment("prisma-searches.html.j2", rows=rows)


def index_section(log: SearchLog, counts: screening.PrismaCounts, rows: Sequence[screening.Row],
                  dual: DualScreening | None = None) -> tuple[str, Markup]:
    """``(title, html)`` for the index page: the paragraph, the log, the diagram, the exclusions (all as loaded)."""
    return SECTION_TITLE, fragment("prisma-index.html.j2", paragraph=methods_paragraph(counts, log.searches, dual), note=log.note,
                                   searches=searches_table_html(log.searches),
                                   diagram=trusted(inline_svg(flow_svg(counts))), excluded=excluded_table_html(rows))
