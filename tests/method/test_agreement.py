from __future__ import annotations

import pytest

from livingreview.method.agreement import Kappa, cohens_kappa

CATEGORIES = ("include", "exclude")


def test_kappa_and_its_interval_match_the_hand_computed_values():
    # 10 records; first reviewer in rows, second in columns:
    #              include  exclude
    #   include       4        1
    #   exclude       1        4
    # p_o = 8/10 = 0.8; marginals 0.5/0.5 for both, so p_e = 0.5·0.5 + 0.5·0.5 = 0.5
    # kappa = (0.8 − 0.5) / (1 − 0.5) = 0.6
    # variance (Fleiss, Cohen & Everitt 1969, as statsmodels computes it):
    #   A = Σ p_ii (1 − (r_i + c_i)(1 − κ))² = 2 · 0.4 · (1 − 1 · 0.4)² = 0.288
    #   B = (1 − κ)² Σ_{i≠j} p_ij (c_i + r_j)² = 0.16 · 2 · 0.1 · 1² = 0.032
    #   C = (κ − p_e (1 − κ))² = (0.6 − 0.2)² = 0.16
    #   var = (A + B − C) / (1 − p_e)² / n = 0.16 / 0.25 / 10 = 0.064; se = 0.25298
    # 95% CI = 0.6 ± 1.95996 · 0.25298 = [0.10417, 1.09583], cut to [0.10417, 1]
    pairs = [("include", "include")] * 4 + [("include", "exclude"), ("exclude", "include")] + [("exclude", "exclude")] * 4
    found = cohens_kappa(pairs, CATEGORIES)
    assert (found.n, found.agreement) == (10, pytest.approx(0.8))
    assert found.kappa == pytest.approx(0.6)
    assert found.low == pytest.approx(0.6 - 1.959964 * 0.064 ** 0.5, abs=1e-5)
    assert found.high == 1.0


def test_the_order_of_categories_does_not_change_kappa():
    pairs = [("include", "include"), ("include", "exclude"), ("exclude", "exclude"), ("include", "include")]
    assert cohens_kappa(pairs, CATEGORIES) == cohens_kappa(pairs, tuple(reversed(CATEGORIES)))


def test_every_decision_alike_leaves_kappa_undefined_without_a_warning(recwarn):
    # p_o = 1 and p_e = 1: kappa = 0/0
    assert cohens_kappa([("include", "include")] * 3, CATEGORIES) == Kappa(3, 1.0, None, None, None)
    assert not recwarn.list


def test_no_pairs_no_kappa():
    assert cohens_kappa([], CATEGORIES) == Kappa(0, 0.0, None, None, None)


def test_a_category_neither_reviewer_used_changes_nothing():
    pairs = [("include", "include"), ("include", "exclude"), ("exclude", "exclude")]
    assert cohens_kappa(pairs, CATEGORIES) == cohens_kappa(pairs, (*CATEGORIES, "not-retrieved"))
