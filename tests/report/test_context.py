"""Which build.yml variant a selection is, and its parameters in words."""

from __future__ import annotations

from livingreview.project import BuildConfig
from livingreview.report.context import describe_parameters, is_filtered, variant_of

CONFIG = BuildConfig(title="t", authors=["a"], defaults={"citation_style": "apa"}, variants=[
    {"name": "all", "title": "All studies"},
    {"name": "pem-required", "title": "PEM required", "parameters": {"pem_required_only": True}},
])
BASE = {"hypothesis": "h", "conditions": "all", "pem_required_only": False, "year_from": None, "year_to": None,
        "citation_style": "apa"}


def test_variant_is_found_by_its_parameters():
    assert variant_of(BASE, CONFIG).name == "all"
    assert variant_of({**BASE, "pem_required_only": True}, CONFIG).name == "pem-required"
    assert variant_of({**BASE, "citation_style": "vancouver"}, CONFIG) is None
    assert variant_of({**BASE, "conditions": "nonsense"}, CONFIG) is None


def test_parameters_in_words():
    assert describe_parameters(BASE) == ["all conditions", "any diagnostic criteria", "all years", "APA references"]
    assert describe_parameters({**BASE, "conditions": "MS", "pem_required_only": True, "year_from": 2010,
                                "year_to": 2020, "citation_style": "vancouver"}) == [
        "MS only", "only studies whose criteria require PEM", "published 2010–2020", "Vancouver references"]
    assert describe_parameters({**BASE, "year_to": 2015})[2] == "published 2015 or earlier"


def test_filtered_when_any_filter_is_set():
    assert not is_filtered(BASE)
    assert is_filtered({**BASE, "year_to": 2015})
    assert is_filtered({**BASE, "conditions": "FM"})
