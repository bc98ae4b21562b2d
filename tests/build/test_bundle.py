"""Bundles: fixed columns, sorted rows, exact CSV and JSON bytes, written from the Selection."""

from __future__ import annotations

from first_review import VOCABULARY

from livingreview.review import evidence_columns

import json

import pandas as pd
import pytest
from build_fixtures import edit

import livingreview
from livingreview.build import bundle
from livingreview.build.plan import make_plan


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{c: row.get(c) for c in bundle.EVIDENCE_COLUMNS} for row in rows])


def test_rows_are_plain_and_sorted_naturally():
    evidence = frame([
        {"key": "doe2020", "finding_id": "f10", "direction": "supports", "patients": pd.NA, "secondary": True},
        {"key": "doe2020", "finding_id": "f2", "direction": "mixed", "patients": 12, "secondary": False},
        {"key": "abe2001", "finding_id": "f1", "direction": "neutral", "patients": float("nan"), "secondary": False},
    ])
    rows = bundle.rows(evidence, bundle.EVIDENCE_COLUMNS, sort_by=("key", "finding_id"))
    assert [(r["key"], r["finding_id"], r["patients"]) for r in rows] == [
        ("abe2001", "f1", None), ("doe2020", "f2", 12), ("doe2020", "f10", None)]
    assert list(rows[0]) == list(bundle.EVIDENCE_COLUMNS)


def test_a_selection_without_a_promised_column_is_a_bug_report():
    with pytest.raises(bundle.SelectionShapeError, match="no column.s. text"):
        bundle.rows(pd.DataFrame({"question_id": ["q-a"]}), bundle.QUESTION_COLUMNS, sort_by=("question_id",))


def test_csv_bytes():
    records = [{"question_id": "q-a", "text": 'Does "it", work?', "hypothesis": "alpha", "raised_by": ["doe2020", "roe2018"],
                "status": "open"},
               {"question_id": "q-b", "text": "Ünïcode", "hypothesis": "alpha", "raised_by": None, "status": "addressed"}]
    assert bundle.to_csv(records, bundle.QUESTION_COLUMNS) == (
        'question_id,text,hypothesis,raised_by,status\n'
        'q-a,"Does ""it"", work?",alpha,doe2020; roe2018,open\n'
        'q-b,Ünïcode,alpha,,addressed\n').encode("utf-8")
    assert bundle.csv_cell(True) == "true" and bundle.csv_cell(False) == "false" and bundle.csv_cell(3) == "3"


def test_csv_cells_a_spreadsheet_would_run_are_neutralised_and_the_json_keeps_them(fresh):
    target = make_plan(fresh, livingreview.load(fresh).hypotheses)[0]
    records = [{"question_id": "q-a", "text": '=HYPERLINK("http://example.invalid/","x")', "hypothesis": "alpha",
                "raised_by": ["-doe2020", "roe2018"], "status": "open"},
               {"question_id": "q-b", "text": "\t@SUM(1)", "hypothesis": "alpha", "raised_by": None, "status": "open"}]
    assert bundle.to_csv(records, bundle.QUESTION_COLUMNS) == (
        'question_id,text,hypothesis,raised_by,status\n'
        'q-a,"\'=HYPERLINK(""http://example.invalid/"",""x"")",alpha,\'-doe2020; roe2018,open\n'
        "q-b,'\t@SUM(1),alpha,,open\n").encode("utf-8")
    assert json.loads(bundle.to_json(bundle.QUESTIONS_SCHEMA, target, records))["rows"] == records


def test_written_bundle_of_the_tiny_project(fresh, tmp_path):
    review = livingreview.load(fresh)
    target = make_plan(fresh, review.hypotheses)[3]  # beta/pem
    made = bundle.make_bundle(review.select("beta", pem_required_only=True))
    bundle.write_bundle(tmp_path / "b", target, made)
    data = json.loads((tmp_path / "b" / "evidence.json").read_text(encoding="utf-8"))
    assert (data["schema"], data["hypothesis"], data["variant"]) == ("livingreview/evidence@1", "beta", "pem")
    assert data["parameters"]["pem_required_only"] is True
    assert [(r["key"], r["finding_id"], r["direction"], r["patients"], r["secondary"]) for r in data["rows"]] == [
        ("doe2020", "f2", "supports", 12, False), ("poe2019", "f1", "contradicts", 12, False)]
    text = (tmp_path / "b" / "evidence.json").read_bytes()
    assert text.endswith(b"}\n") and b"\r" not in text
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False).encode() + b"\n"
    csv = (tmp_path / "b" / "evidence.csv").read_text(encoding="utf-8").splitlines()
    assert csv[0] == ",".join(evidence_columns(VOCABULARY))  # the facet columns (pem, pem_basis) after criteria
    assert csv[2] == ("poe2019,f1,beta,,contradicts,observed,The beta marker was measured in poe2019.,extracted,,,"
                      '"poe2019, Journal of Examples, results",primary,false,case-control,false,ME/CFS,12,10,CCC,'
                      "required,,2019,An example cohort,,evidence")
    questions = json.loads((tmp_path / "b" / "open-questions.json").read_text(encoding="utf-8"))
    assert questions["schema"] == "livingreview/open-questions@1"
    assert questions["rows"] == [{"hypothesis": "beta", "question_id": "q-beta-dose", "raised_by": "beta",
                                  "status": "open", "text": "Which dose of the beta drug matters?"}]


