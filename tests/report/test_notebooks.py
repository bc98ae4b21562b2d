"""The five report notebooks as authors edit them: parameters that run as they are, fixed cell
ids, thin code cells that call livingreview.report, and a section for everything a report shows."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from first_review import ReportParameters

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SECTIONS = ["title", "hypothesis", "methods", "summary", "summary_of_findings", "evidence_table", "claim_drift", "predictions",
            "risk_of_bias", "certainty", "effects",
            "plot", "open_questions", "references", "provenance", "how_to_cite"]


def cells(path: Path):
    return nbformat.read(path, as_version=4).cells


def test_one_notebook_per_hypothesis_of_the_review():
    assert [p.stem for p in NOTEBOOKS] == ["dopamine-imbalance", "interferon-ms-fatigue", "ldn-microglia",
                                           "mitochondrial-dysfunction", "neuroinflammation"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_defaults_are_the_report_defaults(path):
    (cell,) = [c for c in cells(path) if "parameters" in c.metadata.get("tags", [])]
    assignments = ast.parse(cell.source).body
    values = {a.targets[0].id: ast.literal_eval(a.value) for a in assignments}
    assert values == ReportParameters(hypothesis=path.stem).model_dump()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_cell_ids_are_fixed_and_meaningful(path):
    ids = [c.id for c in cells(path)]
    assert len(set(ids)) == len(ids)
    assert ids[:4] == ["usage", "parameters", "load", "title"]
    assert {"evidence", "figures-design", "figures-timeline", "references", "provenance", "cite"} <= set(ids)
    # the synthesis and method sections: methods after the hypothesis, the summary of findings after the
    # counts, drift after the evidence table, risk of bias after the predictions and certainty after it
    for before, cell_id in (("hypothesis", "methods"), ("summary", "sof-intro"), ("evidence", "claim-drift"),
                            ("predictions", "risk-of-bias"), ("risk-of-bias-summary", "certainty")):
        assert ids[ids.index(before) + 1] == cell_id, path.stem


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_report_cells_are_one_or_two_calls_into_report(path):
    called = []
    for cell in cells(path):
        if cell.cell_type != "code" or cell.id in {"parameters", "load"}:
            continue
        statements = ast.parse(cell.source).body
        assert 1 <= len(statements) <= 2, cell.id
        for statement in statements:
            call = statement.value
            assert isinstance(call, ast.Call) and ast.unparse(call.func).startswith("report."), cell.id
            called.append(call.func.attr)
    assert sorted(set(called)) == sorted(SECTIONS)
