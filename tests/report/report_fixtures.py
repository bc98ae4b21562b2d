"""A small fictional review for the report tests: a project folder, a Selection-like object
with the documented attributes, a stand-in citation formatter and a tiny executed notebook.

All works are invented ("Doe 2020, Journal of Examples"); no real study is described.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
from livingreview.notes.model import Hypothesis, Note, SECONDARY, RANDOMIZED
from livingreview.notes.pem import derive

BUILD_YML = """\
title: An example living review
authors:
  - Jane Doe
  - Richard Roe
defaults:
  conditions: all
  pem_required_only: false
  citation_style: apa
variants:
  - name: all
    title: All studies
  - name: pem-required
    title: Only studies requiring PEM
    parameters:
      pem_required_only: true
"""

HYPOTHESIS = Hypothesis(
    id="example-hypothesis",
    title="The example hypothesis of fatigue",
    claim="Fatigue follows from an example mechanism & its <consequences>.",
    mechanism=["Step one happens.", "Step two follows."],
    predictions=[
        {"id": "EX1", "statement": "Patients show more of the example marker."},
        {"id": "EX2", "statement": "Treating the marker reduces fatigue."},
    ],
    conditions=["ME/CFS", "MS"],
    proposed_by=["doe2020"],
    open_questions=[{"id": "q-example-dose", "text": "Which dose matters?"}],
)

NOTES = {
    "doe2020": Note(
        key="doe2020",
        source_type="primary",
        design="case-control",
        population={"conditions": ["ME/CFS"], "patients": 12, "controls": 10},
        criteria=["CCC"],
        source_text="doe2020.txt",
        quick_summary="An invented case-control study.",
        why_it_matters="It is the example.",
        findings=[
            {"id": "f1", "statement": "More marker in patients <script>alert(1)</script>.", "hypothesis": "example-hypothesis",
             "prediction": "EX1", "direction": "supports", "kind": "observed",
             "quote": "the marker was higher in patients", "locator": "paragraph 2"},
            {"id": "f2", "statement": "Marker unrelated to fatigue score.", "hypothesis": "example-hypothesis",
             "prediction": "EX1", "direction": "contradicts", "kind": "inferred",
             "quote": "no association with fatigue", "locator": "paragraph 5"},
        ],
    ),
    "roe2018": Note(
        key="roe2018",
        source_type="primary",
        design="rct",
        population={"conditions": ["MS"], "patients": 1, "controls": "none"},
        criteria=["Fukuda"],
        quick_summary="An invented trial.",
        why_it_matters="It tests EX2.",
        findings=[
            {"id": "f1", "statement": "Fatigue fell on the example drug.", "hypothesis": "example-hypothesis",
             "prediction": "EX2", "direction": "mixed", "kind": "observed",
             "extracted_from": "Roe 2018, Journal of Examples, abstract"},
        ],
    ),
    "exampleblog2021": Note(
        key="exampleblog2021",
        source_type="blog",
        design="summary",
        population={"conditions": ["ME/CFS"]},
        criteria=["not stated"],
        source_text="blog.txt",
        reports=["doe2020"],
        quick_summary="An invented blog post about Doe 2020.",
        why_it_matters="It shows how the study was reported.",
        findings=[
            {"id": "f1", "statement": "The blog says the marker doubled.", "hypothesis": "example-hypothesis",
             "direction": "supports", "kind": "inferred", "quote": "the marker doubled", "locator": "paragraph 1",
             "paraphrases": "doe2020#f1"},
        ],
    ),
}

YEARS = {"doe2020": 2020, "roe2018": 2018, "exampleblog2021": 2021}
TITLES = {"doe2020": "An example study", "roe2018": "An example trial", "exampleblog2021": "What the example study means"}
PROVENANCE = {("doe2020", "f1"): "verified", ("doe2020", "f2"): "failed", ("roe2018", "f1"): "extracted",
              ("exampleblog2021", "f1"): "unverified"}


def evidence_frame(notes) -> pd.DataFrame:
    """The evidence DataFrame as the Review API documents it, built from *notes*."""
    rows = []
    for key in sorted(notes):
        note = notes[key]
        for f in note.findings:
            rows.append({
                "key": key, "finding_id": f.id, "hypothesis": f.hypothesis, "prediction": f.prediction,
                "direction": f.direction, "kind": f.kind, "statement": f.statement,
                "provenance": PROVENANCE[(key, f.id)], "quote": f.quote, "locator": f.locator,
                "extracted_from": f.extracted_from, "source_type": note.source_type,
                "secondary": note.source_type in SECONDARY, "design": note.design,
                "randomized": note.design in RANDOMIZED, "conditions": "; ".join(note.population.conditions),
                "patients": note.population.patients, "controls": note.population.controls,
                "criteria": "; ".join(note.criteria), "pem": derive(note.criteria), "year": YEARS[key],
                "title": TITLES[key], "paraphrases": f.paraphrases,
            })
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class FakeReference:
    key: str
    label: str
    html: str
    text: str
    anchor: str


@dataclass
class FakeReferences:
    style: str
    items: list

    def label(self, key):
        return next(i.label for i in self.items if i.key == key)


LABELS = {"doe2020": "Doe & Roe, 2020", "roe2018": "Roe, 2018", "exampleblog2021": "Example Health Blog, 2021"}


def fake_format_references(bibliography, keys, style):
    items = [FakeReference(k, LABELS[k], f"<span>{LABELS[k]}. <i>{TITLES[k]}</i>. Journal of Examples.</span>",
                           f"{LABELS[k]}. {TITLES[k]}.", f"ref-{k}") for k in sorted(keys)]
    return FakeReferences(style, items)


@dataclass
class FakeSelection:
    review: object
    hypothesis: Hypothesis = HYPOTHESIS
    parameters: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)
    evidence: pd.DataFrame = None
    questions: pd.DataFrame = None
    dropped: dict = field(default_factory=lambda: {"works": 0, "findings": 0, "by": {}})

    @property
    def keys(self):
        return sorted(self.notes)


def make_project(root: Path) -> Path:
    (root / "reviews" / "hypotheses").mkdir(parents=True)
    (root / "reviews" / "notes").mkdir(parents=True)
    (root / "bib").mkdir()
    (root / "reviews" / "build.yml").write_text(BUILD_YML)
    (root / "reviews" / "hypotheses" / "example-hypothesis.yml").write_text("id: example-hypothesis\n")
    for key in NOTES:
        (root / "reviews" / "notes" / f"{key}.yml").write_text(f"key: {key}\n")
    (root / "bib" / "example.bib").write_text("@article{doe2020, title={An example study}}\n")
    return root


def selection(root: Path, **parameters) -> FakeSelection:
    params = {"hypothesis": "example-hypothesis", "conditions": "all", "pem_required_only": False,
              "year_from": None, "year_to": None, "citation_style": "apa", **parameters}
    notes = dict(NOTES)
    dropped = {"works": 0, "findings": 0, "by": {}}
    if params["pem_required_only"]:
        notes = {k: n for k, n in NOTES.items() if derive(n.criteria) == "required"}
        dropped = {"works": 2, "findings": 2, "by": {"pem_required_only": 2}}
    questions = pd.DataFrame([{"question_id": "q-example-dose", "text": "Which dose matters?",
                               "hypothesis": "example-hypothesis", "raised_by": "doe2020; roe2018"}])
    return FakeSelection(review=SimpleNamespace(root=root, bibliography={}), parameters=params, notes=notes,
                         evidence=evidence_frame(notes), questions=questions, dropped=dropped)


def executed_notebook(sel, *, extra_code: str = "import livingreview") -> "nbformat.NotebookNode":
    """A tiny report notebook whose code cells already carry the outputs the report functions give."""
    import nbformat
    from IPython.core.formatters import DisplayFormatter

    from livingreview import report

    formatter = DisplayFormatter()

    def code(cell_id, source, obj):
        data, _ = formatter.format(obj)
        cell = nbformat.v4.new_code_cell(source, id=cell_id)
        cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
        return cell

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "livingreview", "display_name": "Python 3 (livingreview)", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell(extra_code, id="setup"),
        code("title", "report.title(sel)", report.title(sel)),
        nbformat.v4.new_markdown_cell("## The evidence\n\nOne row per finding.", id="evidence-intro"),
        code("evidence", "report.evidence_table(sel)", report.evidence_table(sel)),
        nbformat.v4.new_markdown_cell("## Figures", id="figures-intro"),
        code("plot-design", "report.plot(sel, 'direction_by_design')", report.plot(sel, "direction_by_design")),
        code("plot-timeline", "report.plot(sel, 'timeline')", report.plot(sel, "timeline")),
        nbformat.v4.new_markdown_cell("## References", id="references-intro"),
        code("references", "report.references(sel)", report.references(sel)),
    ]
    return nb