def test_changing_a_notes_direction_changes_exactly_its_rows(fresh):
    before = bundle.make_bundle(livingreview.load(fresh).select("beta"))
    edit(fresh.notes_dir / "poe2019.yml", "direction: contradicts", "direction: neutral")
    after = bundle.make_bundle(livingreview.load(fresh).select("beta"))
    changed = [(old, new) for old, new in zip(before.evidence, after.evidence) if old != new]
    assert len(before.evidence) == len(after.evidence) == 2
    assert len(changed) == 1
    old, new = changed[0]
    assert (new["key"], new["finding_id"]) == ("poe2019", "f1")
    assert {c for c in bundle.EVIDENCE_COLUMNS if old[c] != new[c]} == {"direction"}
    assert (old["direction"], new["direction"]) == ("contradicts", "neutral")
    assert after.questions == before.questions


# --- effects ------------------------------------------------------------------------------------

@pytest.fixture
def effects_selection(tiny_project, monkeypatch):
    from report.report_fixtures import add_effects, extend

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    extend(tiny_project)
    add_effects(tiny_project)
    return tiny_project, livingreview.load(tiny_project.root, sources=tiny_project.sources).select("example-fatigue")


def test_effects_rows_hold_every_estimate_and_each_predictions_pooled_result(effects_selection):
    _, sel = effects_selection
    rows = bundle.make_bundle(sel).effects
    assert all(list(r) == list(bundle.EFFECT_COLUMNS) for r in rows)
    assert [(r["row"], r["prediction"], r["key"], r["drawn"]) for r in rows] == [
        ("estimate", "EX1", "doe2020", True), ("estimate", "EX1", "exampleblog2021", False),
        ("not-pooled", "EX1", ["doe2020"], None),
        ("estimate", "EX2", "poe2022", True), ("estimate", "EX2", "roe2018", True),
        ("pooled-random", "EX2", ["poe2022", "roe2018"], None), ("pooled-fixed", "EX2", ["poe2022", "roe2018"], None)]
    roe = rows[4]
    assert (roe["value"], roe["ci_low"], roe["ci_high"], roe["ci_level"], roe["p"], roe["n"], roe["total_n"],
            roe["spans_no_effect"]) == (-4.0, -7.5, -0.5, 95.0, "0.03", "drug: 20; placebo: 20", 40, False)
    assert rows[2]["reason"] == "one estimate"
    w1, w2 = 1 / 2.0**2, 1 / 3.5**2  # poe2022 and roe2018, inverse variance (SE from the 95% intervals)
    assert rows[6]["value"] == pytest.approx((w1 * -2.0 + w2 * -4.0) / (w1 + w2))
    assert (rows[5]["studies"], rows[5]["tau2"], rows[5]["i2"]) == (2, 0.0, 0.0)


def test_effects_csv_is_spreadsheet_safe_and_the_json_keeps_the_text(effects_selection, tmp_path):
    tiny, _ = effects_selection
    tiny.edit("reviews/notes/poe2022.yml", "outcome: fatigue score (invented scale)", "outcome: '=1+1 score'")
    review = livingreview.load(tiny.root, sources=tiny.sources)
    target = make_plan(tiny.project, review.hypotheses)[0]
    made = bundle.make_bundle(review.select(target.parameters))
    bundle.write_bundle(tmp_path / "b", target, made)
    first = (tmp_path / "b" / "effects.csv").read_bytes()
    lines = first.decode().splitlines()
    assert lines[0] == ",".join(bundle.EFFECT_COLUMNS)
    assert "estimate,EX2,poe2022,f1,primary,rct,true,mean difference,'=1+1 score,-2.0,-4.0,0.0,95.0,0.05,total: 30,30" in first.decode()
    data = json.loads((tmp_path / "b" / "effects.json").read_text(encoding="utf-8"))
    assert data["schema"] == "livingreview/effects@1"
    assert [r["outcome"] for r in data["rows"] if r["key"] == "poe2022"] == ["=1+1 score"]
    bundle.write_bundle(tmp_path / "c", target, bundle.make_bundle(review.select(target.parameters)))
    assert (tmp_path / "c" / "effects.csv").read_bytes() == first
    assert (tmp_path / "c" / "effects.json").read_bytes() == (tmp_path / "b" / "effects.json").read_bytes()
