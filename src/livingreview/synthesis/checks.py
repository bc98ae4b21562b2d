"""What ``livingreview check`` asks of synthesis: the rules file, the wording lint, and questions
that the register merges.

=======  ========  ==========================================================================
code     severity  meaning
=======  ========  ==========================================================================
CERT001  error     ``reviews/certainty.yml`` is missing or breaks its schema (see :mod:`.rules`)
CERT002  error     an indirectness flag names a finding that no note has
CERT003  error     a publication-bias suspicion or an upgrade names a prediction no hypothesis has
CERT004  error     the indirectness rule's ``required_for`` names a facet or condition the vocabulary does not declare
LINT001  warning   causal wording in a note's own words (see :mod:`.wording`)
LINT002  error     a non-randomized note with findings has an empty ``does_not_prove``
LINT003  warning   causal wording in a report notebook's prose (see :mod:`.wording`)
QUES001  warning   two question ids have the same text; the register lists them as one
=======  ========  ==========================================================================
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..diagnostics import Diagnostic, closest, error, warning
from ..schema_errors import field_path
from .questions import register_rows
from .rules import RULES_FILE, Rules
from .wording import lint, lint_prose


def _value(item):
    """The model of a loader record (``Loaded.value``), or the model itself."""
    return getattr(item, "value", item)


def unknown_flags(rules: Rules, notes: Mapping) -> list[Diagnostic]:
    """CERT002 for each indirectness flag whose ``<key>#f<n>`` is not a finding of a note."""
    findings = {f"{key}#{f.id}" for key, note in notes.items() for f in _value(note).findings}
    return [error("CERT002", RULES_FILE.as_posix(), rules.flag_line(flag.finding),
                  f"the indirectness flag names '{flag.finding}', which is not a finding of any note",
                  field="downgrades.indirectness.flags", hint="write <citation key>#<finding id>, e.g. 'doe2020#f1'")
            for flag in rules.downgrades.indirectness.flags if flag.finding not in findings]


def unknown_predictions(rules: Rules, hypotheses: Mapping) -> list[Diagnostic]:
    """CERT003 for each suspicion or upgrade whose prediction id no hypothesis lists."""
    known = sorted({p.id for h in hypotheses.values() for p in _value(h).predictions})
    return [error("CERT003", RULES_FILE.as_posix(), line, f"'{prediction}' is not a prediction of any hypothesis",
                  field=where, hint=closest(prediction, known) or f"predictions: {', '.join(known)}")
            for where, prediction, line in rules.prediction_flags() if prediction not in known]


def _raised(hypotheses: Mapping, notes: Mapping) -> Iterator[tuple[str, object, tuple]]:
    """(question id, loader record, location) of every raised question, hypotheses first."""
    for hid in sorted(hypotheses):
        for i, question in enumerate(_value(hypotheses[hid]).open_questions):
            yield question.id, hypotheses[hid], ("open_questions", i, "id")
    for key in sorted(notes):
        for i, question in enumerate(_value(notes[key]).remaining_questions):
            yield question.id, notes[key], ("remaining_questions", i, "id")


def merged_questions(hypotheses: Mapping, notes: Mapping) -> list[Diagnostic]:
    """QUES001 where a question id has the same text as another id, at the first place it is raised.

    Takes the loader's records (with ``file`` and ``line``)."""
    rows = register_rows({k: _value(v) for k, v in hypotheses.items()}, {k: _value(v) for k, v in notes.items()})
    kept = {other: row["question_id"] for row in rows for other in row["merged"].split("; ") if other}
    out, seen = [], set()
    for qid, item, loc in _raised(hypotheses, notes):
        if qid in kept and qid not in seen:
            seen.add(qid)
            out.append(warning("QUES001", item.file, item.line(*loc),
                               f"question '{qid}' has the same text as '{kept[qid]}'; the register lists them as one, "
                               f"under '{kept[qid]}'", key=qid, field=field_path(loc, item.data),
                               hint=f"use the id '{kept[qid]}' for this question"))
    return out


def undeclared_terms(rules: Rules, vocabulary) -> list[Diagnostic]:
    """CERT004 for each facet or condition of ``downgrades.indirectness.required_for`` that the review's
    vocabulary does not declare (nothing when the vocabulary itself failed to load)."""
    if vocabulary is None:
        return []
    out = []
    field = "downgrades.indirectness.required_for"
    for facet, conditions in rules.downgrades.indirectness.required_for.items():
        line = rules.required_line(facet)
        if facet not in vocabulary.facets:
            out.append(error("CERT004", RULES_FILE.as_posix(), line, f"'{facet}' is not a facet of the review's vocabulary",
                             field=f"{field}.{facet}", hint=closest(facet, vocabulary.facets)
                             or f"facets: {', '.join(vocabulary.facets) or 'none declared'} (reviews/vocabulary.yml)"))
        out += [error("CERT004", RULES_FILE.as_posix(), line, f"'{condition}' is not a condition of the review's vocabulary",
                      field=f"{field}.{facet}", hint=closest(condition, vocabulary.conditions)
                      or f"conditions: {', '.join(vocabulary.conditions)} (reviews/vocabulary.yml)")
                for condition in conditions if condition not in vocabulary.conditions]
    return out


def check_synthesis(ctx) -> list[Diagnostic]:
    """The synthesis checks for ``livingreview check`` (a ``Context`` with project, hypotheses and notes)."""
    out = merged_questions(ctx.hypotheses, ctx.notes)
    rules, problems = ctx._rules
    if rules is None:
        return out + problems
    return (out + lint(ctx.notes, rules.wording) + lint_prose(ctx.documents, rules.wording) + unknown_flags(rules, ctx.notes)
            + unknown_predictions(rules, ctx.hypotheses) + undeclared_terms(rules, ctx.vocabulary))
