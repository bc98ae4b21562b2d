"""The rows and numbers behind the sections, from DataFrame cells as the Review API gives them."""

from __future__ import annotations

from first_review import VOCABULARY

from livingreview import filters

import pandas as pd

from livingreview.notes.model import Prediction
from livingreview.report.tables import (
    blank, direction_counts, dropped_reasons, evidence_records, evidence_rows, listed, population, prediction_status,
)


def test_blank_covers_every_missing_value():
    assert [blank(v) for v in (None, pd.NA, float("nan"), "", 0, "x")] == [True, True, True, False, False, False]


def test_listed_splits_joined_strings_and_keeps_lists():
    assert listed("ME/CFS; MS") == ["ME/CFS", "MS"]
    assert listed(["CCC", None]) == ["CCC"]
    assert listed(pd.NA) == []


def test_population_in_words():
    assert population(12, 10) == "12 patients, 10 controls"
    assert population(1, 0) == "1 patient, no controls"
    assert population(pd.NA, "none") == "patients: not stated, no controls"
    assert population("unknown", 1) == "patients: not stated, 1 control"


def test_records_ordered_by_year_key_and_finding_number():
    frame = pd.DataFrame({"key": ["b", "a", "a", "c"], "finding_id": ["f1", "f10", "f2", "f1"],
                          "year": pd.array([2020, 2020, 2020, None], dtype="Int64")})
    assert [(r["key"], r["finding_id"]) for r in evidence_records(frame)] == [
        ("a", "f2"), ("a", "f10"), ("b", "f1"), ("c", "f1")]


def test_paraphrase_link_only_when_the_reported_finding_is_in_the_table():
    frame = pd.DataFrame({"key": ["blog", "news"], "finding_id": ["f1", "f1"], "year": [2021, 2022],
                          "paraphrases": ["doe2020#f1", "blog#f1"]})
    rows = {r["key"]: r["paraphrases"] for r in evidence_rows(frame)}
    assert rows["blog"] == {"key": "doe2020", "finding_id": "f1", "anchor": "finding-doe2020-f1", "shown": False}
    assert rows["news"]["shown"] is True


def test_direction_counts_include_zeros_in_display_order():
    frame = pd.DataFrame({"direction": ["mixed", "supports", "mixed"]})
    assert direction_counts(frame) == {"supports": 1, "contradicts": 0, "mixed": 2, "neutral": 0}


def test_prediction_status_lists_untied_findings_last():
    predictions = [Prediction(id="EX1", statement="One."), Prediction(id="EX2", statement="Two.")]
    frame = pd.DataFrame({"prediction": ["EX1", None, "EX9"], "direction": ["supports", "neutral", "contradicts"]})
    rows = prediction_status(predictions, frame)
    assert [(r["id"], r["total"]) for r in rows] == [("EX1", 1), ("EX2", 0), (None, 2)]
    assert rows[2]["counts"] == {"supports": 0, "contradicts": 1, "mixed": 0, "neutral": 1}


def test_dropped_reasons_name_each_filter_that_left_works_out():
    dropped = {"works": 3, "findings": 5, "by": {"conditions": (1, 2), "pem": (2, 3), "years": (0, 0)}}
    assert dropped_reasons(dropped, filters.of(VOCABULARY)) == [
        {"reason": "populations that do not include the chosen condition", "works": 1, "findings": 2},
        {"reason": "diagnostic criteria not shown to require PEM (criteria that do not require it, or not stated)", "works": 2, "findings": 3},
    ]


def test_the_pdf_keeps_the_first_rows_of_each_prediction_in_the_tables_order():
    from livingreview.report.tables import pdf_cut

    rows = [{"prediction": p} for p in ["P1", "P2", "P1", None, "P1", "P2", None]]
    cut = pdf_cut(rows, 2, whole=6)
    assert [r["pdf"] for r in rows] == [True, True, True, True, False, True, True]
    assert cut == {"limit": 2, "total": 7, "shown": 6, "left_out": 1, "predictions": [
        {"id": "P1", "shown": 2, "total": 3}, {"id": "P2", "shown": 2, "total": 2}, {"id": None, "shown": 2, "total": 2}]}
    assert pdf_cut(rows, 2, whole=7)["left_out"] == 0 and all(r["pdf"] for r in rows)
    assert pdf_cut(rows)["left_out"] == 0
