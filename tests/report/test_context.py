"""Which build.yml variant a selection is, and its parameters in words."""

from __future__ import annotations

from types import SimpleNamespace

from first_review import VOCABULARY, ReportParameters
from livingreview import filters
from livingreview.project import BuildConfig
from livingreview.report.context import describe_parameters, variant_of

CONFIG = BuildConfig(title="t", authors=["a"], defaults={"citation_style": "apa"}, variants=[
    {"name": "all", "title": "All studies"},
    {"name": "pem-required", "title": "PEM required", "parameters": {"pem_required_only": True}},
    {"name": "broken", "title": "A variant the build refuses", "parameters": {"conditions": "nonsense"}},
])
BASE = ReportParameters(hypothesis="h")


def with_(**values) -> ReportParameters:
    return BASE.model_copy(update=values)


def test_variant_is_found_by_its_parameters():
    assert variant_of(BASE, CONFIG).name == "all"
    assert variant_of(with_(pem_required_only=True), CONFIG).name == "pem-required"
    assert variant_of(with_(citation_style="vancouver"), CONFIG) is None
    assert variant_of(with_(conditions="MS"), CONFIG) is None


def in_words(parameters) -> list[str]:
    """The words of a selection with *parameters* in the first review (its filters: its vocabulary's)."""
    return describe_parameters(SimpleNamespace(parameters=parameters, review=SimpleNamespace(filters=filters.of(VOCABULARY))))


def test_parameters_in_words():
    assert in_words(BASE) == ["all conditions", "any diagnostic criteria", "all years", "APA references"]
    assert in_words(with_(conditions="MS", pem_required_only=True, year_from=2010, year_to=2020,
                                      citation_style="vancouver")) == [
        "MS only", "only studies whose criteria require PEM", "published 2010–2020", "Vancouver references"]
    assert in_words(with_(year_to=2015))[2] == "published 2015 or earlier"
    assert in_words(with_(year_from=2015))[2] == "published 2015 or later"
