"""How to cite a report: a one-line reference and a BibTeX entry for the report itself.

BibTeX field values are LaTeX-encoded with pylatexenc (so ``&``, ``%``, ``{``... cannot break
the entry); the HTML that shows the entry escapes it again, as it does all text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pylatexenc.latexencode import unicode_to_latex


@dataclass(frozen=True)
class ReportCitation:
    key: str
    title: str
    authors: tuple[str, ...]
    year: str
    note: str
    url: str | None = None

    def text(self) -> str:
        """The reference in words, e.g. for pasting into a reference list."""
        who = "; ".join(self.authors) or "Anonymous"
        where = f" {self.url}" if self.url else ""
        return f"{who} ({self.year}). {self.title}. Living review report. {self.note}.{where}"

    def bibtex(self) -> str:
        fields = [
            ("title", _latex(self.title)),
            ("author", " and ".join(_latex(a) for a in self.authors)),
            ("year", self.year),
            ("howpublished", "Living review report"),
            ("note", _latex(self.note)),
        ]
        if self.url:
            fields.append(("url", self.url.replace("}", "%7D").replace("{", "%7B")))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        return f"@misc{{{self.key},\n{body}\n}}\n"


def _latex(value: str) -> str:
    return unicode_to_latex(value, non_ascii_only=False, unknown_char_policy="keep")


def citation_key(*parts: str) -> str:
    """A BibTeX-safe key from *parts*: letters, digits and hyphens, joined by ':'."""
    return ":".join(re.sub(r"[^A-Za-z0-9-]+", "-", p).strip("-") for p in parts if p)
