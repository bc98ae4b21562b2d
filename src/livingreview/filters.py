"""What can leave a work out of a report: one table, one row per filter.

A row names the filter (its key in ``Selection.dropped["by"]``), the report parameters it reads,
whether a work passes it, and its words: why it left works out (the summary's "2 works with ...")
and how the report describes it (the title's "all conditions · only studies whose criteria require
X · ...").

The table of a review is :func:`of` its vocabulary: the condition filter, one filter per facet the
vocabulary declares (keeping only studies whose criteria require it), and the years. A filter is
active when any of its fields differs from the field's default, and off when they are all at their
defaults; so "the same selection without the facet filters" is :func:`facets_off`. Selecting,
counting what was left out, describing the parameters and telling a filtered report from an
unfiltered one all read this table; a new kind of filter is one row here and its field(s) in
:func:`~livingreview.project.parameters_model` (and, as for every parameter, in each notebook's
``parameters`` cell).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .notes.model import Note
from .project import ReportParameters
from .vocabulary import Vocabulary, status


@dataclass(frozen=True)
class Filter:
    """One filter of a report's works."""

    #: its key in ``Selection.dropped["by"]``
    name: str
    #: the ``ReportParameters`` fields it reads
    fields: tuple[str, ...]
    #: whether a work (its note and its year in the bibliography, None when unknown) passes it
    keeps: Callable[[Note, int | None, ReportParameters], bool]
    #: why it left works out, in words after "2 works (3 findings) with"
    drops: str
    #: the report's words for it when it is active
    phrase: Callable[[ReportParameters], str]
    #: the report's words for it when it is off
    unfiltered: str
    #: the facet of the vocabulary it keeps required (None: not a facet's filter)
    facet: str | None = None

    def active(self, parameters: ReportParameters) -> bool:
        """True when any of its fields differs from the field's default."""
        defaults = type(parameters).model_fields
        return any(getattr(parameters, name) != defaults[name].default for name in self.fields)

    def off(self, parameters: ReportParameters) -> ReportParameters:
        """*parameters* with this filter's fields at their defaults (every other parameter kept)."""
        defaults = type(parameters).model_fields
        return parameters.model_copy(update={name: defaults[name].default for name in self.fields})

    def describe(self, parameters: ReportParameters) -> str:
        return self.phrase(parameters) if self.active(parameters) else self.unfiltered


def _years(p: ReportParameters) -> str:
    if p.year_to is None:
        return f"published {p.year_from} or later"
    if p.year_from is None:
        return f"published {p.year_to} or earlier"
    return f"published {p.year_from}–{p.year_to}"


def _in_years(year: int | None, p: ReportParameters) -> bool:
    """An unknown year fails any year bound."""
    return year is not None and (p.year_from is None or year >= p.year_from) and (p.year_to is None or year <= p.year_to)


CONDITIONS = Filter(
    name="conditions",
    fields=("conditions",),
    keeps=lambda note, year, p: p.conditions in note.population.conditions,
    drops="populations that do not include the chosen condition",
    phrase=lambda p: f"{p.conditions} only",
    unfiltered="all conditions",
)
YEARS = Filter(
    name="years",
    fields=("year_from", "year_to"),
    keeps=lambda note, year, p: _in_years(year, p),
    drops="a publication year outside the chosen years (or none recorded)",
    phrase=_years,
    unfiltered="all years",
)

def facet_filter(vocabulary: Vocabulary, facet: str) -> Filter:
    """The filter that keeps only the studies whose criteria require *facet* (its parameter true)."""
    short = vocabulary.facets[facet].short
    return Filter(
        name=facet,
        fields=(vocabulary.parameter(facet),),
        keeps=lambda note, year, p: status(vocabulary, facet, note) == "required",
        drops=f"diagnostic criteria not shown to require {short} (criteria that do not require it, or not stated)",
        phrase=lambda p: f"only studies whose criteria require {short}",
        unfiltered="any diagnostic criteria",
        facet=facet,
    )


def of(vocabulary: Vocabulary | None) -> tuple[Filter, ...]:
    """Every filter of a review with *vocabulary*, in the order the report names them."""
    facets = vocabulary.facets if vocabulary is not None else {}
    return (CONDITIONS, *(facet_filter(vocabulary, f) for f in facets), YEARS)


def failed(table: tuple[Filter, ...], note: Note, year: int | None, parameters: ReportParameters) -> list[str]:
    """The names of the filters of *table* that are active and leave *note* (published in *year*) out."""
    return [f.name for f in table if f.active(parameters) and not f.keeps(note, year, parameters)]


def in_effect(table: tuple[Filter, ...], parameters: ReportParameters) -> list[Filter]:
    """The filters *parameters* turn on (none: the report holds every work on its hypothesis)."""
    return [f for f in table if f.active(parameters)]


def facets_on(table: tuple[Filter, ...], parameters: ReportParameters) -> list[Filter]:
    """The facet filters *parameters* turn on."""
    return [f for f in in_effect(table, parameters) if f.facet is not None]


def facets_off(table: tuple[Filter, ...], parameters: ReportParameters) -> ReportParameters:
    """*parameters* with every facet filter off (every other parameter kept)."""
    for f in table:
        if f.facet is not None:
            parameters = f.off(parameters)
    return parameters


def describe(table: tuple[Filter, ...], parameters: ReportParameters) -> list[str]:
    """The filters in words, one phrase each, in table order (a phrase said twice is said once)."""
    return list(dict.fromkeys(f.describe(parameters) for f in table))


def drop_reasons(table: tuple[Filter, ...]) -> dict[str, str]:
    """``{name: why it left works out}``, in table order."""
    return {f.name: f.drops for f in table}
