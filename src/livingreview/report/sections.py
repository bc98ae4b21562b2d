"""What notebook cells call: one function per report section, each returning escaped HTML.

Every section is a ``<section>`` (or ``<header>``) with a fixed id, so links into a report
stay valid from build to build. Data come from :mod:`.tables`, :mod:`.plots`,
:mod:`.provenance` and :mod:`.citation`; markup from the templates in ``templates/sections``.

Every section reads what it needs from the selection, its parameters (and so the citation
style) included: a notebook cell is ``report.evidence_table(sel)``.
"""

from __future__ import annotations

from .. import filters
from ..bib.cite import anchor
from ..synthesis.effects import METHOD
from . import citations, plots
from .certainty_view import certainty_view, level_class
from .citation import ReportCitation, citation_key
from .context import config_of, describe_parameters, project_of, variant_of
from .drift_view import discrepancies, drift_rows
from .effects_view import effects_view
from .markup import Section, paused_collector, render, trusted
from .methods_view import methods_view
from .provenance import provenance_of
from .rob_view import rob_tables
from ..vocabulary import status
from .tables import PDF_ROWS, PDF_WHOLE_TABLE, dropped_reasons, evidence_rows, listed, pdf_cut, prediction_status, summary_counts
from .labels import (DESIGNS, DIRECTIONS, KIND, PROVENANCE, PROVENANCE_MEANING, QUESTION_STATUS,
                         QUESTION_STATUS_MEANING, SOURCE_TYPES, STYLES)


def _references(selection):
    """The report's one registry of citations (:mod:`.citations`): in order of first citation in a numeric style."""
    return citations.references(selection)


def _citing(selection) -> dict:
    """Template values for sections that cite: in-text labels, reference anchors, vocabularies."""
    return {
        "labels": citations.labels(selection),
        "anchors": {key: anchor(key) for key in selection.keys},
        "DESIGNS": DESIGNS,
        "DIRECTIONS": DIRECTIONS,
        "KIND": KIND,
        "PROVENANCE": PROVENANCE,
        "PROVENANCE_MEANING": PROVENANCE_MEANING,
        "SOURCE_TYPES": SOURCE_TYPES,
    }


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _variant_name(selection) -> str:
    variant = variant_of(selection.parameters, config_of(selection))
    return variant.title if variant else "Custom parameters"


def title(selection) -> Section:
    """The report's title (the hypothesis), the variant and its parameters, the byline."""
    config = config_of(selection)
    variant = _variant_name(selection)
    return render(
        "title.html.j2",
        text=f"{selection.hypothesis.title} — {variant}",
        hypothesis=selection.hypothesis,
        review_title=config.title,
        variant=variant,
        phrases=describe_parameters(selection),
        authors=config.authors,
        facts=provenance_of(selection, project_of(selection)),
        flagged=_flagged(selection),
    )


def _flagged(selection) -> list[dict]:
    """The banner's rows: each cited work that is retracted, corrected or under an expression of concern."""
    labels = citations.labels(selection)
    return [{"key": key, "label": labels.get(key, key), "notice": notice.describe(), "retracted": notice.retracted}
            for key, notice in selection.flagged.items()]


def hypothesis(selection) -> Section:
    """The claim, the proposed mechanism step by step, the predictions, who proposed it."""
    h = selection.hypothesis
    known = getattr(selection.review, "hypotheses", {})
    related = [known[r].title if r in known else r for r in h.related]
    return render("hypothesis.html.j2", text=f"Hypothesis {h.id}: {h.claim}", h=h, related=related,
                  **_citing(selection))


def summary(selection) -> Section:
    """Counts by direction, design, source type and each facet's status; what the parameters left out."""
    works, findings = len(selection.notes), len(selection.evidence)
    table = selection.review.filters
    return render(
        "summary.html.j2",
        text=f"{works} works, {findings} findings",
        works=works,
        findings=findings,
        counts=summary_counts(selection.notes, selection.evidence, selection.review.vocabulary),
        dropped=selection.dropped,
        reasons=dropped_reasons(selection.dropped, table),
        filtered=bool(filters.in_effect(table, selection.parameters)),
        facets_left_out=_facets_left_out(selection),
        phrases=filters.describe(table, selection.parameters),
        DESIGNS=DESIGNS,
        SOURCE_TYPES=SOURCE_TYPES,
    )


