"""Load ``bib/*.bib`` as one bibliography (the bibtexparser 2 adapter).

bibtexparser splits each file into blocks (entries, ``@string``, ``@preamble``,
comments, and the blocks it could not parse, which it keeps). Everything after the
split happens here, across all files at once:

* ``@string`` macros defined in any file, ``#`` concatenation, the month macros
  (:mod:`.values`);
* ``crossref`` inheritance, with a cycle reported instead of followed forever;
* display values: LaTeX decoded and braces removed, lazily and cached (:mod:`.latex`),
  because decoding every field of a large file costs tens of seconds;
* files read as UTF-8 with or without a BOM, CRLF or LF; a file that is not UTF-8
  is an error naming the file and line, and the other files still load.

Problems in *reading* the files are returned by :func:`load_bibliography` (codes
BIB001-BIB008); problems in the *content* come from :func:`livingreview.bib.lint.lint`
(BIB010-BIB019). The table of every code is at the top of :mod:`livingreview.bib.lint`.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import bibtexparser
from bibtexparser import model

from .. import loadcache, textfile
from ..diagnostics import Diagnostic, error, warning
from ..errors import InputError
from . import values
from .identifiers import normalise_doi
from .latex import VERBATIM_FIELDS, to_text, verbatim_text
from .names import Person, parse_names

if TYPE_CHECKING:  # pragma: no cover
    from ..project import Project

# bibtexparser logs each block it cannot parse; those become diagnostics here instead
# (without a handler, Python would print the log records to stderr).
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

#: fields a crossref child never takes from its parent
_NOT_INHERITED = frozenset({"crossref", "xref", "ids", "key", "entryset"})
#: types whose crossref parent's title is their booktitle (biblatex's inheritance rule)
_TITLE_IS_BOOKTITLE = frozenset({"inproceedings", "incollection", "inbook", "conference", "bookinbook", "suppcollection"})
_YEAR = re.compile(r"\s*(\d{4})(?!\d)")
_NEXT_FIELD = re.compile(r"\s*([^\s=,{}\"#]+)\s*=\s*")
_BLOCK_HEAD = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s{}()]*)")


class DisplayFields(Mapping[str, str]):
    """Field values with macros expanded; decoded to display text when read (decoding is cached)."""

    __slots__ = ("_expanded",)

    def __init__(self, expanded: Mapping[str, str]):
        self._expanded = dict(expanded)

    def __getitem__(self, name: str) -> str:
        value = self._expanded[name]
        return verbatim_text(value) if name in VERBATIM_FIELDS else to_text(value)

    def __iter__(self) -> Iterator[str]:
        return iter(self._expanded)

    def __len__(self) -> int:
        return len(self._expanded)

    def __contains__(self, name: object) -> bool:
        return name in self._expanded

    def expanded(self, name: str) -> str:
        """The value before LaTeX decoding (names are split on this form)."""
        return self._expanded[name]

    def __repr__(self) -> str:
        return f"DisplayFields({dict(self.items())!r})"


@dataclass(frozen=True)
class Entry:
    """One bibliography entry: display values in ``fields``, the file's own text in ``raw``."""

    key: str
    type: str
    fields: Mapping[str, str] = field(hash=False)
    raw: Mapping[str, str] = field(hash=False)
    file: str
    line: int
    #: 1-based line of each field written in this entry (inherited fields are not here)
    field_lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __reduce__(self):
        """Picklable (the build hands its loaded review to the report kernels): the read-only views as dicts."""
        return _entry, (self.key, self.type, self.fields, dict(self.raw), self.file, self.line, dict(self.field_lines))

    def line_of(self, name: str) -> int:
        """The line of field *name*, or of the entry when the field is inherited or absent."""
        return self.field_lines.get(name, self.line)

    def expanded(self, name: str) -> str | None:
        """Field *name* with macros expanded but LaTeX not yet decoded; None when absent."""
        if name not in self.fields:
            return None
        getter = getattr(self.fields, "expanded", None)
        return getter(name) if getter else self.fields[name]

    def persons(self, name: str = "author") -> tuple[Person, ...]:
        """The people in a name-list field (``author``, ``editor``), split and decoded."""
        value = self.expanded(name)
        return parse_names(value) if value else ()

    @property
    def authors(self) -> list[str]:
        """Authors in "Last, First" display form, e.g. ``["van der Berg, Anna", "Müller, Jörg"]``."""
        return [person.display for person in self.persons("author")]

    @functools.cached_property  # read for every sort and grouping of references; an entry never changes
    def year(self) -> int | None:
        for name in ("year", "date"):
            match = _YEAR.match(self.fields.get(name, ""))
            if match:
                return int(match.group(1))
        return None

    @property
    def doi(self) -> str | None:
        value = self.fields.get("doi")
        return (normalise_doi(value) or None) if value else None

    @property
    def title(self) -> str | None:
        return self.fields.get("title") or None


