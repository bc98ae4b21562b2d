"""``outputs/index.html``: every report (HTML, PDF, data), a cross-hypothesis overview, the changelog.

Self-contained (the report stylesheet inlined, no scripts, no network) and escaped: the page and
its tables are templates of ``templates/pages`` (:mod:`livingreview.pages`), which escape every
value. Sections are ``(title, html)`` pairs whose HTML the producing module rendered from its own
template; a page joins the index by adding its producer to :data:`EXTRA_SECTIONS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from markupsafe import Markup

from ..notes.model import Direction
from .bundle import TABLES
from ..pages import fragment, page, stylesheet
from ..project import BuildConfig

#: an index section: its title and its HTML (markup rendered by :mod:`livingreview.pages`; a plain
#: string is text and is escaped)
Section = tuple[str, Markup]

DIRECTIONS: tuple[str, ...] = Direction.__args__  # supports, contradicts, mixed, neutral
#: the links of a report, in order: (file, label)
LINKS = (("report.html", "HTML"), ("report.pdf", "PDF"),
         *((f"{t.stem}.{ext}", t.stem.replace("-", " ")) for ext in ("csv", "json") for t in TABLES))


class SectionSkipped(Exception):
    """A producer has nothing to show; its message says why (the build prints it)."""


def _prisma(review) -> Section:
    from ..method.prisma import index_section
    from ..method.search import SEARCH_LOG

    from ..method.screening_decisions import FILE

    if review.search_log is not None and review.flow_counts is None and review.dual_screening is not None:
        raise SectionSkipped(f"{FILE}: {len(review.dual_screening.conflicts)} screening conflict(s) unresolved, so "
                             "nothing is counted (`livingreview screening conflicts` lists them)")
    if review.search_log is None or review.flow_counts is None:
        raise SectionSkipped(f"{SEARCH_LOG.as_posix()}: the review keeps no search log and screening record")
    return index_section(review.search_log, review.flow_counts, review.screening_rows, review.dual_screening)


def _summary_of_findings(review) -> Section:
    """One row per hypothesis: its overall certainty (the lowest critical prediction), what that
    prediction's evidence shows, and the primary studies behind the rating, for the overview variant."""
    from ..project import parameters_for

    config = review.config
    if config is None:
        raise SectionSkipped("reviews/build.yml: no build matrix")
    variant = next(v for v in config.variants if v.name == overview_variant(config))
    rows = []
    for hid in (sorted(review.hypotheses) if config.hypotheses == "all" else config.hypotheses):
        selection = review.select(parameters_for(config, hid, variant, review.parameter_model))
        rows.append(sof_row(selection.hypothesis, selection.rating, review.rules))
    return "Summary of findings", fragment("index-sof.html.j2", variant=variant.name, rows=rows)


def sof_row(hypothesis, rating, rules) -> dict:
    """The index's summary-of-findings row of one hypothesis (its rating under *rules*)."""
    critical = [p for p in rating.predictions if p.prediction_id in rating.critical]
    rated = [p for p in critical if p.has_evidence]
    lowest = max(rated, key=lambda p: rules.rank(p.level)) if rated else None
    studies = sorted({key for p in rating.predictions for key in p.works})
    return {"id": hypothesis.id, "title": hypothesis.title, "level": rating.level, "symbols": rating.symbols,
            "critical": list(rating.critical), "marked": rating.marked, "without": rating.without_evidence,
            "statement": lowest.statement if lowest else None, "studies": len(studies)}


#: producers of the sections shown after the overview, in order (each a function of the loaded review)
EXTRA_SECTIONS: tuple[Callable[..., Section], ...] = (_summary_of_findings, _prisma)


def extra_sections(review) -> tuple[list[Section], list[str]]:
    """The sections of :data:`EXTRA_SECTIONS` for the loaded *review*, and a note for each one skipped."""
    sections, skipped = [], []
    for produce in EXTRA_SECTIONS:
        try:
            sections.append(produce(review))
        except SectionSkipped as exc:
            skipped.append(f"index section skipped: {exc}")
    return sections, skipped


def overview_variant(config: BuildConfig) -> str:
    """The variant the overview counts: 'all' when the matrix has it, else the first."""
    names = [v.name for v in config.variants]
    return "all" if "all" in names else names[0]


def _links(name: str, files: dict[str, str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """``[(group, [(href, label)])]`` of the files of report *name* that exist, in :data:`LINKS` order:
    the report (HTML, PDF), then its data as CSV and as JSON."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for file, label in LINKS:
        if f"{name}/{file}" in files:
            group = "" if file.startswith("report.") else file.rsplit(".", 1)[1].upper()
            groups.setdefault(group, []).append((f"{name}/{file}", label))
    return list(groups.items())


def reports_table(config: BuildConfig, hypotheses: dict[str, str], files: dict[str, str]) -> Markup:
    rows = [{"title": title, "cells": [_links(f"{hypothesis}/{v.name}", files) for v in config.variants]}
            for hypothesis, title in hypotheses.items()]
    return fragment("index-reports.html.j2", variants=config.variants, rows=rows)


def _overview_row(title: str, summary: dict | None) -> dict:
    if summary is None:
        return {"title": title, "counts": None}
    return {"title": title, "counts": [(d, summary["directions"].get(d, 0)) for d in DIRECTIONS],
            "findings": summary["findings"], "context": summary.get("context", 0), "works": summary["works"]}


def overview_table(variant: str, hypotheses: dict[str, str], reports: dict[str, dict]) -> Markup:
    rows = [_overview_row(title, reports.get(f"{hypothesis}/{variant}", {}).get("summary"))
            for hypothesis, title in hypotheses.items()]
    return fragment("index-overview.html.j2", variant=variant, directions=DIRECTIONS, rows=rows)


def _anchors(titles: list[str]) -> list[str]:
    """A unique, readable id per section title ("How the studies were found" -> how-the-studies-were-found)."""
    out: list[str] = []
    for title in titles:
        base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"
        anchor, n = base, 2
        while anchor in out:
            anchor, n = f"{base}-{n}", n + 1
        out.append(anchor)
    return out


def render_index(*, config: BuildConfig, build_date: str, hypotheses: dict[str, str], manifest: dict,
                 sections: Sequence[Section]) -> str:
    """The index page. *hypotheses*: ``{id: title}`` in display order; *sections* follow the overview."""
    variant = overview_variant(config)
    body = [
        ("Reports", reports_table(config, hypotheses, manifest["files"])),
        ("Overview", overview_table(variant, hypotheses, manifest["reports"])),
        *sections,
    ]
    anchors = _anchors([title for title, _ in body])
    parts = [{"anchor": anchor, "text": title, "html": html} for anchor, (title, html) in zip(anchors, body)]
    return page("index.html.j2", title=config.title, authors=config.authors, build_date=build_date, sections=parts,
                css=stylesheet("report"))
