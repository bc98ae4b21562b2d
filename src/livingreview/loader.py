"""Loading the review: every input read once, validated, and kept — the one loader below both
:func:`livingreview.load` (a :class:`~livingreview.review.Review` for notebooks and the build) and
``livingreview check`` (a summary of the same load).

A :class:`Context` reads each input on first use and keeps it with its diagnostics: the build
configuration, the review's vocabulary, the bibliography, hypotheses and notes (each with its file and the SHA-256 of the
bytes read), quote verification, the certainty rules, the search log and screening record with the
PRISMA counts derived from them, the risk-of-bias tool of each design, the report notebooks' cells (what a reader meets in them, in order:
:class:`Document`) and the review-wide files' digests. A
validator is a function ``(Context) -> list[Diagnostic]``; :data:`REVIEW_CHECKS` is what a review must
pass to load. After loading, nothing reads a file: reports are made from what the context holds.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from . import fingerprint, textfile
from .bib import prose
from .diagnostics import Diagnostic, closest, error, warning
from .errors import InputError
from .notes import quotes
from .notes.load import Collection, load_hypotheses, load_notes
from .notes.model import Hypothesis, Note
from .notebooks import REMOVE_TAG, cell_name, cell_tags, notebook_cells, notebook_path, report_calls, source_text
from .notes.validate import validate
from .project import REVIEW_FILES, BuildConfig, Project
from .sources import Sources

#: the digest recorded for an input that is named but absent
ABSENT = fingerprint.ABSENT


@dataclass(frozen=True)
class Part:
    """What a reader meets in one cell of a report notebook: the citations of its prose (a Markdown
    cell) or the report sections it shows (a code cell, ``report.<section>(...)``), in order."""

    cell: str  #: ``cell 5 (id about)``
    citations: tuple[prose.Citation, ...] = ()
    calls: tuple[str, ...] = ()
    text: str = ""  #: a Markdown cell's prose (for the wording lint)


@dataclass(frozen=True)
class Document:
    """A report notebook as its reader meets it: the cells the report shows, in order."""

    file: str  #: project-relative
    parts: tuple[Part, ...] = ()

    @property
    def cited(self) -> list[str]:
        """The keys its prose cites, in order of first citation."""
        return list(dict.fromkeys(key for part in self.parts for citation in part.citations for key in citation.keys))


def document(cells: Sequence, file: str) -> Document:
    """The :class:`Document` of a notebook's *cells* (malformed cells, which the build contract names, are skipped)."""
    parts = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or REMOVE_TAG in cell_tags(cell):
            continue
        source = cell.get("source", "")
        if not isinstance(source, (str, list)) or not all(isinstance(s, str) for s in source):
            continue
        text = source_text(source)
        if cell.get("cell_type") == "markdown":
            parts.append(Part(cell_name(index, cell), citations=tuple(prose.find(text)), text=text))
        elif cell.get("cell_type") == "code":
            parts.append(Part(cell_name(index, cell), calls=report_calls(text)))
    return Document(file, tuple(parts))


