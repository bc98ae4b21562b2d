"""The first review's vocabulary and the report parameters it gives, for tests that build parameters
without loading a project (the fixtures' notes use its conditions, criteria and PEM facet)."""

from __future__ import annotations

from pathlib import Path

from livingreview import yamlio
from livingreview.project import parameters_model
from livingreview.vocabulary import parse

VOCABULARY_FILE = Path(__file__).resolve().parents[1] / "reviews" / "vocabulary.yml"
VOCABULARY = parse(yamlio.loads(VOCABULARY_FILE.read_text(encoding="utf-8"), "reviews/vocabulary.yml"))
#: the typed report parameters of the first review
ReportParameters = parameters_model(VOCABULARY)
