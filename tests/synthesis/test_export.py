from __future__ import annotations

import pandas as pd

from livingreview.synthesis.export import to_csv_bytes, to_json_bytes


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
