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

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from .. import loadcache, textfile, yamlio
from ..diagnostics import Diagnostic, error, warning
from ..schema_errors import field_path, schema_diagnostics, shown
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

    The id is the one the file declares, or its file name when it declares none. Every file is read
    and hashed; one whose name and hash the load cache (:mod:`livingreview.loadcache`) holds is not
    parsed again."""
    scope = project.file_scope
    cache = loadcache.Cache(project.root, model.__name__.lower(), _entry_check(model))
    for entry in entries:
        path = entry.path
        file = f"{where}/{path.name}"
        try:
            raw = textfile.read_bytes(path, file=file, scope=scope, exception=yamlio.YamlError, resolved=entry.resolved)
        except yamlio.YamlError as exc:  # refused unread (FILE00x)
            yield path, path.stem, None, list(exc.diagnostics)
            continue
        except OSError as exc:  # removed since the folder was listed, a link to nothing
            yield path, path.stem, None, [error(code, file, None, f"the file cannot be read ({exc.strerror})", key=path.stem)]
            continue
        digest = hashlib.sha256(raw).hexdigest()
        found = cache.get(file, digest)
        if found is None:
            found = _parse(raw, file, path.stem, model, code, id_field, digest)
            cache.put(file, digest, found)
        ident, loaded, diags = found
        yield path, ident, loaded, list(diags)
    cache.save()


def _parse(raw: bytes, file: str, stem: str, model: type[M], code: str, id_field: str, digest: str):
    """``(id, Loaded | None, diagnostics)`` of one file's bytes: what the load cache keeps."""
    try:
        data = yamlio.load_bytes(raw, file)
    except yamlio.YamlError as exc:
        return stem, None, tuple(exc.diagnostics)
    ident = data.get(id_field) if isinstance(data, dict) and isinstance(data.get(id_field), str) else stem
    loaded, diags = validate_data(data, model, file, code, ident, sha256=digest)
    return ident, loaded, tuple(diags)


def _entry_check(model: type[BaseModel]):
    """Whether a load-cache entry under ``(file, sha256)`` has the shape :func:`_parse` gives."""

    def valid(key: tuple, value: Any) -> bool:
        if not (isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], str) and isinstance(value[2], tuple)
                and all(isinstance(d, Diagnostic) for d in value[2])):
            return False
        loaded = value[1]
        return loaded is None or (isinstance(loaded, Loaded) and isinstance(loaded.value, model)
                                  and (loaded.file, loaded.sha256) == key and isinstance(loaded.data, yamlio.LineDict))

    return valid


def validate_data(data: Any, model: type[M], file: str, code: str, ident: str | None = None, *, sha256: str | None = None):
    """Validate parsed YAML *data* against *model*: ``(Loaded | None, diagnostics)`` (keyed *ident*)."""
    if not isinstance(data, dict):
        kind = "is empty" if data is None else f"holds {shown(data)}"
        msg = f"the file {kind}; it must be a mapping of fields ({', '.join(model.model_fields)})"
        return None, [error(code, file, getattr(data, "line", 1), msg, key=ident)]
    try:
        value = model.model_validate(data)
    except ValidationError as exc:
        return None, schema_diagnostics(exc, data, model, file, code, ident, patterns=PATTERNS)
    return Loaded(value, file, data, sha256), []