def _entry(key: str, type_: str, fields, raw: dict, file: str, line: int, field_lines: dict) -> Entry:
    """An :class:`Entry` from its pickled parts."""
    return Entry(key=key, type=type_, fields=fields, raw=MappingProxyType(raw), file=file, line=line,
                 field_lines=MappingProxyType(field_lines))


class Bibliography(Mapping[str, Entry]):
    """Entries by citation key, in file order. A key defined twice maps to its first
    definition; :attr:`entries` holds every definition (lint reports the duplicates)."""

    def __init__(
        self,
        entries: Sequence[Entry] = (),
        *,
        files: Sequence[str] = (),
        preambles: Sequence[str] = (),
        macros: Mapping[str, str] | None = None,
    ):
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.files: list[str] = list(files)
        self.preambles: list[str] = list(preambles)
        self.macros: dict[str, str] = dict(macros or {})
        self._by_key: dict[str, Entry] = {}
        for entry in self.entries:
            self._by_key.setdefault(entry.key, entry)

    def __getitem__(self, key: str) -> Entry:
        return self._by_key[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_key)

    def __len__(self) -> int:
        return len(self._by_key)

    def __repr__(self) -> str:
        return f"Bibliography({len(self)} entries from {', '.join(self.files) or 'no files'})"


# -- reading files ------------------------------------------------------------------------


def _display_name(path: Path, root: Path) -> str:
    """*path* relative to *root*; its folder is resolved, not the file (a link is named as itself)."""
    path = Path(path)
    try:
        return (path.parent.resolve() / path.name).relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _read(path: Path, name: str, scope: textfile.Scope, resolved: bool = False) -> tuple[str | None, Diagnostic | None]:
    """The file's text with LF line endings, or the reason it cannot be read."""
    try:
        data = textfile.read_bytes(path, file=name, scope=scope, resolved=resolved)
    except textfile.FileRefused as exc:
        return None, exc.diagnostics[0]
    except OSError as exc:
        return None, error("BIB001", name, None, f"the file cannot be read ({exc.strerror})",
                           hint="check that it exists and is readable")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, error(
            "BIB001", name, line,
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} is not valid UTF-8); none of its entries are loaded",
            hint="re-save it as UTF-8, e.g. `iconv -f latin1 -t utf-8`",
        )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, error("BIB001", name, line, "the file contains NUL bytes: it is not a BibTeX text file",
                           hint="replace it with the .bib export of your reference manager")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def _next_block_line(text: str, line: int) -> int:
    """The 1-based line of the first block (a line starting with '@') after line *line*."""
    rest = text.split("\n")[line:]
    return next((line + 1 + i for i, row in enumerate(rest) if row.lstrip().startswith("@")), line + 1)


