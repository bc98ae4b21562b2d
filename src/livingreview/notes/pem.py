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


def derive(criteria: Iterable[str]) -> str:
    """``required`` if any stated criteria require PEM; ``not-required`` if every stated
    criterion is known not to; otherwise ``unknown`` (never guessed)."""
    verdicts = [REQUIRES_PEM[c] for c in criteria]
    if any(v is True for v in verdicts):
        return "required"
    if verdicts and all(v is False for v in verdicts):
        return "not-required"
    return "unknown"
