"""Agreement between two reviewers: Cohen's kappa with its 95% confidence interval and the
percentage agreement, from statsmodels (the one adapter: :func:`cohens_kappa`).

The contingency table is statsmodels' ``to_table`` of the pairs, one row and column per category
in the order given (the first reviewer of each pair in rows). The interval is statsmodels'
asymptotic one (kappa ± 1.96 standard errors), cut to [-1, 1], where kappa lies. When every
decision of both reviewers is the same category, chance agreement is 1 and kappa is not defined:
:attr:`Kappa.kappa` is None then (the percentage agreement still is).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Kappa:
    """Agreement over *n* pairs of decisions."""

    n: int
    agreement: float  # observed agreement p_o, 0..1 (0 when n is 0)
    kappa: float | None  # None: not defined (no pairs, or chance agreement is 1)
    low: float | None  # the 95% confidence interval (None with kappa)
    high: float | None


def cohens_kappa(pairs: Sequence[tuple[str, str]], categories: Sequence[str]) -> Kappa:
    """Cohen's kappa of *pairs* (first reviewer's decision, second's), each one of *categories*."""
    import numpy as np
    from statsmodels.stats.inter_rater import cohens_kappa as kappa_of, to_table

    if not pairs:
        return Kappa(0, 0.0, None, None, None)
    index = {category: i for i, category in enumerate(categories)}
    table, _ = to_table(np.array([[index[a], index[b]] for a, b in pairs]), bins=len(categories))
    observed = float(np.trace(table) / len(pairs))
    rows, columns = table.sum(axis=1) / len(pairs), table.sum(axis=0) / len(pairs)
    if np.isclose(float(rows @ columns), 1.0):  # chance agreement 1: kappa is 0/0
        return Kappa(len(pairs), observed, None, None, None)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = kappa_of(table)
    low, high = (float(np.clip(v, -1.0, 1.0)) for v in (result.kappa_low, result.kappa_upp))
    return Kappa(len(pairs), observed, float(result.kappa), low, high)
