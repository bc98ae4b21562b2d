"""The WeasyPrint adapter: a report's HTML printed to an A4 PDF, deterministically and offline.

Kept apart from the HTML renderer so that a process that only prints (:mod:`livingreview.build.printing`)
imports WeasyPrint and nothing of nbconvert.
"""

from __future__ import annotations

import logging
import re


class _IgnoredCss(logging.Filter):
    """Drops WeasyPrint's notes on CSS it does not apply in print: screen-only rules (media
    features, sticky, overflow, a browser-prefixed selector) and the presentation styles of the
    inline SVG figures. Any other warning passes."""

    NOTES = ("Ignored `", "Expected a media type", "Invalid media type", "Invalid or unsupported selector")

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno == logging.WARNING and str(record.msg).startswith(self.NOTES))


def _quiet_weasyprint() -> None:
    logger = logging.getLogger("weasyprint")
    if not any(isinstance(f, _IgnoredCss) for f in logger.filters):
        logger.addFilter(_IgnoredCss())


#: a row of a table that the PDF leaves out (``lr-pdf-omit``): a long evidence table marks the rows beyond the
#: first of each prediction, a long provenance list those beyond its first; a row's cells hold no table of their
#: own, and text in them is escaped, so a row ends at its first ``</tr>``
_PDF_OMITTED = re.compile(r'<tr\b[^>]*\bclass="[^"]*\blr-pdf-omit\b[^"]*"[^>]*>.*?</tr>\n?', re.S)


def pdf_html(html: str) -> str:
    """The page as the PDF prints it: without the rows marked for the screen only (print.css hides the same
    rows when a browser prints), so their layout is not paid for."""
    return _PDF_OMITTED.sub("", html)


def render_pdf(html: str) -> bytes:
    """The HTML page printed to an A4 PDF by WeasyPrint (deterministic: no dates in the file)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    _quiet_weasyprint()
    offline = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=pdf_html(html), url_fetcher=offline, base_url=None).write_pdf()
