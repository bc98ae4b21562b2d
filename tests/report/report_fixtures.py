"""The report tests' review: the shared fictional tiny project (tests/conftest.py) plus what the
report must show — a second variant, a secondary source reporting a primary finding, markup
characters in user text — loaded through the real ``livingreview.load`` and ``select``.

Every work is invented ("Journal of Examples"); no real study is described.
"""

from __future__ import annotations

import re

import nbformat
from IPython.core.formatters import DisplayFormatter

from livingreview import report
from livingreview.report.markup import Section

BUILD_YML = """\
title: An example living review
authors: [Jane Doe, Richard Roe]
defaults:
  citation_style: apa
variants:
  - name: all
    title: All studies
  - name: pem-required
    title: Only studies requiring PEM
    parameters:
      pem_required_only: true
"""

BLOG_BIB = """
@misc{exampleblog2021,
  author = {{Example Health Blog}},
  title = {What the example study means},
  year = {2021},
}
"""

BLOG_NOTE = """\
key: exampleblog2021
source_type: blog
design: summary
population:
  conditions: [ME/CFS]
criteria: [not stated]
source_text: blog.txt
reports: [doe2020]
quick_summary: An invented blog post about Doe 2020.
why_it_matters: It shows how the example study was reported.
does_not_prove: A blog's account of a small study does not show that the marker causes fatigue.
findings:
  - id: f1
    statement: The blog says the marker doubled.
    hypothesis: example-fatigue
    prediction: EX1
    direction: supports
    kind: inferred
    quote: the marker doubled
    locator: paragraph 1
    paraphrases: doe2020#f1
    stated:
      n: 30
      numbers: [doubled]
discrepancies:
  - 'The blog says the marker "doubled"; the study gives <b>no</b> figure.'
"""

BLOG_TEXT = "An invented blog post.\n\nIt says the marker doubled in patients.\n"

HYPOTHESIS_ID = "example-fatigue"

#: an invented search log and screening record covering the three works (see :func:`add_search_log`)
SEARCH_YML = """\
note: Searches were run & logged <i>by hand</i>.
exclusion_reasons:
  - not about fatigue
searches:
  - id: register
    source: bibliographic records
    title: Search of the Example Register
    method: fatigue AND example
    date: 2021-03-01
    run_by: Jane Doe
    records: 3
  - id: blogs
    source: websites
    title: Example blogs
    method: Reading example blogs.
    date: null
    run_by: Jane Doe
    records: 2
"""

SCREENING_CSV = """\
record,search,duplicate_of,title_abstract,full_text,exclusion_reason,notes
doe2020,register,,include,include,,
roe2018,register,,include,include,,
koe2019,register,,include,exclude,not about fatigue,an invented abstract
exampleblog2021,blogs,,include,include,,
doe2020,blogs,doe2020,,,,found again
"""


def add_search_log(tiny) -> None:
    """Give the project a search log and screening record (the methods section needs them)."""
    tiny.write("reviews/search.yml", SEARCH_YML)
    tiny.write("reviews/screening.csv", SCREENING_CSV)


def extend(tiny) -> None:
    """Turn the shared tiny project into the report tests' review (see the module docstring)."""
    tiny.write("reviews/build.yml", BUILD_YML)
    tiny.write("bib/references.bib", (tiny.root / "bib" / "references.bib").read_text() + BLOG_BIB)
    tiny.write("reviews/notes/exampleblog2021.yml", BLOG_NOTE)
    (tiny.sources / "blog.txt").write_text(BLOG_TEXT, encoding="utf-8")
    tiny.edit("reviews/notes/doe2020.yml", "statement: More marker in patients.",
              "statement: 'More marker in patients <script>alert(1)</script> & controls.'")


def html(section: Section) -> str:
    """A section's HTML as a notebook displays it."""
    assert isinstance(section, Section)
    return section._repr_html_()


