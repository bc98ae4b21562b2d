"""The WeasyPrint adapter: a report's HTML printed to an A4 PDF, deterministically and offline.

Kept apart from the HTML renderer so that a process that only prints (:mod:`livingreview.build.printing`)
imports WeasyPrint and nothing of nbconvert.
"""

from __future__ import annotations

import logging


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


def render_pdf(html: str) -> bytes:
    """The HTML page printed to an A4 PDF by WeasyPrint (deterministic: no dates in the file)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    _quiet_weasyprint()
    offline = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=offline, base_url=None).write_pdf()