@dataclass
class Context:
    """What the checkers share: the project, the sources folder, and each input loaded once."""

    project: Project
    sources: Sources | None = None

    @cached_property
    def _config(self) -> tuple[BuildConfig | None, list[Diagnostic]]:
        try:
            return self.project.config, []
        except InputError as exc:
            return None, list(exc.diagnostics)

    @cached_property
    def _bibliography(self) -> tuple[Mapping[str, Any], list[Diagnostic]]:
        from .bib.load import load_project_bibliography

        bibliography, diagnostics = load_project_bibliography(self.project)
        return bibliography, list(diagnostics)

    @cached_property
    def _hypotheses(self) -> tuple[Collection[Hypothesis], list[Diagnostic]]:
        return load_hypotheses(self.project)

    @cached_property
    def _notes(self) -> tuple[Collection[Note], list[Diagnostic]]:
        return load_notes(self.project)

    @cached_property
    def _vocabulary(self):
        """(the review's vocabulary, diagnostics), from ``reviews/vocabulary.yml``."""
        try:
            return self.project.vocabulary, []
        except InputError as exc:
            return None, list(exc.diagnostics)

    vocabulary = property(lambda self: self._vocabulary[0])
    config = property(lambda self: self._config[0])
    bibliography = property(lambda self: self._bibliography[0])
    hypotheses = property(lambda self: self._hypotheses[0])
    notes = property(lambda self: self._notes[0])

    @cached_property
    def _rules(self):
        from .synthesis.rules import RulesInvalid, load_rules

        try:
            return load_rules(self.project), []
        except RulesInvalid as exc:
            return None, list(exc.diagnostics)

    rules = property(lambda self: self._rules[0])

    @cached_property
    def _rob_choice(self):
        """(the risk-of-bias tool of each design, diagnostics), from ``reviews/risk-of-bias.yml``."""
        from .synthesis.rob_designs import ChoiceInvalid, load_choice

        try:
            return load_choice(self.project), []
        except ChoiceInvalid as exc:
            return None, list(exc.diagnostics)

    rob_choice = property(lambda self: self._rob_choice[0])

    @cached_property
    def _screening(self):
        """(search log, screening rows, diagnostics); (None, None, []) for a review that keeps no record."""
        from .method import screening

        return screening.load_record(self.project)

    search_log = property(lambda self: self._screening[0])

    @cached_property
    def _dual(self):
        """(the screening record read with ``reviews/screening-decisions.csv``, problems reading that
        file); (None, []) when one reviewer screened, or the record itself cannot be read."""
        from .method import screening_decisions

        log, rows, problems = self._screening
        decisions, unread = screening_decisions.load(self.project)
        if unread or decisions is None or problems or log is None or rows is None:
            return None, unread
        return screening_decisions.evaluate(log, rows, decisions), []

    @cached_property
    def counted_rows(self):
        """The screening rows the PRISMA numbers are counted from, with the final decisions when two
        reviewers screened (None when the record is inconsistent or a conflict is unresolved)."""
        from .method import screening

        log, rows, problems = self._screening
        evaluated, unread = self._dual
        if problems or unread or log is None or rows is None:
            return None
        if evaluated is not None:
            return evaluated.rows
        return None if screening.consistency(rows, log) else rows

    @cached_property
    def flow_counts(self):
        """The PRISMA 2020 numbers (None when there is no consistent record to count)."""
        from .method import screening

        if self.counted_rows is None:
            return None
        return screening.tally(self.search_log, self.counted_rows, {key: n.value.source_type for key, n in self.notes.items()})

    @property
    def dual_screening(self):
        """Agreement and unresolved conflicts of the two reviewers (None when one reviewer screened)."""
        evaluated = self._dual[0]
        return None if evaluated is None else evaluated.screening

    @cached_property
    def file_digests(self) -> dict[str, str]:
        """SHA-256 of each review-wide file (:data:`~livingreview.project.REVIEW_FILES`), ``absent`` where there is none."""
        out = {}
        for name in REVIEW_FILES:
            path = self.project.root / name
            out[name] = fingerprint.sha256_file(path) if path.is_file() else ABSENT
        return out

    @cached_property
    def _notebooks(self) -> dict[str, tuple[str, list | None]]:
        """``{hypothesis id: (project-relative path, cells)}``; cells None where the notebook is missing or
        does not read (the matrix check names it)."""
        out = {}
        for hid in sorted(self.hypotheses):
            path = notebook_path(self.project, hid)
            try:
                cells = notebook_cells(path) if path.exists() or path.is_symlink() else None
            except (OSError, ValueError, InputError):
                cells = None
            out[hid] = (self.project.rel(path), cells)
        return out

    @cached_property
    def documents(self) -> dict[str, Document]:
        """Each readable report notebook as its reader meets it, by hypothesis id."""
        return {hid: document(cells, name) for hid, (name, cells) in self._notebooks.items() if isinstance(cells, list)}

    @cached_property
    def inputs(self) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
        """``(files, digests)``: the file each hypothesis, note and report notebook was read from, by kind and
        id (``files["notes"]["doe2020"] == "reviews/notes/doe2020.yml"``), and each file's SHA-256 (of its
        bytes as read; a notebook's of its cells), with the review-wide files' (:data:`~livingreview.project.REVIEW_FILES`)."""
        files = {"hypotheses": {k: v.file for k, v in self.hypotheses.items()},
                 "notes": {k: v.file for k, v in self.notes.items()}, "notebooks": {}}
        digests = {v.file: v.sha256 for c in (self.hypotheses, self.notes) for v in c.values() if v.sha256}
        for hid, (name, cells) in self._notebooks.items():
            files["notebooks"][hid] = name
            try:  # missing or refused: the matrix check names it
                digests[name] = cells_digest(cells) if isinstance(cells, list) else ABSENT
            except (AttributeError, TypeError):  # malformed cells: the build contract names them
                digests[name] = ABSENT
        return files, {**digests, **self.file_digests}

    @cached_property
    def quotes(self) -> quotes.QuoteReport:
        return quotes.verify_quotes(self.project, self.notes, self.sources)

    def cited(self) -> dict[str, list[tuple[str, int | None]]]:
        """Every citation key the hypotheses and notes use, with where each use is."""
        out: dict[str, list[tuple[str, int | None]]] = {}

        def use(key: str, item, *loc) -> None:
            out.setdefault(key, []).append((item.file, item.line(*loc)))

        for hyp in self.hypotheses.values_sorted():
            for i, key in enumerate(hyp.value.proposed_by):
                use(key, hyp, "proposed_by", i)
        for note in self.notes.values_sorted():
            use(note.value.key, note, "key")
            for i, key in enumerate(note.value.reports):
                use(key, note, "reports", i)
            for i, finding in enumerate(note.value.findings):
                if finding.paraphrases:
                    use(finding.paraphrases.split("#", 1)[0], note, "findings", i, "paraphrases")
        return out



