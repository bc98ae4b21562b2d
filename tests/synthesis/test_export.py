"""Table bytes: fixed CSV and JSON; every CSV cell a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from livingreview.synthesis.export import spreadsheet_safe, to_csv_bytes, to_json_bytes


def frame():
    return pd.DataFrame({"b": ["x, y", "é"], "a": pd.array([1, None], dtype="Int64")})


def test_csv_bytes_are_plain_and_fixed():
    assert to_csv_bytes(frame()) == 'b,a\n"x, y",1\né,\n'.encode("utf-8")


def test_json_bytes_sort_keys_and_write_null_for_missing():
    assert to_json_bytes(frame()) == (
        '[\n  {\n    "a": 1,\n    "b": "x, y"\n  },\n  {\n    "a": null,\n    "b": "é"\n  }\n]\n'
    ).encode("utf-8")


def test_an_empty_frame_gives_a_header_and_an_empty_list():
    empty = pd.DataFrame(columns=["a", "b"])
    assert (to_csv_bytes(empty), to_json_bytes(empty)) == (b"a,b\n", b"[]\n")


@pytest.mark.parametrize("text", ['=HYPERLINK("http://example.invalid/","x")', "+1+1", "-1+1", "@SUM(1)", "\t=1", "\r=1",
                                  "-", "- a list item", "-0.5 or less", "+ 3"])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["-0.5", "+3", "-12", "-1e-3", "+.5", "0", "plain text", "", "'=already text", " =1", "a=1"])
def test_plain_numbers_and_other_text_are_left_as_they_are(text):
    assert spreadsheet_safe(text) == text


def test_every_text_cell_is_neutralised_numbers_are_not_and_the_json_keeps_the_text():
    table = pd.DataFrame({"text": ["=1+1", "-1+1", "\tx", "\rx", "a\rb", "-0.5"],
                          "number": [-0.5, 1.0, -2.0, None, 3.5, 0.0]})
    assert to_csv_bytes(table) == (
        "text,number\n"
        "'=1+1,-0.5\n"
        "'-1+1,1.0\n"
        "'\tx,-2.0\n"
        "\"'\rx\",\n"     # a carriage return is a line break to a spreadsheet: the cell is quoted
        "\"a\rb\",3.5\n"
        "-0.5,0.0\n").encode("utf-8")
    assert [row["text"] for row in json.loads(to_json_bytes(table))] == ["=1+1", "-1+1", "\tx", "\rx", "a\rb", "-0.5"]


def test_a_lone_empty_cell_is_written_as_an_empty_quoted_field():
    assert to_csv_bytes(pd.DataFrame({"a": ["", "x"]})) == b'a\n""\nx\n'
