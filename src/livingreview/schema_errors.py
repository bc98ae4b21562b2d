"""pydantic's validation errors as diagnostics: one per problem, at the line of the value,
named as a reader names the field (``findings[f2].stated.n``), with a hint (the closest known
field or value, the allowed values, the field's description).

Every file validated with pydantic (notes, hypotheses, build.yml, certainty.yml, search.yml, report
parameters) reports its errors through :func:`schema_diagnostics`, so a mistake reads the same in each.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from . import yamlio
from .diagnostics import Diagnostic, closest, error

#: what a pydantic type error expected, in words
EXPECTED: dict[str, str] = {
    "int_type": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "float_type": "a number",
    "finite_number": "a number",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "dict_type": "a mapping of fields",
}


#: how a message says a number's bound, by pydantic's error type
_BOUNDS = {"greater_than": "more than", "greater_than_equal": "at least", "less_than": "less than",
           "less_than_equal": "at most"}


class FieldProblem(ValueError):
    """A rule of a model broken at one of its fields: the diagnostic names that field and its line
    (``findings[f1].estimate.ci``) rather than the model's."""

    def __init__(self, field: str | tuple[str, ...], message: str, hint: str | None = None):
        super().__init__(message)
        self.field = field
        self.hint = hint


def schema_diagnostics(exc: ValidationError, data: Any, model: type[BaseModel], file: str, code: str,
                       key: str | None = None, *, patterns: Mapping[str, str] = {},
                       prefix: str = "", noun: str = "field") -> list[Diagnostic]:
    """One diagnostic per problem: errors at the same place (the members of a union) are merged."""
    grouped: dict[tuple, list[dict]] = {}
    for err in exc.errors(include_url=False):
        loc = _data_loc(data, err["loc"])
        problem = err.get("ctx", {}).get("error")
        if isinstance(problem, FieldProblem):  # a model's rule broken at one of its fields: name that field
            loc = (*loc, *(problem.field if isinstance(problem.field, tuple) else (problem.field,)))
        grouped.setdefault(loc, []).append(err)
    out = []
    for loc, errs in grouped.items():
        message, hint = _describe(loc, errs, data, model, patterns, noun)
        out.append(error(code, file, yamlio.line_of(data, loc), prefix + message, key=key, field=field_path(loc, data) or None, hint=hint))
    return out


def _data_loc(data: Any, loc: tuple) -> tuple:
    """*loc* without pydantic's union-member tags: the steps that address the data."""
    out, node = [], data
    for step in loc:
        if isinstance(node, dict) and isinstance(step, str):
            out.append(step)
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int):
            out.append(step)
            node = node[step] if 0 <= step < len(node) else None
        else:
            break
    return tuple(out)


def field_path(loc: tuple, data: Any) -> str:
    """``findings[f2].stated.n``: list items by their ``id`` where they have one, else by index."""
    text, node = "", data
    for step in loc:
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and 0 <= step < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            text += f"[{ident}]" if isinstance(ident, str) else f"[{step}]"
            node = item
        else:
            text += f".{step}" if text else step
            node = node.get(step) if isinstance(node, dict) else None
    return text


