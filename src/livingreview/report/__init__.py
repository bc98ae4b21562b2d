"""What report notebooks call: one function per section, each returning escaped HTML.

A notebook cell is one or two calls::

    from livingreview import report
    report.title(sel)
    report.evidence_table(sel)
    report.plot(sel, "timeline")

Rendering an executed notebook to HTML and PDF is :mod:`livingreview.report.render`.
"""

from .plots import UnknownPlot
from .sections import (
    certainty,
    claim_drift,
    effects,
    evidence_table,
    how_to_cite,
    hypothesis,
    methods,
    open_questions,
    plot,
    predictions,
    provenance,
    references,
    report_citation,
    risk_of_bias,
    summary,
    summary_of_findings,
    title,
)

__all__ = [
    "UnknownPlot",
    "certainty",
    "claim_drift",
    "effects",
    "evidence_table",
    "how_to_cite",
    "hypothesis",
    "methods",
    "open_questions",
    "plot",
    "predictions",
    "provenance",
    "references",
    "report_citation",
    "risk_of_bias",
    "summary",
    "summary_of_findings",
    "title",
]