def words(markup: str) -> str:
    """The text of *markup* with tags removed and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def row(markup: str, anchor: str) -> str:
    """The table row with id *anchor*, up to its end."""
    start = markup.index(f'id="{anchor}"')
    return markup[start:markup.index("</tr>", start)]


def executed_notebook(sel, *, setup_code: str = "import livingreview") -> nbformat.NotebookNode:
    """A tiny report notebook whose code cells already carry the outputs the report functions give."""
    formatter = DisplayFormatter()

    def code(cell_id, source, obj):
        data, _ = formatter.format(obj)
        cell = nbformat.v4.new_code_cell(source, id=cell_id)
        cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
        return cell

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "livingreview", "display_name": "Python 3 (livingreview)", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell(setup_code, id="setup"),
        code("title", "report.title(sel)", report.title(sel)),
        nbformat.v4.new_markdown_cell("## The hypothesis", id="hypothesis-intro"),
        code("hypothesis", "report.hypothesis(sel)", report.hypothesis(sel)),
        code("methods", "report.methods(sel)", report.methods(sel)),
        code("summary", "report.summary(sel)", report.summary(sel)),
        nbformat.v4.new_markdown_cell("## The evidence\n\nOne row per finding.", id="evidence-intro"),
        code("evidence", "report.evidence_table(sel)", report.evidence_table(sel)),
        code("claim-drift", "report.claim_drift(sel)", report.claim_drift(sel)),
        code("predictions", "report.predictions(sel)", report.predictions(sel)),
        code("certainty", "report.certainty(sel)", report.certainty(sel)),
        nbformat.v4.new_markdown_cell("## Figures", id="figures-intro"),
        code("plot-design", "report.plot(sel, 'direction_by_design')", report.plot(sel, "direction_by_design")),
        code("plot-timeline", "report.plot(sel, 'timeline')", report.plot(sel, "timeline")),
        code("questions", "report.open_questions(sel)", report.open_questions(sel)),
        nbformat.v4.new_markdown_cell("## References", id="references-intro"),
        code("references", "report.references(sel)", report.references(sel)),
        code("provenance", "report.provenance(sel)", report.provenance(sel)),
        code("cite", "report.how_to_cite(sel)", report.how_to_cite(sel)),
    ]
    return nb


#: a third invented work: a trial of the example drug with an estimate for EX2 (see :func:`add_effects`)
POE_BIB = """
@article{poe2022,
  author = {Poe, Paula},
  title = {An invented trial of the example drug},
  journal = {Journal of Examples},
  year = {2022},
}
"""

POE_NOTE = """\
key: poe2022
source_type: primary
design: rct
population:
  conditions: [ME/CFS]
  patients: 30
  controls: none
criteria: [CCC]
quick_summary: An invented trial.
why_it_matters: A second invented estimate for EX2.
findings:
  - id: f1
    statement: Fatigue scores fell a little on the example drug.
    hypothesis: example-fatigue
    prediction: EX2
    direction: supports
    kind: observed
    extracted_from: Poe 2022, Journal of Examples, table 2
    estimate:
      measure: mean difference
      value: -2.0
      ci: [-4.0, 0.0]
      p: '0.05'
      n: {total: 30}
      outcome: fatigue score (invented scale)
"""

#: invented estimates, inserted after a finding's provenance line in each note (see :func:`add_effects`)
ESTIMATES = {
    "reviews/notes/roe2018.yml": ("    direction: mixed\n", """\
    estimate:
      measure: mean difference
      value: -4.0
      ci: [-7.5, -0.5]
      p: '0.03'
      n: {drug: 20, placebo: 20}
      outcome: fatigue score (invented scale)
"""),
    "reviews/notes/doe2020.yml": ("    locator: paragraph 2\n", """\
    estimate:
      measure: odds ratio
      value: 2.5
      ci: [1.2, 5.1]
      outcome: marker above an invented cut-off
"""),
    "reviews/notes/exampleblog2021.yml": ("    locator: paragraph 1\n", """\
    estimate:
      measure: odds ratio
      value: 5.0
      outcome: marker above an invented cut-off
"""),
}


def add_effects(tiny) -> None:
    """Give the report tests' review invented effect estimates: two primary ones for EX2 that pool
    (roe2018, poe2022; the PEM-required report keeps only poe2022), one for EX1 (doe2020) and a
    blog's number for EX1 that is never drawn."""
    tiny.write("bib/references.bib", (tiny.root / "bib" / "references.bib").read_text() + POE_BIB)
    tiny.write("reviews/notes/poe2022.yml", POE_NOTE)
    for path, (after, block) in ESTIMATES.items():
        tiny.edit(path, after, after + block)
    if (tiny.root / "reviews" / "screening.csv").exists():  # after add_search_log: the third work is screened in too
        tiny.edit("reviews/search.yml", "    records: 3\n", "    records: 4\n")
        tiny.edit("reviews/screening.csv", "roe2018,register,,include,include,,\n",
                  "roe2018,register,,include,include,,\npoe2022,register,,include,include,,\n")


def evidence_notebook(sel) -> nbformat.NotebookNode:
    """A report notebook of one cell, the evidence table with its output (a large table, quickly)."""
    data, _ = DisplayFormatter().format(report.evidence_table(sel))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("report.evidence_table(sel)", id="evidence")]
    nb.cells[0].outputs = [nbformat.v4.new_output("display_data", data=data)]
    return nb