def _describe(loc: tuple, errs: list[dict], data: Any, model: type[BaseModel],
              patterns: Mapping[str, str], noun: str) -> tuple[str, str | None]:
    """Message and hint for the errors at one place."""
    err = errs[0]
    kind = err["type"]
    name = str(loc[-1]) if loc else ""
    where = field_path(loc, data)
    value = err.get("input")
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        computed = getattr(parent, "COMPUTED", {})  # fields a model works out itself: {name: hint}
        if name in computed:
            return f"'{name}' is computed, never typed", computed[name]
        known = _names(parent)
        return f"unknown {noun} '{name}'", closest(name, known) or f"known fields: {', '.join(known)}"
    if kind == "missing":
        return f"'{where}' is missing", _field_hint(model, loc)
    if kind == "value_error":
        problem = err.get("ctx", {}).get("error")
        return str(err["msg"]).removeprefix("Value error, "), getattr(problem, "hint", None)
    if value is None and _is_required(model, loc):
        return f"'{where}' is empty", _field_hint(model, loc)
    if kind == "string_pattern_mismatch":
        pattern = err["ctx"]["pattern"]
        return f"'{value}' is not valid here", f"write {patterns.get(pattern, f'text matching {pattern}')}"
    if kind == "too_short":
        least = err["ctx"]["min_length"]
        return f"'{where}' needs at least {'one item' if least == 1 else f'{least} items'}", _field_hint(model, loc)
    if kind == "string_too_short":
        return f"'{where}' is empty", _field_hint(model, loc)
    if kind in _BOUNDS:
        words, limit = _BOUNDS[kind], next(iter(err["ctx"].values()))
        limit = int(limit) if isinstance(limit, float) and limit.is_integer() else limit
        if kind == "greater_than_equal" and limit == 0:
            return f"'{where}' cannot be negative (it is {shown(value)})", None
        return f"'{where}' must be {words} {limit} (it is {shown(value)})", _field_hint(model, loc)
    if kind == "string_type" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"expected text, got {shown(value)}", f"write it in quotes to keep it as written, e.g. '{value}'"
    if kind == "string_too_long":
        return (f"{len(value)} characters long, at most {err['ctx']['max_length']} are allowed",
                "quote the shortest passage that carries the finding")
    choices = [c for e in errs if e["type"] == "literal_error" for c in _literal_choices(e)]
    wanted = [EXPECTED[e["type"]] for e in errs if e["type"] in EXPECTED] + [repr(c) for c in choices]
    if choices and len(wanted) == len(choices):  # a plain enumeration
        hint = closest(str(value), choices) if isinstance(value, str) else None
        return f"{shown(value)} is not allowed", hint or f"one of: {', '.join(choices)}"
    if wanted:
        return f"expected {' or '.join(wanted)}, got {shown(value)}", None
    return str(err["msg"]), None


def _literal_choices(err: dict) -> list[str]:
    """The allowed values of a literal error (pydantic lists them as "'a', 'b' or 'c'")."""
    expected = err.get("ctx", {}).get("expected", "")
    return [part.strip().strip("'") for part in expected.replace(" or ", ", ").split(", ") if part.strip()]


def shown(value: Any) -> str:
    """A value as a message shows it: scalars as written (shortened), containers by kind."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _names(model: type[BaseModel]) -> list[str]:
    """The field names of *model* as a file writes them (an alias where the field has one)."""
    return [info.alias or name for name, info in model.model_fields.items()]


def _field_info(model: type[BaseModel], loc: tuple):
    parent = _model_at(model, loc[:-1])
    return parent.model_fields.get(str(loc[-1])) if loc else None


def _is_required(model: type[BaseModel], loc: tuple) -> bool:
    info = _field_info(model, loc)
    return bool(info and info.is_required())


def _field_hint(model: type[BaseModel], loc: tuple) -> str | None:
    info = _field_info(model, loc)
    if info is None:
        return None
    choices = _annotation_literals(info.annotation)
    if choices:
        return f"one of: {', '.join(choices)}"
    inner = _inner_model(info.annotation)
    if inner is not None and info.description is None:
        return f"a mapping with: {', '.join(_names(inner))}"
    return info.description


def _annotation_literals(annotation: Any) -> list[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return [str(a) for a in typing.get_args(annotation)]
    return [c for arg in typing.get_args(annotation) for c in _annotation_literals(arg)]


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel]:
    """The model class that holds the field at *loc* (list indexes are stepped over)."""
    for step in loc:
        if isinstance(step, int):
            continue
        info = model.model_fields.get(step)
        inner = _inner_model(info.annotation) if info else None
        if inner is None:
            break
        model = inner
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None