Check = Callable[[Context], list[Diagnostic]]


def check_config(ctx: Context) -> list[Diagnostic]:
    return ctx._config[1]


def check_bibliography(ctx: Context) -> list[Diagnostic]:
    """Reading problems and lint. Lint sees only the cited keys that have entries: a missing key is
    reported once, by :func:`check_references`, naming the field that cites it."""
    from .bib.lint import lint

    cited = {key: places for key, places in ctx.cited().items() if key in ctx.bibliography}
    return ctx._bibliography[1] + list(lint(ctx.bibliography, cited))


def check_hypotheses(ctx: Context) -> list[Diagnostic]:
    return ctx._hypotheses[1]


def check_notes(ctx: Context) -> list[Diagnostic]:
    return ctx._notes[1]


def check_vocabulary(ctx: Context) -> list[Diagnostic]:
    return ctx._vocabulary[1]


def check_references(ctx: Context) -> list[Diagnostic]:
    return validate(ctx.bibliography, ctx.hypotheses, ctx.notes, ctx.vocabulary)


def check_notebook_citations(ctx: Context) -> list[Diagnostic]:
    """Every key the report notebooks' prose cites has a bibliography entry (named by notebook and cell)."""
    found = []
    for doc in ctx.documents.values():
        for part in doc.parts:
            for citation in part.citations:
                for key in dict.fromkeys(k for k in citation.keys if k not in ctx.bibliography):
                    found.append(error(
                        "NBK007", doc.file, None, f"{part.cell}: the citation {citation.source} cites '{key}', "
                        "which has no bibliography entry", key=key, field="source",
                        hint=closest(key, ctx.bibliography) or "add the entry to a bib/*.bib file (e.g. with "
                        "`livingreview import`), or write \\@ for an @ that is not a citation"))
    return found


