"""Figures: deterministic inline SVG with ids unique to each figure, and the counts drawn."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from livingreview.report.plots import COLOURS, UnknownPlot, crosstab, draw


@pytest.fixture
def evidence():
    return pd.DataFrame({
        "design": ["rct", "case-control", "case-control", "summary"],
        "year": pd.array([2018, 2020, 2020, None], dtype="Int64"),
        "direction": ["mixed", "supports", "contradicts", "supports"],
    })


def test_same_evidence_gives_the_same_svg(evidence):
    assert draw(evidence, "timeline").svg == draw(evidence.copy(), "timeline").svg


def test_svg_is_inline_ready_without_date_or_prolog(evidence):
    svg = draw(evidence, "direction_by_design").svg
    assert svg.startswith("<svg ")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert "font-family: 'DejaVu Sans'" in svg or "DejaVu Sans" in svg


def test_ids_are_prefixed_per_figure(evidence):
    design = draw(evidence, "direction_by_design").svg
    timeline = draw(evidence, "timeline").svg
    design_ids = set(re.findall(r'\bid="([^"]+)"', design))
    timeline_ids = set(re.findall(r'\bid="([^"]+)"', timeline))
    assert design_ids and all(i.startswith("plot-direction-by-design-") for i in design_ids)
    assert all(i.startswith("plot-timeline-") for i in timeline_ids)
    references = re.findall(r'(?:url\(#|href="#)([^)"]+)', design)
    assert all(r in design_ids for r in references)


def test_direction_colours_are_drawn(evidence):
    svg = draw(evidence, "direction_by_design").svg
    for direction in ("supports", "contradicts", "mixed"):
        assert COLOURS[direction].lower() in svg.lower()
    assert COLOURS["neutral"].lower() not in svg.lower()  # no neutral finding, no neutral bar


def test_counts_behind_each_figure(evidence):
    by_design = draw(evidence, "direction_by_design").data
    assert by_design.index.tolist() == ["randomized controlled trial", "case-control", "summary"]
    assert by_design.loc["case-control"].tolist() == [1, 1, 0, 0]
    by_year = draw(evidence, "timeline").data
    assert by_year.index.tolist() == ["2018", "2020"]  # a finding without a year is not placed on the timeline
    assert by_year.loc["2020"].tolist() == [1, 1, 0, 0]


def test_crosstab_keeps_the_given_order_and_every_direction(evidence):
    table = crosstab(evidence, "design", ["summary", "rct"])
    assert table.columns.tolist() == ["supports", "contradicts", "mixed", "neutral"]
    assert table.to_dict(orient="index") == {"summary": {"supports": 1, "contradicts": 0, "mixed": 0, "neutral": 0},
                                             "rct": {"supports": 0, "contradicts": 0, "mixed": 1, "neutral": 0}}


def test_unknown_plot_is_an_error_naming_the_choices(evidence):
    with pytest.raises(UnknownPlot, match="choose one of: direction_by_design, timeline"):
        draw(evidence, "bubbles")


def test_risk_of_bias_styles_differ_by_symbol_for_each_concern():
    from livingreview.report.plots import JUDGEMENT_STYLE
    from livingreview.synthesis.rob_tools import TOOLS

    for tool in TOOLS.values():
        by_concern = {}
        for judgement in tool.scale:
            by_concern.setdefault(tool.concern[judgement], set()).add(JUDGEMENT_STYLE[judgement][0])
        symbols = [s for group in by_concern.values() for s in group]
        assert len(symbols) == len(set(symbols)) >= len(by_concern)  # distinct symbols: readable in greyscale