def _failure(block: model.ParsingFailedBlock, file: str, text: str) -> Diagnostic:
    """A block bibtexparser could not parse (in *text*), as a sentence saying what to fix."""
    line = (block.start_line or 0) + 1
    raw = block.raw or ""
    head = _BLOCK_HEAD.match(raw)
    kind, key = (head.group(1).lower(), head.group(2) or None) if head else ("entry", None)
    reason = str(getattr(block.error, "abort_reason", block.error))
    if reason.startswith("Unexpected block start") or "but found `@" in reason:  # the next entry began inside it
        message = f"this @{kind} is not closed before the next entry on line {_next_block_line(text, line)}"
        hint = "add the missing '}' (check for an unbalanced brace or quote in its fields)"
    elif reason.startswith("Unexpectedly reached end of file"):
        message = f"this @{kind} is not closed before the end of the file"
        hint = "add the missing '}' (check for an unbalanced brace or quote in its fields)"
    elif reason.startswith("Expected comma after entry key"):
        message = f"a ',' is missing after the citation key of this @{kind}"
        hint = "write it as @type{key, field = {value}, ...}"
    else:
        message = f"this @{kind} cannot be read: {reason.strip()}"
        hint = "fix its syntax: @type{key, field = {value}, ...}"
    return error("BIB002", file, line, message, key=key, hint=hint)


# -- macros and values ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Problem:
    code: str
    message: str
    hint: str
    offset: int = 0
    comma: bool = False  # a ',' is expected at offset (what a missing comma between fields looks like)


def _expand(raw: str, lookup) -> tuple[str, list[_Problem]]:
    """Evaluate a raw value (not yet LaTeX-decoded); on a syntax error the value is kept as written."""
    try:
        parts = values.parse(raw)
    except values.ValueSyntaxError as exc:
        return raw, [_Problem("BIB003", f"the value cannot be read: {exc.message}",
                                       "put the whole value in one pair of braces, or join parts with '#'",
                                       exc.offset, exc.message.startswith("expected ','"))]
    text, unknown = values.evaluate(parts, lookup)
    problems = [
        _Problem("BIB005", f"the macro '{name}' is not defined (or is defined in terms of itself)",
                 f"define it with @string{{{name} = {{...}}}} in a bib/ file, or write the value in braces")
        for name in unknown
    ]
    return text, problems


def _value_problem(problem: _Problem, file: str, line: int, *, key: str | None, field: str | None) -> Diagnostic:
    return error(problem.code, file, line, problem.message, key=key, field=field, hint=problem.hint)


class _Macros:
    """``@string`` definitions from every file; a macro's value may use other macros."""

    def __init__(self) -> None:
        self._defs: dict[str, tuple[str, str, str, int]] = {}  # lower name -> (name, raw, file, line)
        self._values: dict[str, str] = {}
        self._resolving: set[str] = set()
        self.diagnostics: list[Diagnostic] = []

    def define(self, block: model.String, file: str) -> None:
        name, low, line = block.key.strip(), block.key.strip().lower(), (block.start_line or 0) + 1
        if low in self._defs:
            _, _, first_file, first_line = self._defs[low]
            self.diagnostics.append(warning(
                "BIB006", file, line, f"@string '{name}' is already defined at {first_file}:{first_line}; this definition is ignored",
                key=name, hint="keep one definition"))
            return
        self._defs[low] = (name, block.value, file, line)

    def lookup(self, low: str) -> str | None:
        """The value of macro *low* (lower-case name), or None if undefined or circular."""
        if low in self._values:
            return self._values[low]
        if low not in self._defs:
            return values.MONTHS.get(low)
        if low in self._resolving:
            return None
        self._resolving.add(low)
        name, raw, file, line = self._defs[low]
        text, problems = _expand(raw, self.lookup)
        self.diagnostics += [_value_problem(problem, file, line, key=name, field=None) for problem in problems]
        self._resolving.discard(low)
        self._values[low] = text
        return text

    def resolved(self) -> dict[str, str]:
        return {self._defs[low][0]: self.lookup(low) or "" for low in sorted(self._defs)}


@dataclass
class _Parsed:
    """One entry's own fields: raw text, expanded value and line, before crossref."""

    key: str
    type: str
    file: str
    line: int
    raw: dict[str, str]
    expanded: dict[str, str]
    lines: dict[str, int]


