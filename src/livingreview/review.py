"""The notebook-facing API: :func:`load` gives a validated :class:`Review`; ``Review.select``
gives the :class:`Selection` one report is made of, as DataFrames with stable columns and order.

    review = livingreview.load()
    sel = review.select(review.parameters(globals()))  # in a report notebook, after its parameters cell
    sel = review.select("some-hypothesis", conditions="MS")  # anywhere else
    sel.evidence, sel.questions, sel.dropped, sel.keys, sel.parameters

What a filter is (its parameters, which works it keeps, its words) is :mod:`livingreview.filters`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from . import filters
from .loader import Document, collect
from .diagnostics import Diagnostic, closest, error
from .errors import InputError, ReviewInvalid
from .schema_errors import schema_diagnostics
from .sources import Sources, retraction_file
from .notes.model import RANDOMIZED, SECONDARY, Hypothesis, Note
from .notes.quotes import QuoteCheck
from .project import BuildConfig, Project, ReportParameters, parameters_model
from .vocabulary import Vocabulary, basis as facet_basis, status as facet_status
from .synthesis.questions import concerns, register
from .synthesis.rob_designs import ToolChoice
from .synthesis.risk_of_bias import Assessment, assess_all

#: the evidence table's columns, in order; after ``criteria`` come the review's facet columns
#: (:func:`evidence_columns`)
EVIDENCE_COLUMNS: tuple[str, ...] = (
    "key", "finding_id", "hypothesis", "prediction", "direction", "kind", "statement", "provenance", "quote",
    "locator", "extracted_from", "source_type", "secondary", "design", "randomized", "conditions", "patients",
    "controls", "criteria", "year", "title", "paraphrases", "role",
)
#: the column the facet columns follow
FACETS_AFTER = "criteria"
#: a work's part in the synthesis: a primary study with results of its own (``evidence``: rated and
#: counted), or ``context`` (secondary sources, reviews, registrations, planned trials: listed, never counted)
ROLES: tuple[str, ...] = ("evidence", "context")
QUESTION_COLUMNS: tuple[str, ...] = ("question_id", "text", "hypothesis", "raised_by")
#: a selection's questions: :data:`QUESTION_COLUMNS` and the status from the question register
SELECTION_QUESTION_COLUMNS: tuple[str, ...] = (*QUESTION_COLUMNS, "status")
#: the environment variable naming the folder of source texts (the build sets it for report kernels)
SOURCES_VARIABLE = "LIVINGREVIEW_SOURCES"
#: the environment variable naming the build's snapshot of the loaded review, for its report kernels
SNAPSHOT_VARIABLE = "LIVINGREVIEW_SNAPSHOT"
_BOOL = {"secondary", "randomized"}
_INT = {"patients", "controls", "year"}


class UnknownHypothesis(InputError):
    """``select`` was asked for a hypothesis the review does not have."""


def facet_columns(vocabulary: Vocabulary | None) -> tuple[str, ...]:
    """Per facet of *vocabulary*, in its order: ``<facet>`` (its status) and ``<facet>_basis`` (an
    explicit inclusion rule's basis, when one made it required)."""
    return tuple(c for f in (vocabulary.facets if vocabulary else {}) for c in (f, f"{f}_basis"))


def evidence_columns(vocabulary: Vocabulary | None) -> tuple[str, ...]:
    """The evidence table's columns for a review with *vocabulary*: :data:`EVIDENCE_COLUMNS` with the
    facet columns after ``criteria``."""
    at = EVIDENCE_COLUMNS.index(FACETS_AFTER) + 1
    return (*EVIDENCE_COLUMNS[:at], *facet_columns(vocabulary), *EVIDENCE_COLUMNS[at:])


def load(root: Path | str | Project | None = None, *, sources: Path | str | None = None,
         retractions: Path | str | None = None) -> "Review":
    """Load and validate the review at *root* (default: the project containing the cwd).

    With *retractions* (Crossref's Retraction Watch CSV; default: ``$LIVINGREVIEW_RETRACTIONS`` when
    set), the works with a retraction, correction or expression of concern are in ``Review.retractions``.

    Raises :class:`ReviewInvalid` listing every error; warnings are kept in ``Review.diagnostics``.
    With *sources* (default: ``$LIVINGREVIEW_SOURCES`` when set, as for ``livingreview check``),
    quotes are verified against the texts there (the quote record is not rewritten;
    ``livingreview check --sources`` does that)."""
    project = root if isinstance(root, Project) else Project.find(root)
    if sources is None:
        sources = os.environ.get(SOURCES_VARIABLE) or None  # folders joined by the path separator
    if os.environ.get(SNAPSHOT_VARIABLE):  # a report kernel of a build: the review the build loaded
        review = from_snapshot(Path(os.environ[SNAPSHOT_VARIABLE]), project, sources)
        if review is not None:
            return review
    ctx, diagnostics = collect(project, sources)
    errors = [d for d in diagnostics if d.is_error]
    if errors:
        raise ReviewInvalid(errors, summary=f"the review has {len(errors)} error(s); `livingreview check` lists them:")
    files, digests = ctx.inputs
    notices, data_sha256 = _retractions(ctx.bibliography, retraction_file(retractions))
    return Review(
        project=project,
        config=ctx.config,
        vocabulary=ctx.vocabulary,
        bibliography=ctx.bibliography,
        hypotheses={k: v.value for k, v in sorted(ctx.hypotheses.items())},
        notes={k: v.value for k, v in sorted(ctx.notes.items())},
        quote_status=dict(sorted(ctx.quotes.checks.items())),
        diagnostics=diagnostics,
        rules=ctx.rules,
        rob_tools=ctx.rob_choice,
        risk_of_bias=assess_all({k: v.value for k, v in ctx.notes.items()}, ctx.rob_choice),
        search_log=ctx.search_log,
        screening_rows=ctx.counted_rows or ctx._screening[1] or [],
        flow_counts=ctx.flow_counts,
        dual_screening=ctx.dual_screening,
        files=files,
        digests=digests,
        documents=ctx.documents,
        retractions=notices,
        retraction_data=data_sha256,
    )


def _retractions(bibliography: Mapping[str, Any], path: Path | str | None) -> tuple[dict[str, Any], str | None]:
    """``{key: Notice}`` of the flagged works and the data's SHA-256; ({}, None) without data."""
    if path is None:
        return {}, None
    from .bib.retractions import load as load_retractions

    data = load_retractions(Path(path), str(path))
    found = {key: data.of(entry) for key, entry in bibliography.items()}
    return {key: notice for key, notice in sorted(found.items()) if notice is not None}, data.sha256


def snapshot_bytes(review: "Review", sources: Path | str | None, rendered: Mapping | None = None) -> bytes:
    """The loaded *review* as the build hands it to its report kernels (validated once, not per kernel), with
    the references the build *rendered* ahead (:func:`livingreview.bib.cite.render_many`), so no kernel renders them again."""
    import pickle

    return pickle.dumps((str(review.project.root), _sources_key(sources), review, dict(rendered or {})),
                        protocol=pickle.HIGHEST_PROTOCOL)


def from_snapshot(path: Path, project: Project, sources: Path | str | None) -> "Review | None":
    """The review of the build's snapshot at *path*, if it is *project*'s loaded with *sources*; else None
    (the kernel then loads and validates from disk, as in JupyterLab). Only the build writes the file, in
    its own staging folder under the project's outputs."""
    import pickle

    try:
        root, used, review, rendered = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    if (root, used) != (str(project.root), _sources_key(sources)):
        return None
    from .bib import cite

    cite.remember(rendered)
    return review


def _sources_key(sources) -> str | None:
    folders = Sources.of(sources)
    return folders.key() if folders else None


@dataclass(eq=False)
class Review:
    """The validated review: the bibliography, hypotheses and notes, and how each quote fared."""

    project: Project
    config: BuildConfig | None
    #: the review's conditions, criteria and facets (reviews/vocabulary.yml)
    vocabulary: Vocabulary
    bibliography: Mapping[str, Any]
    hypotheses: dict[str, Hypothesis]
    notes: dict[str, Note]
    quote_status: dict[tuple[str, str], QuoteCheck] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # warnings only (errors raise)
    rules: Any = None  # the certainty rules (reviews/certainty.yml)
    #: the risk-of-bias tool of each design (reviews/risk-of-bias.yml; absent: no design is assessed)
    rob_tools: ToolChoice = field(default_factory=ToolChoice.none)
    #: key -> the risk-of-bias :class:`~livingreview.synthesis.risk_of_bias.Assessment` of every assessed note
    risk_of_bias: dict[str, Assessment] = field(default_factory=dict)
    search_log: Any = None  # reviews/search.yml (None: the review keeps no search log)
    screening_rows: list = field(default_factory=list)  # reviews/screening.csv, row by row (with the final decisions)
    flow_counts: Any = None  # the PRISMA 2020 numbers from the screening record (None: no record)
    #: the two reviewers' agreement and unresolved conflicts (``method.screening_decisions.DualScreening``;
    #: None: one reviewer screened)
    dual_screening: Any = None
    #: the file each hypothesis, note and notebook was read from, by kind and id (see ``loader.Context.inputs``)
    files: dict[str, dict[str, str]] = field(default_factory=dict)
    #: SHA-256 of every input file loaded, by project-relative path (notebooks: of their cells)
    digests: dict[str, str] = field(default_factory=dict)
    #: each hypothesis's report notebook as its reader meets it: the prose's citations, the sections shown
    documents: dict[str, Document] = field(default_factory=dict)
    #: key -> the gravest Retraction Watch notice (``bib.retractions.Notice``) of each flagged work
    retractions: dict[str, Any] = field(default_factory=dict)
    #: SHA-256 of the retraction data the review was loaded with (None: loaded without)
    retraction_data: str | None = None

    @property
    def parameter_model(self) -> type[ReportParameters]:
        """The typed report parameters of this review (:func:`~livingreview.project.parameters_model`)."""
        return parameters_model(self.vocabulary)

    @property
    def filters(self) -> tuple[filters.Filter, ...]:
        """What can leave a work out of this review's reports (:func:`livingreview.filters.of`)."""
        return filters.of(self.vocabulary)

    @property
    def evidence_columns(self) -> tuple[str, ...]:
        """The evidence table's columns (:func:`evidence_columns` of the vocabulary)."""
        return evidence_columns(self.vocabulary)

    def parameters(self, namespace: Mapping[str, Any]) -> ReportParameters:
        """The report parameters a notebook's ``parameters`` cell set, typed (:func:`parameters`):
        ``review.parameters(globals())``."""
        return parameters(namespace, self.parameter_model)

    def findings(self) -> pd.DataFrame:
        """All findings, one row each, :attr:`evidence_columns`, sorted by (prediction, key, finding)."""
        return self._findings.copy()

    @cached_property
    def _findings(self) -> pd.DataFrame:
        rows = []
        for key, note in self.notes.items():
            work = self._work(note)
            rows += [{**work, **self._finding(key, f)} for f in note.findings]
        rows.sort(key=lambda r: (r["prediction"] is None, r["prediction"] or "", r["key"], _finding_number(r["finding_id"])))
        return _frame(rows, self.evidence_columns)

    def _work(self, note: Note) -> dict[str, Any]:
        """The evidence columns that describe the work (the same for each of its findings)."""
        entry = self.bibliography.get(note.key)
        return {
            "key": note.key, "source_type": note.source_type, "secondary": note.source_type in SECONDARY,
            "design": note.design, "randomized": note.design in RANDOMIZED,
            "conditions": "; ".join(note.population.conditions), "patients": _count(note.population.patients),
            "controls": _count(note.population.controls), "criteria": "; ".join(note.criteria),
            **{c: v for f in self.vocabulary.facets for c, v in ((f, facet_status(self.vocabulary, f, note)),
                                                                  (f"{f}_basis", facet_basis(self.vocabulary, f, note)))},
            "year": getattr(entry, "year", None), "title": getattr(entry, "title", None),
            "role": self.role(note),
        }

    def role(self, note: Note) -> str:
        """``evidence`` for a primary study with results of its own (the rules' ``is_evidence``), else ``context``."""
        if self.rules is not None:
            return "evidence" if self.rules.is_evidence(note) else "context"
        return "evidence" if note.source_type == "primary" else "context"

    def _finding(self, key: str, finding) -> dict[str, Any]:
        check = self.quote_status.get((key, finding.id))
        return {
            "finding_id": finding.id, "hypothesis": finding.hypothesis, "prediction": finding.prediction,
            "direction": finding.direction, "kind": finding.kind, "statement": finding.statement,
            "provenance": check.status if check else ("unverified" if finding.quote else "extracted"),
            "quote": finding.quote, "locator": finding.locator, "extracted_from": finding.extracted_from,
            "paraphrases": finding.paraphrases,
        }

    @cached_property
    def drifts(self) -> list:
        """Every claim-drift difference of the review (:func:`livingreview.synthesis.drift.compare`)."""
        from .synthesis.drift import compare

        return compare(self.notes)

    @cached_property
    def question_register(self) -> pd.DataFrame:
        """Every question of the review with its status (:func:`livingreview.synthesis.questions.register`)."""
        return register(self.hypotheses, self.notes)

    def questions(self) -> pd.DataFrame:
        """One row per (question id, raising file): :data:`QUESTION_COLUMNS`."""
        rows = [{"question_id": q.id, "text": q.text, "hypothesis": h.id, "raised_by": h.id}
                for h in self.hypotheses.values() for q in h.open_questions]
        for note in self.notes.values():
            rows += [{"question_id": q.id, "text": q.text, "raised_by": note.key,
                      "hypothesis": "; ".join(sorted(concerns(q, note, self.hypotheses)))}
                     for q in note.remaining_questions]
        rows.sort(key=lambda r: (r["question_id"], r["raised_by"]))
        return _frame(rows, QUESTION_COLUMNS)

    def select(self, parameters: ReportParameters | str, /, **values: Any) -> "Selection":
        """The works and findings bearing on the hypothesis that pass the filters of *parameters*:
        typed (in a report notebook, ``review.parameters(globals())``), or a hypothesis id with
        any other parameters as keywords, checked as a notebook's are (InputError naming the field)."""
        if isinstance(parameters, str) and "hypothesis" not in values:
            parameters = typed_parameters({"hypothesis": parameters, **values}, self.parameter_model, file="select()")
        elif not isinstance(parameters, ReportParameters) or values:
            raise TypeError("select() takes ReportParameters, or a hypothesis id and keyword parameters "
                            f"(got {type(parameters).__name__}{' and keywords' if values else ''})")
        return Selection.make(self, self._hypothesis(parameters.hypothesis), parameters)

    def _hypothesis(self, name: str) -> Hypothesis:
        if name not in self.hypotheses:
            known = sorted(self.hypotheses)
            raise UnknownHypothesis([error("SEL002", "select()", None, f"hypothesis '{name}' does not exist", key=name,
                                           field="hypothesis", hint=closest(name, known) or f"hypotheses: {', '.join(known)}")])
        return self.hypotheses[name]


@dataclass(eq=False)
class Selection:
    """What one report shows: the kept works, their evidence and open questions, what was dropped."""

    review: Review
    hypothesis: Hypothesis
    #: what the report was asked for: its filters and its citation style
    parameters: ReportParameters
    notes: dict[str, Note]
    evidence: pd.DataFrame
    questions: pd.DataFrame
    dropped: dict[str, Any]
    #: the works the report cites: the kept works, the hypothesis's proposers and the works its notebook's prose cites
    keys: list[str]
    #: every work bearing on the hypothesis, kept or dropped (the counts of what was left out read them all)
    considered: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> dict[str, Any]:
        """The works the report cites that are retracted, corrected or under an expression of concern: key → notice."""
        notices = getattr(self.review, "retractions", {})
        return {key: notices[key] for key in self.keys if key in notices}

    @property
    def document(self) -> Document | None:
        """The report notebook as its reader meets it (None when the hypothesis has none that reads)."""
        return self.review.documents.get(self.hypothesis.id)

    @cached_property
    def drifts(self) -> list:
        """The claim-drift differences this selection shows (:func:`livingreview.synthesis.drift.shown`)."""
        from .synthesis.drift import shown

        return shown(self.review.drifts, self.review.notes, self.notes, self.hypothesis.id)

    @property
    def primary(self) -> pd.DataFrame:
        """The evidence rows of primary studies with results of their own: what tallies and figures count."""
        return self.evidence[self.evidence["role"] == "evidence"].reset_index(drop=True)

    @cached_property
    def rating(self):
        """The certainty of the evidence for each prediction and overall
        (:func:`livingreview.synthesis.certainty.rate`, under the review's rules and its studies' risk of bias)."""
        from .synthesis.certainty import rate

        return rate(self.hypothesis, self.evidence, self.notes, self.review.rules,
                    getattr(self.review, "risk_of_bias", None), vocabulary=self.review.vocabulary)

    @cached_property
    def inputs(self) -> dict[str, str]:
        """What this report reads, ``{input: sha256}`` (:func:`livingreview.reads.report_inputs`), made once:
        the build's cache key and the report's provenance block (shown three times) use it."""
        from .reads import report_inputs

        return report_inputs(self)

    @classmethod
    def make(cls, review: Review, hypothesis: Hypothesis, parameters: ReportParameters) -> "Selection":
        hid = hypothesis.id
        kept: dict[str, Note] = {}
        considered: list[str] = []
        table_of_filters = review.filters
        dropped: dict[str, Any] = {"works": 0, "findings": 0, "by": {f.name: (0, 0) for f in table_of_filters}}
        for key, note in review.notes.items():
            bearing = sum(f.hypothesis == hid for f in note.findings)
            if not bearing:
                continue
            considered.append(key)
            reasons = filters.failed(table_of_filters, note, getattr(review.bibliography.get(key), "year", None), parameters)
            if not reasons:
                kept[key] = note
                continue
            dropped["works"] += 1
            dropped["findings"] += bearing
            for reason in reasons:
                works, findings = dropped["by"][reason]
                dropped["by"][reason] = (works + 1, findings + bearing)
        table = review._findings
        evidence = table[(table["hypothesis"] == hid) & table["key"].isin(list(kept))].reset_index(drop=True)
        document = review.documents.get(hid)
        prose = document.cited if document is not None else []
        return cls(review=review, hypothesis=hypothesis, parameters=parameters, notes=kept, evidence=evidence,
                   questions=_selected_questions(review.question_register, hid, kept), dropped=dropped,
                   keys=sorted(set(kept) | set(hypothesis.proposed_by) | set(prose)), considered=sorted(considered))


#: how a problem with a notebook's parameters names its place
PARAMETERS_CELL = "parameters cell"


def parameters(namespace: Mapping[str, Any], model: type[ReportParameters]) -> ReportParameters:
    """The report parameters a notebook's ``parameters`` cell set, typed: exactly the fields of the
    review's *model*, taken from *namespace* (``review.parameters(globals())``), each required;
    InputError naming the field (with a did-you-mean for a misspelt or mistyped one)."""
    fields = model.model_fields
    values = {name: namespace[name] for name in fields if name in namespace}
    others = [name for name in namespace if name not in fields and not name.startswith("_")]
    missing = [error("SEL001", PARAMETERS_CELL, None, f"'{name}' is not set", key=_key(values), field=name,
                     hint=closest(name, others) or f"the parameters cell sets: {', '.join(fields)}")
               for name in fields if name not in values]
    if missing:
        raise InputError(missing)
    return typed_parameters(values, model, file=PARAMETERS_CELL)


def typed_parameters(values: Mapping[str, Any], model: type[ReportParameters], *, file: str) -> ReportParameters:
    """*values* as the review's *model*; InputError (SEL001, in *file*) naming each bad field."""
    try:
        return model(**values)
    except ValidationError as exc:
        raise InputError(schema_diagnostics(exc, dict(values), model, file, "SEL001", _key(values))) from None


def _key(values: Mapping[str, Any]) -> str | None:
    """What a diagnostic about these parameters is keyed by: their hypothesis, when it is text."""
    hypothesis = values.get("hypothesis")
    return hypothesis if isinstance(hypothesis, str) else None


def _selected_questions(questions: pd.DataFrame, hypothesis_id: str, notes: Mapping[str, Note]) -> pd.DataFrame:
    """The register's questions raised by the hypothesis or a kept note (by question id), each with
    the raisers in this selection: :data:`SELECTION_QUESTION_COLUMNS`."""
    raisers = {hypothesis_id, *notes}
    rows = []
    for question in questions.itertuples(index=False):
        if hypothesis_id not in question.hypotheses.split("; "):
            continue  # raised by a kept note, but about another hypothesis
        raised = [r for r in question.raised_by.split("; ") if r in raisers]
        if raised:
            rows.append({"question_id": question.question_id, "text": question.text, "hypothesis": hypothesis_id,
                         "raised_by": "; ".join(raised), "status": question.status})
    return _frame(rows, SELECTION_QUESTION_COLUMNS)


def _finding_number(finding_id: str) -> int:
    return int(finding_id[1:])


def _count(value: int | str) -> int | None:
    """A population count: ``none`` is zero controls; ``unknown`` is missing."""
    if value == "none":
        return 0
    return value if isinstance(value, int) else None


def _frame(rows: Iterable[Mapping[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    """A DataFrame with *columns* in order and fixed dtypes (also when there are no rows)."""
    rows = list(rows)
    data = {}
    for name in columns:
        values = [r[name] for r in rows]
        dtype = "bool" if name in _BOOL else "Int64" if name in _INT else "str"
        data[name] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(data, columns=list(columns))
