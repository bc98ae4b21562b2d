"""An executed report notebook -> one self-contained HTML page -> an A4 PDF.

HTML: nbconvert's :class:`~nbconvert.HTMLExporter` with the ``report`` template (code
and prompts hidden, CSS inlined, a table of contents from the headings, no network assets).
Citations in the Markdown prose (``[@key]``, :mod:`livingreview.bib.prose`) are replaced, before the
Markdown is converted, by the in-text citations the report's registry made
(:func:`livingreview.report.citations.prose_citations`, the same registry the kernel's reference list
and tables read): in place once the Markdown is converted (in a heading, as plain text).
PDF: :mod:`livingreview.pdf` prints the same HTML with the print stylesheet, less the evidence rows it
leaves out (:func:`livingreview.pdf.pdf_html`: the first rows of each prediction are printed, the page
says where the rest are); it may fetch nothing but ``data:`` URLs, so printing never reaches the network.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

from .. import __version__
from ..bib import prose
from ..errors import LivingReviewError
from ..pages import TEMPLATES, script, stylesheet
from .toc import headings, toc_html

#: the report page: nbconvert's template ``templates/report``
TEMPLATE = "report"
_TOC_MARKER = "<!--livingreview:toc-->"


class RenderError(LivingReviewError):
    """The notebook could not be rendered (a bug in a template or an unreadable notebook)."""


#: cells with this tag are left out of the rendered report (e.g. notes on using the notebook); the loader
#: leaves them out of what a reader meets (``livingreview.notebooks.REMOVE_TAG``, which rendering may not import)
REMOVE_TAG = "remove-cell"

_TAG = re.compile(r"<[^>]*>")
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")


class CitationPreprocessor(Preprocessor):
    """Marks the place of each citation of a Markdown cell's prose (*citations*: the citation as written
    -> its in-text HTML) with a token that Markdown leaves as it is; :func:`render_html` puts the HTML
    there once the Markdown is converted (nbconvert's Markdown renderer rebuilds inline HTML tag by tag,
    which would empty the citation's link). In a heading, whose text also makes its id, the citation is
    its plain text. A citation the registry did not make is a :class:`RenderError`."""

    def __init__(self, citations: Mapping[str, str], **kwargs):
        super().__init__(**kwargs)
        self.citations = citations
        self.placed: dict[str, str] = {}

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            source = cell.source
            cell.source = prose.substitute(source, lambda citation: self._place(citation, source, cell.get("id")))
        return cell, resources

    def _place(self, citation: prose.Citation, source: str, cell_id) -> str:
        if citation.source not in self.citations:
            raise RenderError(f"the cell with id {cell_id} cites {citation.source}, which the report's citations do not hold "
                              "(the notebook is not the one the review was loaded with)")
        markup = self.citations[citation.source]
        line = source[source.rfind("\n", 0, citation.start) + 1:citation.start]
        if _HEADING.match(line):
            return _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.unescape(_TAG.sub("", markup)))
        token = "LRCITATION" + str(len(self.placed)) + "Z"
        self.placed[token] = markup
        return token


class ReportExporter(HTMLExporter):
    """nbconvert's HTML exporter less its last pass, which parses the finished page with BeautifulSoup to
    give ``<img>`` elements without alt text a placeholder and JupyterLab's cell wrappers a ``tabindex``:
    the report template writes neither (figures are inline SVG with a title; no cell wrappers), and on
    the report of a 6,100-work review that pass took 35 of the 41 seconds rendering took. The rest is
    :meth:`HTMLExporter.from_notebook_node` as it is (the filters it registers, then the template)."""

    def from_notebook_node(self, nb, resources=None, **kw):
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        self.register_filter("highlight_code", self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                                                       resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


def _exporter(citing: CitationPreprocessor) -> HTMLExporter:
    exporter = ReportExporter(
        template_name=TEMPLATE,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        anchor_link_text="¶",
    )
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={REMOVE_TAG}), enabled=True)
    exporter.register_preprocessor(citing, enabled=True)
    return exporter


def render_html(executed_nb: nbformat.NotebookNode, *, title: str, citations: Mapping[str, str] | None = None) -> str:
    """The executed notebook as one self-contained HTML page titled *title* (code hidden); *citations*:
    the in-text HTML of each citation its prose makes (:func:`livingreview.report.citations.prose_citations`)."""
    resources = {
        "livingreview": {"title": title, "css": stylesheet("report"), "script": script("report"), "version": __version__, "toc_marker": _TOC_MARKER},
    }
    try:
        citing = CitationPreprocessor(citations or {})
        body, _ = _exporter(citing).from_notebook_node(executed_nb, resources=resources)
        for token, markup in citing.placed.items():
            body = body.replace(token, markup, 1)
    except RenderError:
        raise
    except Exception as exc:  # nbconvert raises many types; name the failure, keep the cause
        raise RenderError(f"could not render the notebook to HTML: {exc}") from exc
    main = body[body.index('<main class="lr-main"'):]
    return body.replace(_TOC_MARKER, toc_html(headings(main)), 1)
