"""Post-exertional malaise (PEM) status, derived from the diagnostic criteria a study states.

"PEM required" means PEM was a required inclusion criterion for the study's patients, not
that PEM was measured or discussed. It is derived, never typed: a note that types a PEM
value disagreeing with its criteria is an error (see :mod:`livingreview.notes.validate`).
"""

from __future__ import annotations

from collections.abc import Iterable

#: criteria -> does it require PEM? (None: cannot tell)
REQUIRES_PEM: dict[str, bool | None] = {
    "CCC": True,  # Canadian Consensus Criteria, 2003
    "ICC": True,  # International Consensus Criteria, 2011
    "IOM": True,  # IOM/NAM SEID criteria, 2015
    "Fukuda": False,  # CDC 1994
    "Oxford": False,  # 1991
    "other": None,
    "not stated": None,
}


def derive(criteria: Iterable[str], *, any_of: bool = False) -> str:
    """From the stated criteria: ``required`` if patients met criteria that require PEM; ``not-required``
    if every stated criterion is known not to; otherwise ``unknown`` (never guessed).

    With *any_of* (patients met any one of the listed criteria, an either/or), PEM is required only
    when every alternative requires it: one alternative that does not lets patients in without PEM."""
    verdicts = [REQUIRES_PEM[c] for c in criteria]
    if verdicts and (all(v is True for v in verdicts) if any_of else any(v is True for v in verdicts)):
        return "required"
    if verdicts and all(v is False for v in verdicts):
        return "not-required"
    if any_of and any(v is False for v in verdicts):
        return "not-required"  # an alternative that does not require PEM admits patients without it
    return "unknown"


def status(note) -> str:
    """A note's PEM status: ``required`` by an explicit inclusion rule (``pem_rule``, with its basis),
    else derived from its criteria (:func:`derive`, either/or when ``criteria_any_of``)."""
    if getattr(note, "pem_rule", None) is not None:
        return "required"
    return derive(note.criteria, any_of=getattr(note, "criteria_any_of", False))


def basis(note) -> str | None:
    """Why a note's PEM status is what it is, when an explicit inclusion rule makes it required."""
    rule = getattr(note, "pem_rule", None)
    return None if rule is None else f"PEM was an explicit inclusion rule: {rule.fact} (extracted from {rule.extracted_from})"
