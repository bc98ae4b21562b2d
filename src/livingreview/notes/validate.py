"""Rules across files: what one hypothesis or note says must agree with the bibliography,
the other hypotheses and the other notes.

=======  ==========================================================================================
code     meaning (all errors)
=======  ==========================================================================================
HYP010   a ``proposed_by`` key is not in the bibliography
HYP011   a ``related`` hypothesis does not exist
HYP012   a prediction id is used more than once (prediction ids are unique across the review)
HYP013   an open question id is used elsewhere with a different text
HYP014   a condition is not one of the review's (``reviews/vocabulary.yml``)
NOTE010  the note's key is not in the bibliography
NOTE011  a ``reports`` key is not in the bibliography
NOTE012  a finding's ``hypothesis`` does not exist
NOTE013  a finding's ``prediction`` does not exist, or belongs to another hypothesis
NOTE014  a finding's ``paraphrases`` key is not in the bibliography
NOTE015  a finding's ``paraphrases`` names a note or finding that does not exist
NOTE016  a remaining question id is used elsewhere with a different text
NOTE017  ``requires`` names a facet the review's vocabulary does not declare
NOTE018  a secondary source (news, blog, forum, atlas summary) has a randomized design
NOTE019  ``addresses`` or ``tests_questions`` names a question id that no file raises
NOTE022  a remaining question names a hypothesis (``hypotheses``) that does not exist
NOTE023  a population's condition is not one of the review's (``reviews/vocabulary.yml``)
NOTE024  a criterion is not one of the review's (``reviews/vocabulary.yml``)
=======  ==========================================================================================

References to a hypothesis or note whose own file failed to load are not reported again, nor are
conditions, criteria and facets when the vocabulary itself failed to load.
"""

from __future__ import annotations

import re
from collections.abc import Collection as Sized
from collections.abc import Iterator, Mapping
from typing import Any

from ..diagnostics import Diagnostic, closest, error
from .load import Collection, Loaded
from ..vocabulary import VOCABULARY_FILE, Vocabulary
from .model import RANDOMIZED, SECONDARY, Hypothesis, Note

_ADD = "add the entry to a bib/*.bib file (e.g. with `livingreview import`) or correct the key"


def validate(bibliography: Mapping[str, Any], hypotheses: Collection[Hypothesis], notes: Collection[Note],
             vocabulary: Vocabulary | None) -> list[Diagnostic]:
    """Every cross-file problem, sorted by file and line (*vocabulary*: None when it failed to load)."""
    out: list[Diagnostic] = []
    if vocabulary is not None:
        out += _vocabulary(vocabulary, hypotheses, notes)
    out += _citations(bibliography, hypotheses, notes)
    out += _hypothesis_links(hypotheses)
    out += _finding_targets(hypotheses, notes)
    out += _question_hypotheses(hypotheses, notes)
    out += _paraphrases(bibliography, notes)
    out += _questions(hypotheses, notes)
    out += _note_rules(notes)
    return sorted(out)


def _at(code: str, item: Loaded, loc: tuple, message: str, key: str, hint: str | None) -> Diagnostic:
    """An error at the element *loc* of *item*'s file."""
    return error(code, item.file, item.line(*loc), message, key=key, field=item.field(*loc), hint=hint)


def _missing(code: str, item: Loaded, loc: tuple, message: str, value: str, choices: Sized[str], key: str,
             otherwise: str | None = None, cutoff: float = 0.5) -> Diagnostic:
    """An error for a reference to something that does not exist, with a "did you mean" hint."""
    return _at(code, item, loc, message, key, closest(value, choices, cutoff) or otherwise)


def _missing_key(code: str, item: Loaded, loc: tuple, value: str, bib: Mapping[str, Any], key: str) -> Diagnostic:
    """A citation key that is not in the bibliography (keys differ by little: only near-identical ones are hinted)."""
    return _missing(code, item, loc, f"'{value}' is not in the bibliography", value, bib, key, _ADD, cutoff=0.8)


