"""``livingreview check``: run every checker, print the diagnostics sorted by file and line, then a
one-screen summary. Exit status: 0 clean, 1 warnings only (under ``--strict``), 2 errors.

A checker is a function ``(Context) -> list[Diagnostic]``; :data:`CHECKS` is the sequence that
runs. The context loads each input once, on first use, so a checker asks for what it needs
(``context.notes``, ``context.bibliography``...) and later checkers reuse it. To add a check,
append a function to :data:`CHECKS`.
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TextIO

from .diagnostics import Diagnostic, Severity
from .errors import InputError
from .notes import quotes
from .notes.load import Collection, load_hypotheses, load_notes
from .notes.model import Hypothesis, Note
from .notes.pem import derive
from .notes.validate import validate
from .project import BuildConfig, Project


@dataclass
class Context:
    """What the checkers share: the project, the sources folder, and each input loaded once."""

    project: Project
    sources: Path | None = None

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

    config = property(lambda self: self._config[0])
    bibliography = property(lambda self: self._bibliography[0])
    hypotheses = property(lambda self: self._hypotheses[0])
    notes = property(lambda self: self._notes[0])

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


def check_references(ctx: Context) -> list[Diagnostic]:
    return validate(ctx.bibliography, ctx.hypotheses, ctx.notes)


def check_quotes(ctx: Context) -> list[Diagnostic]:
    return ctx.quotes.diagnostics


def check_synthesis(ctx: Context) -> list[Diagnostic]:
    """reviews/certainty.yml, the wording lint and merged question ids (see livingreview.synthesis.checks)."""
    from .synthesis.checks import check_synthesis as synthesis_checks

    return synthesis_checks(ctx)


def check_screening(ctx: Context) -> list[Diagnostic]:
    """reviews/search.yml and reviews/screening.csv (see livingreview.method.screening)."""
    from .method.screening import check as screening_check

    return screening_check(ctx.project, note_keys=set(ctx.notes) | ctx.notes.invalid, bib_keys=set(ctx.bibliography))


def check_matrix(ctx: Context) -> list[Diagnostic]:
    """The report matrix of reviews/build.yml and its notebooks, as ``build`` plans it before any kernel."""
    from .build.plan import plan_matrix

    if ctx.config is None or ctx.hypotheses.invalid:  # already reported; the matrix cannot be planned
        return []
    return plan_matrix(ctx.project, {k: v.value for k, v in ctx.hypotheses.items()})[1]


#: what a review must pass to load (``livingreview.load``, in a kernel as in the build)
REVIEW_CHECKS: list[Check] = [check_config, check_bibliography, check_hypotheses, check_notes, check_references,
                              check_quotes, check_synthesis, check_screening]
#: the checks ``livingreview check`` runs, in order: the review's, then the build matrix and its notebooks
CHECKS: list[Check] = [*REVIEW_CHECKS, check_matrix]


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


def collect(project: Project, sources: Path | None = None, checks: Sequence[Check] | None = None) -> tuple[Context, list[Diagnostic]]:
    """Run *checks* (default :data:`REVIEW_CHECKS`); return the context and every diagnostic, sorted."""
    ctx = Context(project, Path(sources) if sources is not None else None)
    found: set[Diagnostic] = set()
    with _cyclic_gc_paused():
        for check in REVIEW_CHECKS if checks is None else checks:
            found.update(check(ctx))
    return ctx, sorted(found)


def summary(ctx: Context, diagnostics: Sequence[Diagnostic]) -> dict[str, Any]:
    notes = [n.value for n in ctx.notes.values()]
    findings = [f for n in notes for f in n.findings]
    report = ctx.quotes
    return {
        "works": len(ctx.bibliography),
        "notes": len(notes),
        "hypotheses": len(ctx.hypotheses),
        "findings": {"total": len(findings), "observed": sum(f.kind == "observed" for f in findings),
                     "inferred": sum(f.kind == "inferred" for f in findings)},
        "quotes": {"verified": report.count("verified"), "recorded": sum(c.recorded for c in report.checks.values()),
                   "unverified": report.count("unverified"), "failed": report.count("failed")},
        "extracted": report.count("extracted"),
        "pem_unknown": sum(derive(n.criteria) == "unknown" for n in notes),
        "errors": sum(d.severity is Severity.ERROR for d in diagnostics),
        "warnings": sum(d.severity is Severity.WARNING for d in diagnostics),
    }


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


def format_summary(s: Mapping[str, Any]) -> str:
    f, q = s["findings"], s["quotes"]
    recorded = f" ({q['recorded']} by the record)" if q["recorded"] else ""
    return "\n".join([
        f"{_plural(s['works'], 'work')}, {_plural(s['notes'], 'note')}, {_plural(s['hypotheses'], 'hypothesis', 'hypotheses')}",
        f"findings: {f['total']} ({f['observed']} observed, {f['inferred']} inferred)",
        f"quotes: {q['verified']} verified{recorded}, {q['unverified']} unverified, {q['failed']} failed; "
        f"{s['extracted']} findings extracted without a quote",
        f"PEM unknown: {s['pem_unknown']} of {_plural(s['notes'], 'note')}",
        f"{_plural(s['errors'], 'error')}, {_plural(s['warnings'], 'warning')}",
    ])


def exit_code(diagnostics: Sequence[Diagnostic], strict: bool) -> int:
    if any(d.is_error for d in diagnostics):
        return 2
    return 1 if strict and diagnostics else 0


def run(project: Project, *, sources: Path | None = None, strict: bool = False, fmt: str = "text",
        out: TextIO | None = None) -> int:
    """Check everything; with *sources*, verify quotes against them and rewrite the quote record."""
    out = out or sys.stdout
    ctx, diagnostics = collect(project, sources, CHECKS)
    if ctx.sources is not None and ctx.sources.is_dir():
        quotes.write_record(project, ctx.quotes.record)
    code = exit_code(diagnostics, strict)
    facts = summary(ctx, diagnostics)
    if fmt == "json":
        document = {"diagnostics": [d.as_dict() for d in diagnostics], "summary": facts, "exit_code": code}
        out.write(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    else:
        for d in diagnostics:
            out.write(d.format() + "\n")
        out.write(("\n" if diagnostics else "") + format_summary(facts) + "\n")
    return code