def _facets_left_out(selection) -> list[dict]:
    """For each facet filter that is on: of the works the report left out, how many state criteria
    that do not require the facet and how many state none that shows it
    (``[{"name", "not-required", "unknown"}]``)."""
    vocabulary, notes = selection.review.vocabulary, selection.review.notes
    left = [key for key in selection.considered if key not in selection.notes]
    out = []
    for f in filters.facets_on(selection.review.filters, selection.parameters):
        statuses = [status(vocabulary, f.facet, notes[key]) for key in left]
        out.append({"name": vocabulary.facets[f.facet].name, "not-required": statuses.count("not-required"),
                    "unknown": statuses.count("unknown")})
    return out


def evidence_table(selection, pdf_rows: int = PDF_ROWS) -> Section:
    """One row per finding: study, design, population, criteria and their facets, finding, direction,
    observed/inferred, provenance (quote and locator on demand). The HTML holds every row (searched,
    sorted and shown a page at a time by its script); the PDF too up to
    :data:`~livingreview.report.tables.PDF_WHOLE_TABLE` rows, else the first *pdf_rows* of each
    prediction and a sentence saying how many it leaves out and where they are."""
    with paused_collector():
        rows = evidence_rows(selection.evidence, selection.review.vocabulary)
    return render("evidence.html.j2", text=f"Evidence table: {len(rows)} findings", rows=rows,
                  cut=pdf_cut(rows, pdf_rows), **_citing(selection))


def predictions(selection) -> Section:
    """For each prediction, the findings by direction."""
    rows = prediction_status(selection.hypothesis.predictions, selection.evidence)
    return render("predictions.html.j2", text=f"{len(rows)} predictions", rows=rows, DIRECTIONS=DIRECTIONS)


def open_questions(selection) -> Section:
    """The questions, each with its status in the register (a badge) and linked to the works
    that raise it (or to the hypothesis)."""
    questions = [{**q, "raisers": listed(q["raised_by"])}
                 for q in selection.questions.sort_values("question_id", kind="stable").to_dict(orient="records")]
    still_open = sum(q["status"] == "open" for q in questions)
    text = f"{_counted(len(questions), 'question')}, {still_open} open"
    return render("questions.html.j2", text=text, questions=questions,
                  hypothesis_id=selection.hypothesis.id, STATUS=QUESTION_STATUS, STATUS_MEANING=QUESTION_STATUS_MEANING,
                  **_citing(selection))


def certainty(selection) -> Section:
    """How certain the evidence is: the overall rating and, per prediction, its level, starting
    level, every downgrade with its reason, the works rated and the works set aside (and why).
    A report that keeps only studies whose criteria require a facet also shows how each rating moves
    against all studies."""
    view = certainty_view(selection)
    return render("certainty.html.j2", text=f"Certainty: {view.overall} overall ({view.rules_file})", view=view,
                  predictions=view.predictions, level_class=level_class, **_citing(selection))


def summary_of_findings(selection) -> Section:
    """GRADE's summary of findings: per prediction, the number of primary studies (and their designs)
    and participants, what the evidence shows with its direction, the certainty and the reasons."""
    view = certainty_view(selection)
    return render("summary_of_findings.html.j2", text=f"Summary of findings: {view.overall} overall", view=view,
                  predictions=view.predictions, level_class=level_class, **_citing(selection))


def claim_drift(selection) -> Section:
    """Where secondary sources in this report say something other than the study they report
    (what each side says, the aspect), and the differences their notes record."""
    rows, notes = drift_rows(selection), discrepancies(selection)
    text = f"Claim drift: {_counted(len(rows), 'difference')}, {_counted(len(notes), 'annotated source')}"
    return render("claim_drift.html.j2", text=text, rows=rows, notes=notes, **_citing(selection))


def effects(selection) -> Section:
    """Per prediction: a forest plot of the estimates primary studies state (log axis for ratios), the
    numbers beneath it, and the pooled result (DerSimonian–Laird random effects) or why there is none."""
    citing = _citing(selection)
    blocks = effects_view(selection, citing["labels"])
    svgs = {figure.anchor: trusted(figure.plot.svg) for block in blocks for figure in block.figures}
    drawn = sum(len(block.rows) for block in blocks)
    pooled = sum(block.pooled is not None for block in blocks)
    text = f"Effect estimates: {_counted(drawn, 'estimate')}, {pooled} pooled"
    return render("effects.html.j2", text=text, blocks=blocks, svgs=svgs, method=METHOD, **citing)


def methods(selection) -> Section:
    """How the review's studies were found: the methods paragraph, a link to the PRISMA 2020 flow
    diagram on the index page and a copy of it (or a sentence saying there is no search log)."""
    view = methods_view(selection)
    text = "Methods: no search log" if view.paragraph is None else "Methods: searches and PRISMA 2020 flow diagram"
    return render("methods.html.j2", text=text, view=view, svg=trusted(view.svg or ""))


