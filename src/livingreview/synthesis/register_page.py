"""The open-question register as a standalone HTML page (``outputs/open-questions.html``).

Every value comes from user files, so every value is escaped (the page is the template
``templates/pages/register.html.j2``); the page has no scripts and no external resources, and the
same register always gives the same bytes.
"""

from __future__ import annotations

import pandas as pd

from ..pages import page, stylesheet
from .questions import STATUSES


def _label(status: str) -> str:
    return status.replace("-", " ")


def _summary(frame: pd.DataFrame) -> str:
    counts = frame["status"].value_counts()
    parts = [f"{int(counts.get(s, 0))} {_label(s)}" for s in STATUSES]
    total = len(frame)
    return f"{total} question{'' if total == 1 else 's'}: {', '.join(parts)}."


def register_html(frame: pd.DataFrame, title: str = "Open questions") -> str:
    """A complete HTML page for the register built by :func:`livingreview.synthesis.questions.register`."""
    rows = [{**row, "status_label": _label(row["status"])} for row in frame.to_dict(orient="records")]
    return page("register.html.j2", title=title, summary=_summary(frame), rows=rows, css=stylesheet("register"))
