"""The review's own tests: it loads without errors, and its report matrix can be planned (every
notebook meets the parameter contract). pytest also runs every notebook top to bottom (nbval)."""

from pathlib import Path

import livingreview
from livingreview.build.plan import make_plan
from livingreview.check import CHECKS
from livingreview.loader import collect
from livingreview.project import Project

ROOT = Path(__file__).resolve().parents[1]


def test_the_review_has_no_errors():
    _, diagnostics = collect(Project(ROOT), checks=CHECKS)
    assert [d.format() for d in diagnostics if d.is_error] == []


def test_every_hypothesis_has_a_report_for_every_variant():
    review = livingreview.load(ROOT)
    targets = make_plan(Project(ROOT), review.hypotheses)
    assert len(targets) == len(review.hypotheses) * len(review.config.variants)