def check_notebook_hypotheses(ctx: Context) -> list[Diagnostic]:
    """NBK008 (warning) for a report notebook no hypothesis has: the build runs one notebook per
    hypothesis, ``notebooks/<id>.ipynb``, so this one would never be built. (A hypothesis without its
    notebook is the matrix check's BLD002.)"""
    folder = ctx.project.notebooks_dir
    try:
        entries = textfile.listing(folder, ".ipynb", ctx.project.file_scope, file=ctx.project.rel(folder))
    except textfile.FileRefused as exc:
        return list(exc.diagnostics)
    known = set(ctx.hypotheses) | set(ctx.hypotheses.invalid)
    return [warning("NBK008", ctx.project.rel(entry.path), None,
                    f"no hypothesis has the id '{entry.path.stem}', so this notebook is never built",
                    key=entry.path.stem, hint=closest(entry.path.stem, known) or f"add reviews/hypotheses/{entry.path.stem}.yml, "
                                                                                "or remove the notebook")
            for entry in entries if entry.path.stem not in known]


def check_quotes(ctx: Context) -> list[Diagnostic]:
    return ctx.quotes.diagnostics


def check_synthesis(ctx: Context) -> list[Diagnostic]:
    """reviews/certainty.yml, the wording lint and merged question ids (see livingreview.synthesis.checks)."""
    from .synthesis.checks import check_synthesis as synthesis_checks

    return synthesis_checks(ctx)


def check_risk_of_bias(ctx: Context) -> list[Diagnostic]:
    """reviews/risk-of-bias.yml and each note's risk_of_bias block (see livingreview.synthesis.rob_checks)."""
    from .synthesis.rob_checks import check_risk_of_bias as rob_checks

    return rob_checks(ctx)


def check_screening(ctx: Context) -> list[Diagnostic]:
    """reviews/search.yml, reviews/screening.csv and reviews/screening-decisions.csv (see
    livingreview.method.screening and .screening_decisions; an unresolved conflict is a warning)."""
    from .method import screening_decisions

    log, rows, problems = ctx._screening
    evaluated, unread = ctx._dual
    if problems or unread or log is None or rows is None:
        return sorted(problems + unread)
    key_lines = {key: n.line("key") for key, n in ctx.notes.items()}
    return screening_decisions.record_problems(log, rows, evaluated, note_keys=set(ctx.notes) | ctx.notes.invalid,
                                               bib_keys=set(ctx.bibliography), key_lines=key_lines)



#: what a review must pass to load (``livingreview.load``, in a kernel as in the build)
REVIEW_CHECKS: list[Check] = [check_config, check_vocabulary, check_bibliography, check_hypotheses, check_notes, check_references,
                              check_notebook_citations, check_notebook_hypotheses, check_quotes, check_synthesis, check_risk_of_bias, check_screening]


def notebook_digest(path: Path) -> str:
    """Hash of a notebook's cell types, sources and tags; outputs and other metadata do not count."""
    return cells_digest(notebook_cells(path))


def cells_digest(cells: Sequence) -> str:
    """:func:`notebook_digest` of cells already read."""
    return fingerprint.sha256_json([(c.get("cell_type"), source_text(c.get("source", "")), sorted(cell_tags(c))) for c in cells])


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Loading makes hundreds of thousands of small objects that form no cycles (parsed YAML, models);
    the cyclic collector would walk them again and again: a third of the check's time at 10,000
    notes. Reference counting still frees them; any cycle made meanwhile is collected afterwards.
    Afterwards they are moved to the oldest generation unscanned (freeze, then unfreeze): left in
    the youngest, the first collection would walk them all at once (0.3 s at 10,000 notes)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def collect(project: Project, sources: Sources | Path | None = None, checks: Sequence[Check] | None = None) -> tuple[Context, list[Diagnostic]]:
    """Run *checks* (default :data:`REVIEW_CHECKS`); return the context and every diagnostic, sorted."""
    ctx = Context(project, Sources.of(sources))
    found: set[Diagnostic] = set()
    with _cyclic_gc_paused():
        for check in REVIEW_CHECKS if checks is None else checks:
            found.update(check(ctx))
    return ctx, sorted(found)