def _citations(bib: Mapping[str, Any], hypotheses: Collection[Hypothesis], notes: Collection[Note]) -> Iterator[Diagnostic]:
    for hyp in hypotheses.values_sorted():
        for i, key in enumerate(hyp.value.proposed_by):
            if key not in bib:
                yield _missing_key("HYP010", hyp, ("proposed_by", i), key, bib, hyp.value.id)
    for note in notes.values_sorted():
        key = note.value.key
        if key not in bib:
            yield _missing_key("NOTE010", note, ("key",), key, bib, key)
        for i, reported in enumerate(note.value.reports):
            if reported not in bib:
                yield _missing_key("NOTE011", note, ("reports", i), reported, bib, key)


def _hypothesis_links(hypotheses: Collection[Hypothesis]) -> Iterator[Diagnostic]:
    known = set(hypotheses) | hypotheses.invalid
    owner: dict[str, Loaded[Hypothesis]] = {}
    for hyp in hypotheses.values_sorted():
        hid = hyp.value.id
        for i, other in enumerate(hyp.value.related):
            if other not in known:
                yield _missing("HYP011", hyp, ("related", i), f"related hypothesis '{other}' does not exist", other, hypotheses,
                               hid, f"hypotheses: {', '.join(sorted(hypotheses))}")
        for i, prediction in enumerate(hyp.value.predictions):
            pid = prediction.id
            if pid in owner:
                yield _at("HYP012", hyp, ("predictions", i, "id"), f"prediction id '{pid}' is already used in {owner[pid].file}",
                          hid, "prediction ids are unique across the review: choose another")
            else:
                owner[pid] = hyp


def _finding_targets(hypotheses: Collection[Hypothesis], notes: Collection[Note]) -> Iterator[Diagnostic]:
    """Each finding's hypothesis exists, and its prediction is one of that hypothesis's."""
    owner = {p.id: h.value.id for h in hypotheses.values_sorted() for p in h.value.predictions}
    for note in notes.values_sorted():
        for i, finding in enumerate(note.value.findings):
            hid, pid = finding.hypothesis, finding.prediction
            if hid in hypotheses.invalid:
                continue
            if hid not in hypotheses:
                yield _missing("NOTE012", note, ("findings", i, "hypothesis"), f"hypothesis '{hid}' does not exist",
                               hid, hypotheses, note.value.key, f"hypotheses: {', '.join(sorted(hypotheses)) or 'none yet'}")
                continue
            if pid is None:
                continue
            own = [p.id for p in hypotheses[hid].value.predictions]
            loc = ("findings", i, "prediction")
            if pid not in owner:  # short ids look alike: list them rather than guess
                yield _at("NOTE013", note, loc, f"prediction '{pid}' does not exist", note.value.key,
                          f"predictions of '{hid}': {', '.join(own)}")
            elif owner[pid] != hid:
                yield _at("NOTE013", note, loc, f"prediction '{pid}' belongs to hypothesis '{owner[pid]}', not '{hid}'",
                          note.value.key, f"predictions of '{hid}': {', '.join(own)}")


def _question_hypotheses(hypotheses: Collection[Hypothesis], notes: Collection[Note]) -> Iterator[Diagnostic]:
    """Each hypothesis a note's remaining question names exists."""
    for note in notes.values_sorted():
        for i, question in enumerate(note.value.remaining_questions):
            for j, hid in enumerate(question.hypotheses):
                if hid not in hypotheses and hid not in hypotheses.invalid:
                    yield _missing("NOTE022", note, ("remaining_questions", i, "hypotheses", j),
                                   f"hypothesis '{hid}' does not exist", hid, hypotheses, note.value.key,
                                   f"hypotheses: {', '.join(sorted(hypotheses)) or 'none yet'}")