def _own_fields(entry: model.Entry, file: str, macros: _Macros) -> tuple[_Parsed, list[Diagnostic]]:
    key, line = entry.key.strip(), (entry.start_line or 0) + 1
    parsed = _Parsed(key, entry.entry_type.lower(), file, line, {}, {}, {})
    diagnostics: list[Diagnostic] = []
    queue = [(f.key.strip().lower(), str(f.value).strip(), (f.start_line or 0) + 1) for f in entry.fields]
    while queue:
        name, raw, field_line = queue.pop(0)
        if name in parsed.raw:
            diagnostics.append(error("BIB004", file, field_line, f"the field '{name}' is given twice (first on line {parsed.lines[name]}); the first value is used",
                                     key=key, field=name, hint="delete one of the two"))
            continue
        text, problems = _expand(raw, macros.lookup)
        follow = _NEXT_FIELD.match(raw, problems[0].offset) if problems and problems[0].comma else None
        if follow:
            # bibtexparser reads `a = {x}  b = {y}` (a missing comma) as one value: split it again
            offset = problems[0].offset
            diagnostics.append(error("BIB003", file, field_line + raw[:offset].count("\n"),
                                     f"a ',' is missing between the fields '{name}' and '{follow.group(1).lower()}'",
                                     key=key, field=name, hint=f"add a comma after the value of '{name}'"))
            queue.insert(0, (follow.group(1).lower(), raw[follow.end():].strip(), field_line + raw[: follow.end()].count("\n")))
            raw = raw[:offset].strip()
            text, problems = _expand(raw, macros.lookup)
        diagnostics += [_value_problem(p, file, field_line + raw[: p.offset].count("\n"), key=key, field=name) for p in problems]
        parsed.raw[name], parsed.expanded[name], parsed.lines[name] = raw, text, field_line
    return parsed, diagnostics


# -- crossref -------------------------------------------------------------------------------


def _inherited(item: _Parsed, first: Mapping[str, _Parsed]) -> tuple[dict[str, str], Diagnostic | None]:
    """*item*'s fields plus those of its crossref chain (nearest parent first)."""
    merged = dict(item.expanded)
    current, path = item, [item.key]
    while target := current.expanded.get("crossref", "").strip():
        parent = first.get(target)
        if parent is None:
            if current is not item:
                return merged, None  # reported at the entry that names the missing parent
            hint = next((f"did you mean '{k}'?" for k in first if k.lower() == target.lower()), "add that entry or correct the key")
            return merged, error("BIB007", item.file, item.lines["crossref"], f"crossref '{target}' names no entry",
                                 key=item.key, field="crossref", hint=hint)
        if parent.key in path:
            if parent is not item:
                return merged, None  # a cycle further up the chain: reported at its members
            cycle = " -> ".join([*path, item.key])
            return dict(item.expanded), error("BIB008", item.file, item.lines["crossref"], f"crossref cycle {cycle}; nothing is inherited around the cycle",
                                 key=item.key, field="crossref", hint="remove the crossref that points back")
        for name, value in parent.expanded.items():
            if name in _NOT_INHERITED:
                continue
            if name == "title" and item.type in _TITLE_IS_BOOKTITLE:
                merged.setdefault("booktitle", value)
            else:
                merged.setdefault(name, value)
        path.append(parent.key)
        current = parent
    return merged, None


# -- the public entry points ------------------------------------------------------------------


