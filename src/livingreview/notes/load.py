"""Load ``reviews/hypotheses/*.yml`` and ``reviews/notes/*.yml`` into typed models that remember
where they came from (file and line), turning every schema error into a :class:`Diagnostic`.

Per-file rules only (the pydantic models); rules across files are in :mod:`.validate`.

=======  ========  ==========================================================================
code     severity  meaning
=======  ========  ==========================================================================
HYP001   error     a hypothesis file breaks the schema (unknown field, wrong type, bad value)
HYP002   error     two hypothesis files declare the same id
HYP003   warning   a hypothesis file is not named ``<id>.yml``
NOTE001  error     a note file breaks the schema
NOTE002  error     a note file is not named ``<key>.yml``
NOTE003  error     two note files declare the same key
YAML00x  error     the file is not plain YAML (see :mod:`livingreview.yamlio`)
FILE00x  error     the file or its folder is not read: outside the project, not a regular file,
                   too large (see :mod:`livingreview.textfile`)
=======  ========  ==========================================================================
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from .. import textfile, yamlio
from ..diagnostics import Diagnostic, closest, error, warning
from ..project import Project
from .model import FINDING_REF, ID, KEY, Hypothesis, Note

M = TypeVar("M", bound=BaseModel)

#: what a regular expression in the schema asks for, in words (for messages)
PATTERNS: dict[str, str] = {
    ID: "lower-case letters, digits and hyphens, e.g. 'dopamine-imbalance'",
    KEY: "a citation key: letters, digits and _ : . -",
    r"^[A-Z][A-Z0-9]*-?[0-9]+$": "capital letters then a number, e.g. 'DA1'",
    r"^q-[a-z0-9-]+$": "'q-' then lower-case letters, digits and hyphens, e.g. 'q-dose-response'",
    r"^f[0-9]+$": "'f' then a number, e.g. 'f1'",
    FINDING_REF: "'<citation key>#<finding id>', e.g. 'Doe2020#f1'",
}

#: what a pydantic type error expected, in words
EXPECTED: dict[str, str] = {
    "int_type": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "dict_type": "a mapping of fields",
}


@dataclass(frozen=True, slots=True)
class Loaded(Generic[M]):
    """A validated model with its project-relative file and the raw data (which knows its lines)."""

    value: M
    file: str
    data: Any
    sha256: str | None = None  # of the file's bytes as read (None: not read from a file)

    def line(self, *loc: str | int) -> int | None:
        """The 1-based line of the element at *loc*, e.g. ``line("findings", 0, "prediction")``."""
        return yamlio.line_of(self.data, loc)

    def field(self, *loc: str | int) -> str:
        """*loc* as messages name it, e.g. ``findings[f1].prediction``."""
        return field_path(loc, self.data)


class Collection(dict[str, Loaded[M]]):
    """id/key -> :class:`Loaded`; ``invalid`` holds the ids of files that did not load, so
    cross-file checks do not report references to them a second time."""

    invalid: frozenset[str]

    def __init__(self, items: dict[str, Loaded[M]], invalid: Iterable[str] = ()):
        super().__init__(items)
        self.invalid = frozenset(invalid)

    def values_sorted(self) -> Iterator[Loaded[M]]:
        for name in sorted(self):
            yield self[name]


@dataclass(frozen=True)
class _Kind:
    """What differs between loading hypotheses and loading notes."""

    noun: str
    subject: str  # how a message names one, e.g. "the note for '{}'"
    model: type[BaseModel]
    id_field: str
    schema_code: str
    name_code: str  # the file is not named <id>.yml
    name_severity: Callable[..., Diagnostic]
    duplicate_code: str


_HYPOTHESES = _Kind("hypothesis", "hypothesis '{}'", Hypothesis, "id", "HYP001", "HYP003", warning, "HYP002")
_NOTES = _Kind("note", "the note for '{}'", Note, "key", "NOTE001", "NOTE002", error, "NOTE003")


def load_hypotheses(project: Project) -> tuple[Collection[Hypothesis], list[Diagnostic]]:
    """Every ``reviews/hypotheses/*.yml``, by hypothesis id."""
    return _load_all(project, project.hypotheses_dir, _HYPOTHESES)


def load_notes(project: Project) -> tuple[Collection[Note], list[Diagnostic]]:
    """Every ``reviews/notes/*.yml``, by citation key (the file name must be the key)."""
    return _load_all(project, project.notes_dir, _NOTES)


def _load_all(project: Project, folder: Path, kind: _Kind) -> tuple[Collection, list[Diagnostic]]:
    items: dict[str, Loaded] = {}
    invalid, out = set(), []
    named = project.rel(folder)  # once per folder: resolving each file's path costs more than validating it
    try:
        entries = textfile.listing(folder, ".yml", project.file_scope, file=named)
    except textfile.FileRefused as exc:  # the folder is a link out of the project
        return Collection(items), list(exc.diagnostics)
    for path, ident, loaded, diags in _load_folder(project, named, entries, kind.model, kind.schema_code, kind.id_field):
        out += diags
        if loaded is None:
            invalid.add(ident)
            continue
        where = dict(key=ident, field=kind.id_field)
        line = loaded.line(kind.id_field)
        if path.stem != ident:
            out.append(kind.name_severity(
                kind.name_code, loaded.file, line, f"{kind.subject.format(ident)} is in '{path.name}'",
                hint=f"a {kind.noun}'s file name is its {kind.id_field}: rename it to {named}/{ident}.yml", **where))
        if ident in items:
            out.append(error(kind.duplicate_code, loaded.file, line, f"{kind.id_field} '{ident}' is already used by "
                             f"{items[ident].file}", hint=f"give each {kind.noun} its own {kind.id_field}", **where))
            continue
        items[ident] = loaded
    return Collection(items, invalid), out


def _load_folder(project: Project, where: str, entries: list[textfile.Listed], model: type[M], code: str, id_field: str):
    """Yield ``(path, id, Loaded | None, diagnostics)`` for each entry of the folder *where*, in name order.

    The id is the one the file declares, or its file name when it declares none."""
    scope = project.file_scope
    for entry in entries:
        path = entry.path
        file = f"{where}/{path.name}"
        try:
            data, digest = yamlio.load_file_digest(path, file, scope=scope, resolved=entry.resolved)
        except yamlio.YamlError as exc:
            yield path, path.stem, None, list(exc.diagnostics)
            continue
        except OSError as exc:  # removed since the folder was listed, a link to nothing
            yield path, path.stem, None, [error(code, file, None, f"the file cannot be read ({exc.strerror})", key=path.stem)]
            continue
        ident = data.get(id_field) if isinstance(data, dict) and isinstance(data.get(id_field), str) else path.stem
        loaded, diags = validate_data(data, model, file, code, ident, sha256=digest)
        yield path, ident, loaded, diags


def validate_data(data: Any, model: type[M], file: str, code: str, ident: str | None = None, *, sha256: str | None = None):
    """Validate parsed YAML *data* against *model*: ``(Loaded | None, diagnostics)`` (keyed *ident*)."""
    if not isinstance(data, dict):
        kind = "is empty" if data is None else f"holds {_shown(data)}"
        msg = f"the file {kind}; it must be a mapping of fields ({', '.join(model.model_fields)})"
        return None, [error(code, file, getattr(data, "line", 1), msg, key=ident)]
    try:
        value = model.model_validate(data)
    except ValidationError as exc:
        return None, schema_diagnostics(exc, data, model, file, code, ident)
    return Loaded(value, file, data, sha256), []


def schema_diagnostics(exc: ValidationError, data: Any, model: type[BaseModel], file: str, code: str,
                       key: str | None) -> list[Diagnostic]:
    """One diagnostic per problem: errors at the same place (the members of a union) are merged."""
    grouped: dict[tuple, list[dict]] = {}
    for err in exc.errors(include_url=False):
        grouped.setdefault(_data_loc(data, err["loc"]), []).append(err)
    out = []
    for loc, errs in grouped.items():
        message, hint = _describe(loc, errs, data, model)
        out.append(error(code, file, yamlio.line_of(data, loc), message, key=key, field=field_path(loc, data) or None, hint=hint))
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


def _describe(loc: tuple, errs: list[dict], data: Any, model: type[BaseModel]) -> tuple[str, str | None]:
    """Message and hint for the errors at one place."""
    err = errs[0]
    kind = err["type"]
    name = str(loc[-1]) if loc else ""
    where = field_path(loc, data)
    value = err.get("input")
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        computed = getattr(parent, "COMPUTED", {})
        if name in computed:
            return f"'{name}' is computed, never typed", computed[name]
        known = list(parent.model_fields)
        return f"unknown field '{name}'", closest(name, known) or f"known fields: {', '.join(known)}"
    if kind == "missing":
        return f"'{where}' is missing", _field_hint(model, loc)
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, "), None
    if value is None and _is_required(model, loc):
        return f"'{where}' is empty", _field_hint(model, loc)
    if kind == "string_pattern_mismatch":
        pattern = err["ctx"]["pattern"]
        return f"'{value}' is not valid here", f"write {PATTERNS.get(pattern, f'text matching {pattern}')}"
    if kind == "too_short":
        least = err["ctx"]["min_length"]
        return f"'{where}' needs at least {'one item' if least == 1 else f'{least} items'}", _field_hint(model, loc)
    if kind == "string_too_short":
        return f"'{where}' is empty", _field_hint(model, loc)
    if kind == "string_too_long":
        return (f"{len(value)} characters long, at most {err['ctx']['max_length']} are allowed",
                "quote the shortest passage that carries the finding")
    choices = [c for e in errs if e["type"] == "literal_error" for c in _literal_choices(e)]
    wanted = [EXPECTED[e["type"]] for e in errs if e["type"] in EXPECTED] + [repr(c) for c in choices]
    if choices and len(wanted) == len(choices):  # a plain enumeration
        hint = closest(str(value), choices) if isinstance(value, str) else None
        return f"{_shown(value)} is not allowed", hint or f"one of: {', '.join(choices)}"
    if wanted:
        return f"expected {' or '.join(wanted)}, got {_shown(value)}", None
    return str(err["msg"]), None


def _literal_choices(err: dict) -> list[str]:
    """The allowed values of a literal error (pydantic lists them as "'a', 'b' or 'c'")."""
    expected = err.get("ctx", {}).get("expected", "")
    return [part.strip().strip("'") for part in expected.replace(" or ", ", ").split(", ") if part.strip()]


def _shown(value: Any) -> str:
    """A value as a message shows it: scalars as written (shortened), containers by kind."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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
        return f"a mapping with: {', '.join(inner.model_fields)}"
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