def plot(selection, name: str) -> Section:
    """A figure (inline SVG) with its caption and the numbers it shows: ``direction_by_design``, ``timeline``,
    ``risk_of_bias`` (traffic lights: studies × domains, one panel per tool) or ``risk_of_bias_summary``
    (the share of studies at each judgement, per domain, unweighted)."""
    anchor = "figure-" + name.replace("_", "-")
    if name not in plots.PLOTS and name not in plots.ROB_PLOTS:
        raise plots.UnknownPlot(f"unknown plot '{name}'; choose one of: {', '.join(sorted(plots.PLOTS | plots.ROB_PLOTS))}")
    if name in plots.ROB_PLOTS:
        tables = rob_tables(selection)
        caption = plots.ROB_PLOTS[name][1]
        if not any(t.assessed for t in tables):
            return render("figure.html.j2", text=caption, figure={"caption": caption}, svg="", empty=True,
                          empty_text="No study in this report has a risk-of-bias assessment to plot.", anchor=anchor)
        figure = plots.draw_rob(tables, _citing(selection)["labels"], name)
        return render("figure.html.j2", text=figure.caption, figure=figure, svg=trusted(figure.svg), empty=False,
                      empty_text="", anchor=anchor)
    figure = plots.draw(selection.primary, name)
    return render(
        "figure.html.j2",
        text=figure.caption,
        figure=figure,
        svg=trusted(figure.svg),
        empty=len(selection.primary) == 0,
        empty_text="No findings of primary studies to plot.",
        anchor=anchor,
    )


def risk_of_bias(selection) -> Section:
    """Per tool, the report's studies of a design it assesses: each domain's judgement with its basis (a
    quote with its locator, or the record a fact was extracted from) and the overall judgement computed by
    the tool's algorithm; a primary study without an assessment is listed as not assessed."""
    tables = rob_tables(selection)
    assessed = sum(len(t.assessed) for t in tables)
    missing = sum(len(t.rows) - len(t.assessed) for t in tables)
    text = f"Risk of bias: {assessed} {'study' if assessed == 1 else 'studies'} assessed, {missing} not assessed"
    return render("risk_of_bias.html.j2", text=text, tables=tables, assessed=assessed, missing=missing,
                  choice_file="reviews/risk-of-bias.yml", **_citing(selection))


def references(selection) -> Section:
    """The CSL-formatted reference list, each entry anchored at ``#ref-<key>``."""
    style = selection.parameters.citation_style
    # Reference.html is escaped by the citation formatter (user text never becomes markup there)
    items = [{"anchor": item.anchor, "html": trusted(item.html)} for item in _references(selection).items]
    return render("references.html.j2", text=f"{len(items)} references ({style})", items=items,
                  style=STYLES.get(style, style))


def provenance(selection) -> Section:
    """Commit, dirty flag, build date, parameters, input hashes, package versions. A list of more than
    :data:`~livingreview.report.tables.PDF_WHOLE_TABLE` inputs prints its first rows and says where the rest are."""
    facts = provenance_of(selection, project_of(selection))
    return render("provenance.html.j2", text=f"Built {facts.build_date} from {facts.short_commit}", facts=facts,
                  print_rows=PDF_ROWS, print_whole=PDF_WHOLE_TABLE)


def report_citation(selection) -> ReportCitation:
    """The citation of this report (its variant and parameters, commit and build date)."""
    config = config_of(selection)
    variant = variant_of(selection.parameters, config)
    facts = provenance_of(selection, project_of(selection))
    h = selection.hypothesis
    variant_title = (variant.title if variant else
                     "custom parameters (" + "; ".join(describe_parameters(selection)) + ")")
    source = f"from commit {facts.short_commit}" if facts.commit else "outside a git checkout"
    state = " with uncommitted changes" if facts.dirty else ""
    url = config.citation.get("url")
    year = facts.build_date[:4] if facts.build_date[:4].isdigit() else "n.d."
    return ReportCitation(
        key=citation_key("livingreview", h.id, variant.name if variant else "custom", year),
        title=f"{h.title}: {variant_title}",
        authors=tuple(config.authors),
        year=year,
        note=f"In: {config.title}. Built {facts.build_date} {source}{state}",
        url=url if isinstance(url, str) else None,
    )


def how_to_cite(selection) -> Section:
    """How to cite this report, in words and as BibTeX (escaped)."""
    citation = report_citation(selection)
    return render("cite.html.j2", text=citation.text(), citation=citation)
