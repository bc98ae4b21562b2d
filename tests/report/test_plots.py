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


# --- forest plots -------------------------------------------------------------------------------

from livingreview.report.plots import FOREST_COLOURS, ForestRow, forest  # noqa: E402


def _forest(rows=None, *, ratio=False, name="forest_ex2"):
    rows = rows or [ForestRow("Roe, 2018", -4.0, -7.5, -0.5), ForestRow("Poe, 2022", -2.0, -4.0, 0.0),
                    ForestRow("Pooled (random effects)", -2.5, -4.2, -0.8, pooled=True)]
    return forest(rows, name=name, measure="odds ratio" if ratio else "mean difference", null=1.0 if ratio else 0.0,
                  ratio=ratio, caption="Invented estimates", xlabel="Mean difference: an invented score")


def test_a_forest_plot_is_the_same_svg_every_time_with_prefixed_ids_and_no_date():
    svg = _forest().svg
    assert svg == _forest().svg
    assert svg.startswith("<svg ") and "<dc:date>" not in svg and "Matplotlib v" not in svg
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    assert ids and all(i.startswith("plot-forest-ex2-") for i in ids)
    assert not set(re.findall(r'\bid="([^"]+)"', _forest(name="forest_ex1").svg)) & ids


def test_a_forest_plot_draws_estimates_the_pooled_diamond_and_the_line_of_no_effect():
    svg = _forest().svg
    assert FOREST_COLOURS["estimate"].lower() in svg.lower() and FOREST_COLOURS["pooled"].lower() in svg.lower()
    assert FOREST_COLOURS["null"].lower() in svg.lower()
    assert "Roe, 2018" in svg and "Pooled (random effects)" in svg
    without = _forest([ForestRow("Roe, 2018", -4.0, -7.5, -0.5)]).svg
    assert FOREST_COLOURS["pooled"].lower() not in without.lower()


def test_ratios_get_a_log_axis_with_plain_tick_labels():
    svg = _forest([ForestRow("Doe, 2020", 2.5, 1.2, 5.1)], ratio=True).svg
    linear = _forest([ForestRow("Doe, 2020", 2.5, 1.2, 5.1)]).svg
    assert svg != linear
    assert re.findall(r"<text[^>]*>([^<]*)</text>", svg)[:3] == ["1", "2", "5"]  # plain ticks, not 10⁰


def test_user_text_in_a_forest_plot_is_text_not_markup_or_mathematics():
    svg = _forest([ForestRow("<script>alert(1)</script> $x$", 1.0, 0.0, 2.0)]).svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "$x$" in svg  # no mathtext


def test_risk_of_bias_styles_differ_by_symbol_for_each_concern():
    from livingreview.report.plots import JUDGEMENT_STYLE
    from livingreview.synthesis.rob_tools import TOOLS

    for tool in TOOLS.values():
        by_concern = {}
        for judgement in tool.scale:
            by_concern.setdefault(tool.concern[judgement], set()).add(JUDGEMENT_STYLE[judgement][0])
        symbols = [s for group in by_concern.values() for s in group]
        assert len(symbols) == len(set(symbols)) >= len(by_concern)  # distinct symbols: readable in greyscale


#: what a user's matplotlibrc might set: none of it may reach a report's figures
USER_RC = {"axes.facecolor": "#ff0000", "lines.linewidth": 9.0, "axes.grid": True, "font.size": 20.0,
           "axes.prop_cycle": __import__("cycler").cycler(color=["#00ff00"]), "svg.fonttype": "path"}


@pytest.mark.parametrize("name", ["timeline", "direction_by_design"])
def test_a_figure_ignores_the_settings_of_the_machine_that_draws_it(evidence, name):
    import matplotlib

    plain = draw(evidence, name).svg
    with matplotlib.rc_context(USER_RC):
        assert draw(evidence, name).svg == plain


def test_a_forest_plot_ignores_the_settings_of_the_machine_that_draws_it():
    import matplotlib

    plain = _forest().svg
    with matplotlib.rc_context(USER_RC):
        assert _forest().svg == plain
