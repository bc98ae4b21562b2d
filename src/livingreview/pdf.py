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


#: what the PDF leaves out (``lr-pdf-omit``), which a long report marks: a row of a long table (the evidence beyond
#: the first rows of each prediction, a provenance list beyond its first), an item of a long list (open questions),
#: or, between ``<!--lr-pdf-omit-->`` and ``<!--/lr-pdf-omit-->``, the tail of a long list of citations. A row or an
#: item holds no row or item of its own and text in it is escaped, so it ends at its first closing tag.
_OMITTED = re.compile(r'<(tr|li)\b[^>]*\bclass="[^"]*\blr-pdf-omit\b[^"]*"[^>]*>.*?</\1>\n?'
                      r'|<!--lr-pdf-omit-->.*?<!--/lr-pdf-omit-->', re.S)
#: a reference of a long list, printed only when the printed page cites it (``lr-pdf-if-cited``)
_IF_CITED = re.compile(r'<li id="([^"]+)" class="[^"]*\blr-pdf-if-cited\b[^"]*">.*?</li>\n?', re.S)
_LINK = re.compile(r'\bhref="#([^"]+)"')
#: the opening tag of a notebook cell on the page (``report/index.html.j2``)
_CELL = re.compile(r'<div class="lr-cell (lr-output|lr-prose)"')
#: the sections too wide for a portrait page, printed on landscape pages (print.css, ``@page wide``); True: with the
#: prose cell just before it when that opens with a heading (the section's own, written in the notebook)
WIDE_SECTIONS = {
    "lr-evidence": True,  # seven columns; the notebook's prose cell before it holds its heading
    "lr-risk-of-bias": False,  # a column per domain of the tool; its heading is its own
}
_SECTION_CELL = re.compile(r'<div class="lr-cell lr-output"[^>]*>\s*<section class="lr-section ([\w-]+)')
_HEADED = re.compile(r'<div class="lr-cell lr-prose"[^>]*>\s*<h2\b')
_ID = re.compile(r'\bid="([^"]+)"')


def _drop_omitted(html: str) -> str:
    return _OMITTED.sub("", html)


def _keep_cited(html: str) -> str:
    """A long reference list keeps the works a link of the printed page points to."""
    if "lr-pdf-if-cited" not in html:
        return html
    linked = set(_LINK.findall(_IF_CITED.sub("", html)))
    return _IF_CITED.sub(lambda m: m.group(0) if m.group(1) in linked else "", html)


def _unlink_missing(html: str) -> str:
    """A link to what the PDF left out becomes its text (WeasyPrint reports every link without an anchor)."""
    ids = set(_ID.findall(html))
    return _LINK.sub(lambda m: m.group(0) if m.group(1) in ids else "", html)


def _wide_pages(html: str) -> str:
    """A wide section's cell (:data:`WIDE_SECTIONS`), and for the evidence the prose cell before it when that opens
    with the section's heading, are marked ``lr-print-wide`` (print.css gives them landscape pages): the columns get
    half as much width again, so the rows are shorter, and the heading stays with its table."""
    starts = [m.start() for m in _CELL.finditer(html)]
    marked = set()
    for i, start in enumerate(starts):
        section = _SECTION_CELL.match(html, start)
        if section and section.group(1) in WIDE_SECTIONS:
            marked.add(start)
            if WIDE_SECTIONS[section.group(1)] and i and _HEADED.match(html, starts[i - 1]):
                marked.add(starts[i - 1])
    for start in sorted(marked, reverse=True):
        at = start + len('<div class="lr-cell')
        html = html[:at] + " lr-print-wide" + html[at:]
    return html


#: the steps from the page a reader opens to the page the PDF prints, in order
PRINTED = (_drop_omitted, _keep_cited, _unlink_missing, _wide_pages)


def pdf_html(html: str) -> str:
    """The page as the PDF prints it: without what a long report marks for the screen only (print.css hides
    the same when a browser prints), so its layout is not paid for, with no link to what it left out, and its
    wide sections on landscape pages."""
    for step in PRINTED:
        html = step(html)
    return html


def render_pdf(html: str) -> bytes:
    """The HTML page printed to an A4 PDF by WeasyPrint (deterministic: no dates in the file)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    _quiet_weasyprint()
    offline = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=pdf_html(html), url_fetcher=offline, base_url=None).write_pdf()
