"""Deterministic, spreadsheet-safe bytes for a table: the same DataFrame always gives the same CSV and JSON.

Every CSV under ``outputs/`` (the register here, each report's bundle through
:func:`livingreview.build.bundle.to_csv`) is written by :func:`to_csv_bytes`, so every cell passes
:func:`spreadsheet_safe`. The JSON keeps the text as it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import pandas as pd

#: what a spreadsheet takes as the start of a formula (OWASP's CSV-injection list)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: a cell that is a plain number: a spreadsheet reads it as that number and runs nothing
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: what makes a cell need quotes (RFC 4180; a lone carriage return is a line break to spreadsheets too)
_NEEDS_QUOTES = re.compile(r'[,"\n\r]')


def spreadsheet_safe(cell: str) -> str:
    """*cell* so that a spreadsheet shows it and never runs it.

    Text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single
    quote (the OWASP CSV-injection rule): ``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)``, ``-1+1``
    becomes ``'-1+1``. A cell that is a plain number (``-0.5``, ``+3``, ``-1e-3``) is left as it is,
    whether it came from a number or from text: a spreadsheet reads it as that number.
    """
    if cell.startswith(FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _text(value) -> str:
    """A cell's text: a missing value is empty, anything else as ``str`` writes it."""
    if isinstance(value, str):
        return value
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    return str(value)


def _field(cell: str) -> str:
    """*cell* as a CSV field: quoted (quotes doubled) when it holds a comma, a quote or a line break."""
    return '"' + cell.replace('"', '""') + '"' if _NEEDS_QUOTES.search(cell) else cell


def _line(cells: Iterable[str]) -> str:
    fields = [_field(c) for c in cells]
    return (",".join(fields) if fields != [""] else '""') + "\n"  # a lone empty field is not an empty line


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV, header first, no index, ``\\n`` line endings; missing values are empty; every cell
    passes :func:`spreadsheet_safe`."""
    lines = [_line(str(c) for c in frame.columns)]
    lines += [_line(spreadsheet_safe(_text(v)) for v in values) for values in frame.itertuples(index=False, name=None)]
    return "".join(lines).encode("utf-8")


def to_json_bytes(frame: pd.DataFrame) -> bytes:
    """A JSON list of row objects with sorted keys, two-space indent and a final newline; missing is null."""
    records = json.loads(frame.to_json(orient="records", force_ascii=False))
    return (json.dumps(records, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