def _paraphrases(bib: Mapping[str, Any], notes: Collection[Note]) -> Iterator[Diagnostic]:
    for note in notes.values_sorted():
        for i, finding in enumerate(note.value.findings):
            if finding.paraphrases is None:
                continue
            target, fid = finding.paraphrases.split("#", 1)
            loc = ("findings", i, "paraphrases")
            me = note.value.key
            if target not in bib:
                yield _missing_key("NOTE014", note, loc, target, bib, me)
            elif target in notes.invalid:
                continue
            elif target not in notes:
                yield _at("NOTE015", note, loc, f"there is no note for '{target}'", me, f"write it first: `livingreview new {target}`")
            else:
                ids = [f.id for f in notes[target].value.findings]
                if fid not in ids:
                    yield _at("NOTE015", note, loc, f"the note for '{target}' has no finding '{fid}'", me,
                              f"its findings: {', '.join(ids) or 'none'}")


def _normal_text(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _questions(hypotheses: Collection[Hypothesis], notes: Collection[Note]) -> Iterator[Diagnostic]:
    """The same question id means the same question: its text must be the same everywhere."""
    first: dict[str, tuple[str, str]] = {}  # id -> (text, file)
    raised = [(h, "open_questions", h.value.open_questions, "HYP013", h.value.id) for h in hypotheses.values_sorted()]
    raised += [(n, "remaining_questions", n.value.remaining_questions, "NOTE016", n.value.key) for n in notes.values_sorted()]
    for item, field, questions, code, key in raised:
        for i, question in enumerate(questions):
            text = _normal_text(question.text)
            if question.id not in first:
                first[question.id] = (text, item.file)
            elif first[question.id][0] != text:
                yield _at(code, item, (field, i, "text"), f"question '{question.id}' has a different text in {first[question.id][1]}",
                          key, "the same id is the same question: copy its text, or give this question a new id")
    known = sorted(first)
    for note in notes.values_sorted():
        refs = [(("tests_questions", i), q) for i, q in enumerate(note.value.tests_questions)]
        refs += [(("findings", i, "addresses", j), q) for i, f in enumerate(note.value.findings) for j, q in enumerate(f.addresses)]
        for loc, qid in refs:
            if qid not in first:
                yield _missing("NOTE019", note, loc, f"question '{qid}' is not raised by any hypothesis or note", qid, known,
                               note.value.key, "raise it under a hypothesis's open_questions or a note's remaining_questions")


def _vocabulary(vocabulary: Vocabulary, hypotheses: Collection[Hypothesis], notes: Collection[Note]) -> Iterator[Diagnostic]:
    """Every condition, criterion and facet a hypothesis or note names is one the vocabulary declares."""
    where = f"declare it in {VOCABULARY_FILE.as_posix()}"

    def undeclared(code: str, item: Loaded, loc: tuple, what: str, value: str, declared, key: str) -> Diagnostic:
        return _missing(code, item, loc, f"{what} '{value}' is not one of the review's", value, declared, key,
                        f"{where}, or use one of: {', '.join(declared)}")

    for hyp in hypotheses.values_sorted():
        for i, condition in enumerate(hyp.value.conditions):
            if condition not in vocabulary.conditions:
                yield undeclared("HYP014", hyp, ("conditions", i), "condition", condition, vocabulary.conditions, hyp.value.id)
    for note in notes.values_sorted():
        value = note.value
        for i, condition in enumerate(value.population.conditions):
            if condition not in vocabulary.conditions:
                yield undeclared("NOTE023", note, ("population", "conditions", i), "condition", condition,
                                 vocabulary.conditions, value.key)
        for i, criterion in enumerate(value.criteria):
            if criterion not in vocabulary.criteria:
                yield undeclared("NOTE024", note, ("criteria", i), "criterion", criterion, vocabulary.criteria, value.key)
        for facet in value.requires:
            if facet not in vocabulary.facets:
                yield undeclared("NOTE017", note, ("requires", facet), "facet", facet, vocabulary.facets, value.key)


def _note_rules(notes: Collection[Note]) -> Iterator[Diagnostic]:
    for note in notes.values_sorted():
        value = note.value
        if value.source_type in SECONDARY and value.design in RANDOMIZED:
            yield _at("NOTE018", note, ("design",), f"a {value.source_type} is a secondary source; its design cannot be "
                      f"'{value.design}'", value.key, "give the design of this source itself (e.g. 'summary' or "
                      "'commentary'); the trial it reports gets its own note, listed under 'reports'")
