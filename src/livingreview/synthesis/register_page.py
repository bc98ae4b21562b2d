"""The open-question register as a standalone HTML page (``outputs/open-questions.html``).

Every value comes from user files, so every value is escaped; the page has no scripts and no
external resources, and the same register always gives the same bytes.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from .questions import STATUSES

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; line-height: 1.45; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ccc; padding: .4rem .6rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.status-open { color: #8a4b00; }
.status-being-tested { color: #1f5f99; }
.status-addressed { color: #2b6e2b; }
.merged { color: #666; font-size: .9em; }
""".strip()

_HEADINGS = ("Question", "Hypotheses", "Raised by", "Status", "Status from", "Works")


def _label(status: str) -> str:
    return status.replace("-", " ")


def _summary(frame: pd.DataFrame) -> str:
    counts = frame["status"].value_counts()
    parts = [f"{int(counts.get(s, 0))} {_label(s)}" for s in STATUSES]
    total = len(frame)
    return f"{total} question{'' if total == 1 else 's'}: {', '.join(parts)}."


def _row(row: dict) -> str:
    question = f"<code>{escape(row['question_id'])}</code> {escape(row['text'])}"
    if row["merged"]:
        question += f'<br><span class="merged">also raised as {escape(row["merged"])}</span>'
    status = row["status"]
    cells = [question, escape(row["hypotheses"]), escape(row["raised_by"]),
             f'<span class="status-{escape(status)}">{escape(_label(status))}</span>',
             escape(row["status_by"]), escape(row["links"])]
    return f'<tr id="{escape(row["question_id"])}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def register_html(frame: pd.DataFrame, title: str = "Open questions") -> str:
    """A complete HTML page for the register built by :func:`livingreview.synthesis.questions.register`."""
    rows = [_row(r) for r in frame.to_dict(orient="records")]
    if not rows:
        rows = [f'<tr><td colspan="{len(_HEADINGS)}">No questions have been raised yet.</td></tr>']
    head = "".join(f"<th>{h}</th>" for h in _HEADINGS)
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{_STYLE}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="summary">{escape(_summary(frame))}</p>',
        '<table class="register">',
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
        *rows,
        "</tbody>",
        "</table>",
        "</body>",
        "</html>",
        "",
    ])
