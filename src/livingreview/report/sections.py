"""What notebook cells call: one function per report section, each returning escaped HTML.

Every section is a ``<section>`` (or ``<header>``) with a fixed id, so links into a report
stay valid from build to build. Data come from :mod:`.tables`, :mod:`.plots`,
:mod:`.provenance` and :mod:`.citation`; markup from the templates in ``templates/sections``.
"""

from __future__ import annotations

from . import plots
from .citation import ReportCitation, citation_key
from .context import describe_parameters, is_filtered, project_of, variant_of
from .markup import Section, render, trusted
from .provenance import provenance_of
from .tables import evidence_rows, prediction_status, summary_counts
from .vocabulary import DESIGNS, DIRECTIONS, KIND, PEM, PROVENANCE, PROVENANCE_MEANING, SOURCE_TYPES, STYLES


def _style(selection, style: str | None) -> str:
    return style or dict(selection.parameters).get("citation_style") or "apa"


def _format_references(selection, style: str):
    from ..bib.cite import format_references

    return format_references(selection.review.bibliography, list(selection.keys), style)


def _labels(selection, style: str | None = None) -> dict[str, str]:
    """In-text citation label of every cited key (the key itself if the formatter has none)."""
    refs = _format_references(selection, _style(selection, style))
    known = {item.key: item.label for item in refs.items}
    return {key: known.get(key, key) for key in selection.keys}


def _common(selection) -> dict:
    """Template values every section may use: vocabularies and citation labels."""
    return {
        "labels": _labels(selection),
        "DESIGNS": DESIGNS,
        "DIRECTIONS": DIRECTIONS,
        "KIND": KIND,
        "PEM": PEM,
        "PROVENANCE": PROVENANCE,
        "PROVENANCE_MEANING": PROVENANCE_MEANING,
        "SOURCE_TYPES": SOURCE_TYPES,
    }


def _variant_line(selection) -> tuple[str, list[str]]:
    project = project_of(selection)
    variant = variant_of(selection, project.config)
    name = f"{variant.title}" if variant else "Custom parameters"
    return name, describe_parameters(dict(selection.parameters))


def title(selection) -> Section:
    """The report's title (the hypothesis), the variant and its parameters, the byline."""
    project = project_of(selection)
    variant, phrases = _variant_line(selection)
    facts = provenance_of(selection, project)
    return render(
        "title.html.j2",
        text=f"{selection.hypothesis.title} — {variant}",
        hypothesis=selection.hypothesis,
        review_title=project.config.title,
        variant=variant,
        phrases=phrases,
        authors=project.config.authors,
        facts=facts,
    )


def hypothesis(selection) -> Section:
    """The claim, the proposed mechanism step by step, the predictions, who proposed it."""
    h = selection.hypothesis
    return render("hypothesis.html.j2", text=f"Hypothesis {h.id}: {h.claim}", h=h, **_common(selection))


def summary(selection) -> Section:
    """Counts by direction, design, source type and PEM status; what the variant left out."""
    parameters = dict(selection.parameters)
    counts = summary_counts(selection.notes, selection.evidence)
    works, findings = len(selection.notes), len(selection.evidence)
    return render(
        "summary.html.j2",
        text=f"{works} works, {findings} findings",
        works=works,
        findings=findings,
        counts=counts,
        dropped=selection.dropped,
        filtered=is_filtered(parameters),
        phrases=describe_parameters(parameters),
        **_common(selection),
    )


def evidence_table(selection) -> Section:
    """One row per finding: study, design, population, criteria/PEM, finding, direction,
    observed/inferred, provenance (quote and locator on demand)."""
    rows = evidence_rows(selection.evidence)
    return render("evidence.html.j2", text=f"Evidence table: {len(rows)} findings", rows=rows, **_common(selection))


def predictions(selection) -> Section:
    """For each prediction, the findings by direction."""
    rows = prediction_status(selection.hypothesis.predictions, selection.evidence)
    return render("predictions.html.j2", text=f"{len(rows)} predictions", rows=rows, **_common(selection))


def open_questions(selection) -> Section:
    """The open questions, each linked to the works that raise it."""
    questions = selection.questions.sort_values("question_id", kind="stable").to_dict(orient="records")
    return render("questions.html.j2", text=f"{len(questions)} open questions", questions=questions, **_common(selection))


def plot(selection, name: str) -> Section:
    """A figure (inline SVG) with its caption and the counts it shows: ``direction_by_design`` or ``timeline``."""
    figure = plots.draw(selection.evidence, name)
    return render(
        "figure.html.j2",
        text=figure.caption,
        figure=figure,
        svg=trusted(figure.svg),
        empty=len(selection.evidence) == 0,
        anchor="figure-" + name.replace("_", "-"),
    )


def references(selection, style: str | None = None) -> Section:
    """The CSL-formatted reference list, each entry anchored at ``#ref-<key>``."""
    chosen = _style(selection, style)
    refs = _format_references(selection, chosen)
    items = [{"key": item.key, "html": trusted(item.html)} for item in refs.items]
    return render("references.html.j2", text=f"{len(items)} references ({chosen})", items=items, style=STYLES.get(chosen, chosen))


def provenance(selection) -> Section:
    """Commit, dirty flag, build date, parameters, input hashes, package versions."""
    facts = provenance_of(selection, project_of(selection))
    return render("provenance.html.j2", text=f"Built {facts.build_date} from {facts.short_commit}", facts=facts)


def report_citation(selection) -> ReportCitation:
    """The citation of this report (its variant and parameters, commit and build date)."""
    project = project_of(selection)
    config = project.config
    variant = variant_of(selection, config)
    facts = provenance_of(selection, project)
    h = selection.hypothesis
    variant_title = variant.title if variant else "custom parameters: " + "; ".join(describe_parameters(facts.parameters))
    source = f"from commit {facts.short_commit}" if facts.commit else "outside a git checkout"
    state = " with uncommitted changes" if facts.dirty else ""
    url = config.citation.get("url") if isinstance(config.citation.get("url"), str) else None
    year = facts.build_date[:4] if facts.build_date[:4].isdigit() else "n.d."
    return ReportCitation(
        key=citation_key("livingreview", h.id, variant.name if variant else "custom", year),
        title=f"{h.title}: {variant_title}",
        authors=tuple(config.authors),
        year=year,
        note=f"In: {config.title}. Built {facts.build_date} {source}{state}",
        url=url,
    )


def how_to_cite(selection) -> Section:
    """How to cite this report, in words and as BibTeX (escaped)."""
    citation = report_citation(selection)
    return render("cite.html.j2", text=citation.text(), citation=citation)
