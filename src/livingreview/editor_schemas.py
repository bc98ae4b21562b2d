"""``livingreview schema``: JSON Schemas (draft 2020-12) of the YAML files people write, for editors.

An editor with the YAML language server reads a file's ``# yaml-language-server: $schema=...`` line
(``livingreview new`` writes one into every note) and completes and checks its fields as they are
typed. The schemas come from the same pydantic models ``livingreview check`` validates with, so they
cannot drift apart; the review's vocabulary (``reviews/vocabulary.yml``) fills in the conditions and
criteria a note or hypothesis may name and the report parameters a variant may set; rules across files (a citation key exists, a condition is declared) and a
few rules within one (a finding has a quote or a record, not both) are ``check``'s alone.

The bytes are the same on every run (keys sorted, two-space indent, a final newline), and a file
whose bytes would not change is left as it is.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from . import atomic
from .errors import LivingReviewError
from .notes.model import Hypothesis, Note
from .project import NOTE_SCHEMA, PARAMETERS_SCHEMA_MARK, BuildConfig, parameters_model, parameters_schema
from .vocabulary import SCHEMA_NAME, Vocabulary

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: file name -> the model it describes, and the files it is for
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    NOTE_SCHEMA.name: (Note, "A note on one work: reviews/notes/<key>.yml"),
    "hypothesis.schema.json": (Hypothesis, "A hypothesis: reviews/hypotheses/<id>.yml"),
    "build.schema.json": (BuildConfig, "The report matrix: reviews/build.yml"),
    f"{SCHEMA_NAME}.schema.json": (Vocabulary, "The review's conditions, criteria and facets: reviews/vocabulary.yml"),
}


class SchemasUnwritable(LivingReviewError):
    """The schemas folder (or a file in it) cannot be written: read-only, full, or not a folder."""


def json_schema(model: type[BaseModel], about: str, vocabulary: Vocabulary | None = None) -> dict:
    """The JSON Schema of *model* (pydantic's, in validation mode), naming its dialect and described as
    *about*; with the review's *vocabulary*, its conditions, criteria and report parameters filled in."""
    schema = model.model_json_schema(mode="validation")
    if vocabulary is not None:
        schema = _with_vocabulary(schema, vocabulary)
    return {"$schema": DIALECT, **schema, "description": f"{about}; written by `livingreview schema`, checked by "
                                                         "`livingreview check`."}


def _with_vocabulary(schema: dict, vocabulary: Vocabulary) -> dict:
    """*schema* with the vocabulary's values as the enums of the fields that name them."""
    defs = schema.get("$defs", {})
    enums = {("Population", "conditions"): list(vocabulary.conditions), ("Hypothesis", "conditions"): list(vocabulary.conditions),
             ("Note", "criteria"): list(vocabulary.criteria)}
    for (name, field), values in enums.items():
        holder = schema if schema.get("title") == name else defs.get(name)
        prop = (holder or {}).get("properties", {}).get(field)
        if prop is not None and prop.get("type") == "array":
            prop["items"] = {"enum": values}
    note = schema if schema.get("title") == "Note" else None
    if note is not None and "requires" in note.get("properties", {}):
        note["properties"]["requires"]["propertyNames"] = {"enum": list(vocabulary.facets)}
    return _fill_parameters(schema, parameters_schema(parameters_model(vocabulary)))


def _fill_parameters(node, parameters: dict):
    """Every schema marked as report parameter values (:data:`PARAMETERS_SCHEMA_MARK`) replaced by *parameters*."""
    if isinstance(node, dict):
        if node.get(PARAMETERS_SCHEMA_MARK):
            return {k: v for k, v in node.items() if k not in (PARAMETERS_SCHEMA_MARK, "type")} | parameters
        return {k: _fill_parameters(v, parameters) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill_parameters(v, parameters) for v in node]
    return node


def render(schema: dict) -> bytes:
    """*schema* as the bytes written: keys sorted, indent 2, UTF-8, a final newline."""
    return (json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_schemas(folder: Path, vocabulary: Vocabulary | None = None) -> list[tuple[Path, bool]]:
    """Write every schema into *folder* atomically (with the review's *vocabulary* filled in, when it
    is given); return each path and whether it was (re)written (False: its bytes were already these)."""
    if folder.exists() and not folder.is_dir():
        raise SchemasUnwritable(f"{folder} is not a folder — pass --out DIR to write the schemas elsewhere")
    out = []
    for name, (model, about) in SCHEMAS.items():
        path = folder / name
        data = render(json_schema(model, about, vocabulary))
        changed = not _holds(path, data)
        if changed:
            try:
                atomic.write_bytes(path, data)
            except OSError as exc:
                raise SchemasUnwritable(f"cannot write {exc.filename or path}: {exc.strerror or exc} — make {folder} "
                                        "writable (or pass --out DIR)") from None
        out.append((path, changed))
    return out


def _holds(path: Path, data: bytes) -> bool:
    """Whether *path* is a regular file (not a link) holding exactly *data*; only such a file is read."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False  # unreadable: rewriting it says what is wrong