def load_bibliography(paths: Sequence[Path | textfile.Listed], *, root: Path,
                      scope: textfile.Scope | None = None, cached: bool = False) -> tuple[Bibliography, list[Diagnostic]]:
    """Load *paths* (in this order) as one bibliography; file names in diagnostics are relative to *root*.

    Each file is read within *scope* (default: inside *root*, under the default ``limits.bib_mb``).
    *cached*: files whose names and texts are those of the last load are not parsed again (the load
    cache under *root*, :mod:`livingreview.loadcache`)."""
    if scope is None:
        from ..project import bib_scope

        scope = bib_scope(root)
    read = []
    for item in paths:
        path, resolved = (item.path, item.resolved) if isinstance(item, textfile.Listed) else (Path(item), False)
        name = _display_name(path, root)
        read.append((name, *_read(path, name, scope, resolved)))
    if not cached or not read or any(problem for _, _, problem in read):
        return _parse_texts(read)
    cache = loadcache.Cache(root, "bibliography", _entry_check)
    digest = hashlib.sha256()
    for name, text, _ in read:
        digest.update(f"{len(name)}:{name}{len(text)}:".encode("utf-8") + text.encode("utf-8"))
    names, digest = "\n".join(name for name, _, _ in read), digest.hexdigest()
    found = cache.get(names, digest)
    if found is None:
        bibliography, diagnostics = _parse_texts(read)
        found = (bibliography, tuple(diagnostics))
        cache.put(names, digest, found)
    cache.save()
    return found[0], list(found[1])


def _entry_check(key: tuple, value) -> bool:
    """Whether a load-cache entry has the shape :func:`load_bibliography` keeps."""
    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], Bibliography)
            and isinstance(value[1], tuple) and all(isinstance(d, Diagnostic) for d in value[1])
            and value[0].files == key[0].split("\n") and all(isinstance(e, Entry) for e in value[0].entries))


def _parse_texts(read: Sequence[tuple[str, str | None, Diagnostic | None]]) -> tuple[Bibliography, list[Diagnostic]]:
    """The bibliography of the files read, ``(name, text, problem reading it)`` in order."""
    macros = _Macros()
    diagnostics: list[Diagnostic] = []
    files: list[str] = []
    preambles: list[model.Preamble] = []
    blocks: list[tuple[str, model.Entry]] = []
    for name, text, problem in read:
        files.append(name)
        if problem:
            diagnostics.append(problem)
            continue
        for block in bibtexparser.parse_string(text, parse_stack=[]).blocks:
            if isinstance(block, (model.DuplicateBlockKeyBlock, model.DuplicateFieldKeyBlock)):
                block = block.ignore_error_block  # duplicates are reported by lint / below
            if isinstance(block, model.String):
                macros.define(block, name)
            elif isinstance(block, model.Preamble):
                preambles.append(block)
            elif isinstance(block, model.Entry):
                blocks.append((name, block))
            elif isinstance(block, model.ParsingFailedBlock):
                diagnostics.append(_failure(block, name, text))
    parsed: list[_Parsed] = []
    for name, block in blocks:
        item, problems = _own_fields(block, name, macros)
        parsed.append(item)
        diagnostics += problems
    first: dict[str, _Parsed] = {}
    for item in parsed:
        first.setdefault(item.key, item)
    entries = []
    for item in parsed:
        merged, problem = _inherited(item, first) if "crossref" in item.expanded else (item.expanded, None)
        if problem:
            diagnostics.append(problem)
        entries.append(Entry(key=item.key, type=item.type, fields=DisplayFields(merged), raw=MappingProxyType(item.raw),
                             file=item.file, line=item.line, field_lines=MappingProxyType(item.lines)))
    preamble_texts = [_expand(block.value, macros.lookup)[0] for block in preambles]
    resolved = macros.resolved()
    diagnostics += macros.diagnostics
    return Bibliography(entries, files=files, preambles=preamble_texts, macros=resolved), sorted(set(diagnostics))


def project_bib_files(project: "Project", exception: type[InputError] = textfile.FileRefused) -> list[textfile.Listed]:
    """The ``bib/*.bib`` files of *project*, in name order; *exception* when ``bib/`` is a link out of the project."""
    return textfile.listing(project.bib_dir, ".bib", project.bib_scope, file=project.rel(project.bib_dir),
                            exception=exception)


def load_project_bibliography(project: "Project") -> tuple[Bibliography, list[Diagnostic]]:
    """Every ``bib/*.bib`` of *project*, in sorted order, as one bibliography."""
    try:
        files = project_bib_files(project)
    except textfile.FileRefused as exc:
        return Bibliography([]), list(exc.diagnostics)
    return load_bibliography(files, root=project.root, scope=project.bib_scope, cached=True)
