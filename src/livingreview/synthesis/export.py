"""Deterministic bytes for a table: the same DataFrame always gives the same CSV and JSON."""

from __future__ import annotations

import json

import pandas as pd


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV, header first, no index, ``\\n`` line endings; missing values are empty."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def to_json_bytes(frame: pd.DataFrame) -> bytes:
    """A JSON list of row objects with sorted keys, two-space indent and a final newline; missing is null."""
    records = json.loads(frame.to_json(orient="records", force_ascii=False))
    return (json.dumps(records, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
