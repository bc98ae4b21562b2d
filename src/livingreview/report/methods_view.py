"""What the methods section shows: the methods paragraph and the PRISMA 2020 flow diagram, made
by :mod:`livingreview.method.prisma` from the search log and the screening record (no markup here).

A review without a search log (``reviews/search.yml``) has nothing to show, and says so; so does one whose
two reviewers' disagreements are not all resolved (its numbers are not counted yet).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..method import prisma, search
from .plots import prefix_ids

#: the flow diagram on the review's index page, from a report: the build publishes the index at
#: ``outputs/index.html`` and each report at ``outputs/<hypothesis>/<variant>/report.html``
INDEX_PRISMA = "../../index.html#prisma"


@dataclass(frozen=True)
class MethodsView:
    search_log: str  # the log's project-relative path, as the section names it
    paragraph: str | None  # plain text (the template escapes it); None when there is nothing to show
    note: str  # the log's note to the reader ("" when it has none)
    svg: str | None  # the flow diagram, inline SVG with ids prefixed "prisma-"
    problem: str | None  # why there is nothing to show: missing, invalid or unresolved (screening conflicts)
    index_link: str = INDEX_PRISMA
    conflicts: int = 0  # the screening conflicts no resolution settles yet


def _empty(problem: str, conflicts: int = 0) -> MethodsView:
    return MethodsView(search.SEARCH_LOG.as_posix(), None, "", None, problem, conflicts=conflicts)


def methods_view(selection) -> MethodsView:
    """The paragraph and the diagram for the selection's review (counted over the whole review:
    the searches found the review's works, not one report's), from the loaded review."""
    review = selection.review
    log, counts, dual = review.search_log, review.flow_counts, review.dual_screening
    if log is None:
        return _empty("missing")
    if counts is None and dual is not None and dual.conflicts:
        return _empty("unresolved", conflicts=len(dual.conflicts))
    if counts is None:
        return _empty("invalid")
    svg = prefix_ids(prisma.inline_svg(prisma.flow_svg(counts)).strip(), "prisma")
    return MethodsView(search.SEARCH_LOG.as_posix(), prisma.methods_paragraph(counts, log.searches, dual), log.note, svg,
                       None)
