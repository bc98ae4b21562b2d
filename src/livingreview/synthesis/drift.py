"""Claim drift: where a finding that reports another work's finding says something different.

A person decides what is compared: a finding names the finding it reports with
``paraphrases: "<key>#f<n>"`` (usually a secondary source reporting a primary study). For each such
link whose target exists, the two are compared on:

* ``population`` — the conditions of the reporting note against those of the reported note;
* ``n`` — the reporter's ``stated.n`` against the reported finding's ``stated.n``, its note's
  number of patients, or patients plus controls (any of them matches);
* ``outcome`` — both ``stated.outcome`` texts, when both are given;
* ``direction`` — the two findings' directions;
* ``numbers`` — every number in the reporter's ``stated.numbers`` must appear among the reported
  note's stated numbers (any of its findings), written alike up to spacing, case and "percent".

Nothing is judged: each difference is listed with what each side says.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping

import pandas as pd

from ..notes.model import Finding, Note
from .questions import comparison_form

ASPECTS = ("population", "n", "outcome", "direction", "numbers")


@dataclasses.dataclass(frozen=True)
class Drift:
    secondary_key: str
    secondary_finding: str
    primary_key: str
    primary_finding: str
    aspect: str
    secondary_says: str
    primary_says: str


COLUMNS = [f.name for f in dataclasses.fields(Drift)]


def shown(drifts: list[Drift], notes: Mapping[str, Note], kept: Mapping[str, Note], hypothesis: str) -> list[Drift]:
    """The differences a report on *hypothesis* that keeps *kept* shows: those with either side kept,
    where either finding bears on the hypothesis (the other side may be outside the selection)."""
    def about(key: str, finding_id: str) -> str:
        return next(f.hypothesis for f in notes[key].findings if f.id == finding_id)

    return [d for d in drifts
            if (d.secondary_key in kept or d.primary_key in kept)
            and hypothesis in {about(d.secondary_key, d.secondary_finding), about(d.primary_key, d.primary_finding)}]


@dataclasses.dataclass(frozen=True)
class _Pair:
    secondary: Note
    finding: Finding
    primary: Note
    target: Finding


def compare(notes: Mapping[str, Note]) -> list[Drift]:
    """Every difference between a finding with ``paraphrases`` and the finding it names, in note-key order."""
    out = []
    for key in sorted(notes):
        for finding in notes[key].findings:
            pair = _pair(notes, notes[key], finding)
            if pair is None:
                continue
            for aspect, check in zip(ASPECTS, CHECKS):
                said = check(pair)
                if said is not None:
                    out.append(Drift(key, finding.id, pair.primary.key, pair.target.id, aspect, *said))
    return out


def drift_frame(drifts: list[Drift]) -> pd.DataFrame:
    """The drifts as a table with columns ``COLUMNS`` (empty, with those columns, when there are none)."""
    return pd.DataFrame([dataclasses.asdict(d) for d in drifts], columns=COLUMNS)


def _pair(notes: Mapping[str, Note], note: Note, finding: Finding) -> _Pair | None:
    if not finding.paraphrases:
        return None
    key, finding_id = finding.paraphrases.rsplit("#", 1)
    primary = notes.get(key)
    target = next((f for f in primary.findings if f.id == finding_id), None) if primary else None
    return _Pair(note, finding, primary, target) if target else None


def _population(pair: _Pair) -> tuple[str, str] | None:
    said, source = pair.secondary.population.conditions, pair.primary.population.conditions
    if set(said) == set(source):
        return None
    return _with_stated("; ".join(sorted(said)), pair.finding), _with_stated("; ".join(sorted(source)), pair.target)


def _with_stated(conditions: str, finding: Finding) -> str:
    stated = finding.stated.population if finding.stated else None
    return f"{conditions} (stated: {stated})" if stated else conditions


def _n(pair: _Pair) -> tuple[str, str] | None:
    said = pair.finding.stated.n if pair.finding.stated else None
    if said is None:
        return None
    population = pair.primary.population
    stated = pair.target.stated.n if pair.target.stated else None
    candidates = {stated, population.patients}
    if isinstance(population.patients, int) and isinstance(population.controls, int):
        candidates.add(population.patients + population.controls)
    if said in candidates:
        return None
    parts = [f"stated n = {stated}"] if stated is not None else []
    if isinstance(population.patients, int):
        parts.append(f"{population.patients} patients, {_controls(population.controls)}")
    return f"n = {said}", "; ".join(parts) or "not stated"


def _controls(controls: int | str) -> str:
    return f"{controls} controls" if isinstance(controls, int) else "no controls" if controls == "none" else "controls not stated"


def _outcome(pair: _Pair) -> tuple[str, str] | None:
    said = pair.finding.stated.outcome if pair.finding.stated else None
    source = pair.target.stated.outcome if pair.target.stated else None
    if said is None or source is None or comparison_form(said) == comparison_form(source):
        return None
    return said, source


def _direction(pair: _Pair) -> tuple[str, str] | None:
    if pair.finding.direction == pair.target.direction:
        return None
    return pair.finding.direction, pair.target.direction


def number_form(number: str) -> str:
    """How two written numbers are compared: no spaces, case-folded, "percent" as %, ASCII minus and point."""
    text = number.casefold().replace("per cent", "%").replace("percent", "%")
    text = text.replace("\u2212", "-").replace("\u00b7", ".")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    return re.sub(r"\s+", "", text)


def _numbers(pair: _Pair) -> tuple[str, str] | None:
    said = pair.finding.stated.numbers if pair.finding.stated else []
    source = [n for f in pair.primary.findings if f.stated for n in f.stated.numbers]
    known = {number_form(n) for n in source}
    missing = [n for n in said if number_form(n) not in known]
    if not missing:
        return None
    return ", ".join(missing), ", ".join(source) or "no numbers stated"


CHECKS: tuple[Callable[[_Pair], tuple[str, str] | None], ...] = (_population, _n, _outcome, _direction, _numbers)
