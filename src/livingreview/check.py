"""``livingreview check``: a summary of loading the review (:mod:`livingreview.loader`) and of
planning its report matrix. It prints every diagnostic sorted by file and line, then a one-screen
summary. Exit status: 0 clean, 1 warnings only (under ``--strict``), 2 errors.

:data:`CHECKS` is the sequence that runs: the loader's validators (what a review must pass to
load), then the build matrix. To add a check, append a function ``(Context) -> list[Diagnostic]``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from .diagnostics import Diagnostic, Severity
from .loader import REVIEW_CHECKS, Check, Context, collect
from .notes import quotes
from .vocabulary import status
from .project import Project


def check_matrix(ctx: Context) -> list[Diagnostic]:
    """The report matrix of reviews/build.yml and its notebooks, as ``build`` plans it before any kernel."""
    from .build.plan import plan_matrix

    if ctx.config is None or ctx.vocabulary is None or ctx.hypotheses.invalid:  # already reported; cannot be planned
        return []
    return plan_matrix(ctx.project, {k: v.value for k, v in ctx.hypotheses.items()})[1]


#: the checks ``livingreview check`` runs, in order: the review's, then the build matrix and its notebooks
CHECKS: list[Check] = [*REVIEW_CHECKS, check_matrix]


def check_retractions(path: Path) -> Check:
    """The check of ``--retractions FILE``: the bibliography's works against the Retraction Watch data."""
    from .bib.retractions import RetractionsUnreadable, load
    from .synthesis.retractions import diagnostics

    def check(ctx: Context) -> list[Diagnostic]:
        try:
            data = load(path, str(path))
        except RetractionsUnreadable as exc:
            return list(exc.diagnostics)
        notes = {key: loaded.value for key, loaded in ctx.notes.items()}
        files = {key: loaded.file for key, loaded in ctx.notes.items()}
        return diagnostics(ctx.bibliography, notes, files, ctx.rules, data)

    return check


def summary(ctx: Context, diagnostics: Sequence[Diagnostic]) -> dict[str, Any]:
    notes = [n.value for n in ctx.notes.values()]
    findings = [f for n in notes for f in n.findings]
    report = ctx.quotes
    return {
        "works": len(ctx.bibliography),
        "notes": len(notes),
        "hypotheses": len(ctx.hypotheses),
        "findings": {"total": len(findings), "observed": sum(f.kind == "observed" for f in findings),
                     "inferred": sum(f.kind == "inferred" for f in findings),
                     "unsupported": sum(f.kind == "unsupported" for f in findings)},
        "quotes": {"verified": report.count("verified"), "recorded": sum(c.recorded for c in report.checks.values()),
                   "unverified": report.count("unverified"), "failed": report.count("failed")},
        "extracted": report.count("extracted"),
        "facets_unknown": {fid: {"short": facet.short, "notes": sum(status(ctx.vocabulary, fid, n) == "unknown" for n in notes)}
                           for fid, facet in (ctx.vocabulary.facets.items() if ctx.vocabulary else ())},
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
        f"findings: {f['total']} ({f['observed']} observed, {f['inferred']} inferred, {f['unsupported']} unsupported)",
        f"quotes: {q['verified']} verified{recorded}, {q['unverified']} unverified, {q['failed']} failed; "
        f"{s['extracted']} findings extracted without a quote",
        *(f"{u['short']} unknown: {u['notes']} of {_plural(s['notes'], 'note')}" for u in s["facets_unknown"].values()),
        f"{_plural(s['errors'], 'error')}, {_plural(s['warnings'], 'warning')}",
    ])


def exit_code(diagnostics: Sequence[Diagnostic], strict: bool) -> int:
    if any(d.is_error for d in diagnostics):
        return 2
    return 1 if strict and diagnostics else 0


def run(project: Project, *, sources: Path | None = None, strict: bool = False, fmt: str = "text",
        out: TextIO | None = None, retractions: Path | None = None) -> int:
    """Check everything; with *sources*, verify quotes against them and rewrite the quote record;
    with *retractions* (Crossref's Retraction Watch CSV), flag retracted and corrected works."""
    out = out or sys.stdout
    from .sources import retraction_file

    retractions = retraction_file(retractions)
    checks = CHECKS + ([check_retractions(retractions)] if retractions is not None else [])
    ctx, diagnostics = collect(project, sources, checks)
    if ctx.sources is not None and not ctx.sources.missing():
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
