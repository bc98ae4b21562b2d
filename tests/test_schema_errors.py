"""pydantic errors read the same in every file: the field as a reader names it, its line, a hint."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from livingreview import yamlio
from livingreview.schema_errors import schema_diagnostics


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^x[0-9]+$")
    size: int = Field(ge=1)
    colour: Literal["red", "green"] = "red"


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[Item]


TEXT = """\
items:
  - id: x1
    size: 0
  - id: x2
    colour: gren
    size: 2
  - id: bad
    size: 3
    shape: round
"""


def diagnostics(**kwargs):
    data = yamlio.loads(TEXT, "doc.yml")
    try:
        Doc.model_validate(data)
    except ValidationError as exc:
        return schema_diagnostics(exc, data, Doc, "doc.yml", "DOC001", **kwargs)
    raise AssertionError("the document should not validate")


def test_each_problem_names_its_line_and_the_item_by_id():
    found = {(d.line, d.field, d.message, d.hint) for d in diagnostics()}
    assert found == {
        (3, "items[x1].size", "'items[x1].size' must be at least 1 (it is 0)", None),
        (5, "items[x2].colour", "'gren' is not allowed", "did you mean 'green'?"),
        (7, "items[bad].id", "'bad' is not valid here", "write text matching ^x[0-9]+$"),
        (9, "items[bad].shape", "unknown field 'shape'", "known fields: id, size, colour"),
    }


def test_a_prefix_a_noun_and_the_words_for_a_pattern_are_the_callers():
    found = {d.message: d.hint for d in diagnostics(prefix="in the test: ", noun="setting",
                                                     patterns={r"^x[0-9]+$": "'x' then a number"})}
    assert found["in the test: unknown setting 'shape'"] == "known fields: id, size, colour"
    assert found["in the test: 'bad' is not valid here"] == "write 'x' then a number"
