"""``livingreview import``: RIS or CSL-JSON records appended to a .bib file as BibTeX.

* Each record is cleaned (:mod:`.cleaning`); one that cannot be imported cleanly is skipped
  and reported (``BIB023``), never written half-right.
* A record that is a work already in the bibliography, or earlier in the same file, by DOI,
  PMID, title + year + first author or its own key (:mod:`.duplicates`) is skipped and
  reported (``BIB022``); the other records are imported.
* Records without a usable key get ``lastnameYEAR`` (``garcia2019``; ``a``, ``b``... when taken).
* The entries to write are read back first, as ``livingreview check`` reads them; an entry
  that would not read back as its record (an error, a name split in two, a title changed) is
  skipped too, so an import never adds a bibliography error.
* The entries are written by bibtexparser and appended in one atomic replace: the
  existing file is kept byte for byte (BOM and CRLF line endings included) in front
  of them, and a failure leaves it untouched. A file that cannot be read as a whole
  (not UTF-8, not RIS or JSON) is refused (:class:`~.records.ImportRefused`).
"""

from __future__ import annotations

import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import bibtexparser
from bibtexparser import model
from bibtexparser.writer import BibtexFormat

from .. import atomic, textfile
from ..diagnostics import Diagnostic, error, warning
from .cleaning import clean
from .duplicates import Seen
from .identifiers import CITATION_KEY
from .lint import lint
from .load import Bibliography, load_bibliography, project_bib_files
from .records import ImportRefused, Name, Record, from_csl_json, from_ris
from .values import MONTHS

if TYPE_CHECKING:  # pragma: no cover
    from ..project import Project

READERS = {"ris": from_ris, "csl-json": from_csl_json}
EXTENSIONS = {".ris": "ris", ".json": "csl-json", ".csljson": "csl-json"}
#: fields biblatex reads verbatim: no LaTeX escaping (braces are percent-encoded)
VERBATIM = frozenset({"url", "doi"})
#: field order in written entries
ORDER = ("author", "editor", "translator", "title", "journal", "booktitle", "organization", "year", "month", "day",
         "volume", "number", "pages", "edition", "series", "publisher", "address", "isbn", "issn", "doi", "pmid",
         "url", "urldate", "language")

_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
                  "$": r"\$", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_SPECIAL = re.compile(r"[\\{}%&#$_~^]")
_MONTH_MACROS = list(MONTHS)
_NOT_LETTERS = re.compile(r"[^a-z]")
_ARTICLE = re.compile(r"^(?:the|an|a)\s+", re.IGNORECASE)
_ENTRY_START = re.compile(r"^@", re.MULTILINE)
_FORMAT = BibtexFormat()
_FORMAT.indent = "  "
_FORMAT.block_separator = "\n"


def _latex(text: str) -> str:
    return _SPECIAL.sub(lambda m: _LATEX_SPECIAL[m.group()], " ".join(text.split()))


def _needs_braces(family: str) -> bool:
    """A family name BibTeX would split wrongly: lower-case words (read as "von"), " and ", commas."""
    return "," in family or " and " in family.lower() or any(word[:1].islower() for word in family.split())


def _bibtex_name(name: Name) -> str:
    if name.literal or not name.family:
        return "{" + _latex(name.literal or name.given) + "}"
    family, given = _latex(name.family), _latex(name.given)
    if _needs_braces(name.family):
        family = "{" + family + "}"
    if "," in name.given:
        given = "{" + given + "}"
    if name.particle:
        family = f"{_latex(name.particle)} {family}"
    return ", ".join(p for p in (family, _latex(name.suffix), given) if p)


def _value(name: str, text: str) -> model.Field:
    if name == "month" and text.isdigit() and 1 <= int(text) <= 12:
        return model.Field(name, _MONTH_MACROS[int(text) - 1], enclosing="no-enclosing")
    if name in VERBATIM:
        return model.Field(name, "{" + text.replace("{", "%7B").replace("}", "%7D") + "}", enclosing="no-enclosing")
    return model.Field(name, "{" + _latex(text) + "}", enclosing="no-enclosing")


def _entry(record: Record, key: str) -> model.Entry:
    values = {role: " and ".join(_bibtex_name(n) for n in names) for role, names in record.names.items() if names}
    fields = [model.Field(role, "{" + text + "}", enclosing="no-enclosing") for role, text in values.items()]
    fields += [_value(name, record.fields[name]) for name in ORDER if record.fields.get(name) and name not in values]
    fields.sort(key=lambda f: ORDER.index(f.key) if f.key in ORDER else len(ORDER))
    return model.Entry(record.type, key, fields)


# -- keys -------------------------------------------------------------------------------------


def _ascii_word(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return _NOT_LETTERS.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)).lower())


def _base_key(record: Record) -> str:
    """``lastnameYEAR`` from the first author (or editor, or the title's first word) and the year."""
    people = record.names.get("author") or record.names.get("editor") or []
    if people:
        words = (people[0].family or people[0].literal or people[0].given).split()
    else:
        words = _ARTICLE.sub("", record.fields.get("title", "")).split()
    stem = _ascii_word(words[0] if not people or not people[0].family else people[0].family) if words else ""
    year = record.fields.get("year", "")
    return (stem or "anonymous") + (year if year.isdigit() else "nd")


def _usable(key: str | None) -> bool:
    return bool(key) and bool(CITATION_KEY.match(key)) and key[0].isalpha()


def _new_key(record: Record, taken: set[str]) -> str:
    """The record's own key when it has a usable one, else lastnameYEAR (+ a, b, ... when taken)."""
    if _usable(record.key):
        key = record.key
    else:
        base = key = _base_key(record)
        for letter in "abcdefghijklmnopqrstuvwxyz":
            if key.lower() not in taken:
                break
            key = base + letter
    taken.add(key.lower())
    return key


# -- the report -------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did: the keys appended (in order), and a diagnostic per skipped record or changed value."""

    file: str
    keys: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    duplicates: int = 0
    unusable: int = 0

    @property
    def skipped(self) -> int:
        return self.duplicates + self.unusable

    def summary(self, dry_run: bool = False) -> str:
        verb = "would import" if dry_run else "imported"
        return (f"{verb} {len(self.keys)}, skipped {self.skipped} ({self.duplicates} duplicate"
                f"{'' if self.duplicates == 1 else 's'}, {self.unusable} unusable)"
                + (f": {', '.join(self.keys)}" if self.keys else ""))


def _duplicate(record: Record, file: str, why: str) -> Diagnostic:
    return warning("BIB022", file, record.line, f"{record.where} skipped: {why}", key=record.key,
                   hint="the work is in the bibliography already; nothing to do")


def _select(records: list[Record], bib: Bibliography, file: str, broken: dict[int, Diagnostic]) -> tuple[list[tuple[Record, str]], ImportReport]:
    """The records to write with their keys, and the report of the rest; *broken*: positions that did not read back."""
    seen, taken = Seen.of(list(bib.entries)), {entry.key.lower() for entry in bib.entries}
    report, accepted = ImportReport(file), []
    for record in records:
        if record.position in broken:
            record.problems.append(broken[record.position])
        report.diagnostics += record.problems
        if not record.usable:
            report.unusable += 1
            continue
        if why := seen.repeated(record, record.key if _usable(record.key) else None):
            report.diagnostics.append(_duplicate(record, file, why))
            report.duplicates += 1
            continue
        key = _new_key(record, taken)
        seen.add(record, key, f"{record.where} ('{key}') of this file")
        accepted.append((record, key))
    report.keys = [key for _, key in accepted]
    return accepted, report


# -- reading back -----------------------------------------------------------------------------


def _bibtex(accepted: list[tuple[Record, str]]) -> tuple[str, list[int]]:
    """The BibTeX of the entries, and the line each starts at."""
    library = bibtexparser.Library([_entry(record, key) for record, key in accepted])
    text = bibtexparser.write_string(library, unparse_stack=[], bibtex_format=_FORMAT)
    return text, [text.count("\n", 0, m.start()) + 1 for m in _ENTRY_START.finditer(text)]


#: what BibTeX's ligatures make of plain text ("--" is an en dash): the same title, read back
_LIGATURES = (("---", "\u2014"), ("--", "\u2013"), ("``", "\u201c"), ("''", "\u201d"))


def _plain(text: str | None) -> str:
    text = (text or "").replace("{", "").replace("}", "")
    for ligature, character in _LIGATURES:
        text = text.replace(ligature, character)
    return " ".join(text.split())


def _changes(record: Record, entry) -> str | None:
    for role, names in record.names.items():
        if len(entry.persons(role)) != len(names):
            return f"its {role} list would read as {len(entry.persons(role))} people, not {len(names)}"
    if _plain(entry.title) != _plain(record.fields.get("title")):
        return f"its title would read as '{entry.title}'"
    return None


def _read_back(accepted: list[tuple[Record, str]], file: str) -> dict[int, Diagnostic]:
    """Per record position, why its entry would not read back cleanly (as ``check`` reads it) or as the record."""
    text, starts = _bibtex(accepted)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.bib"
        path.write_text(text, encoding="utf-8")
        bib, problems = load_bibliography([path], root=Path(folder))
    problems += [d for d in lint(bib, {}) if d.is_error]
    index = {key.lower(): record for record, key in accepted}
    broken: dict[int, Diagnostic] = {}

    def mark(record: Record, why: str) -> None:
        broken.setdefault(record.position, error("BIB023", file, record.line, f"{record.where}: {why}", key=record.key,
                                                 hint="correct the record in the reference manager and export again"))

    for problem in problems:
        owner = index.get((problem.key or "").lower())
        if owner is None and problem.line:
            owner = accepted[max(i for i, start in enumerate(starts) if start <= problem.line)][0]
        if owner is not None:
            mark(owner, f"its BibTeX would not read back cleanly ({problem.code}: {problem.message})")
    for entry in bib.entries:
        if (record := index.get(entry.key.lower())) is not None and (why := _changes(record, entry)):
            mark(record, why)
    return broken


# -- writing ----------------------------------------------------------------------------------


def _target(project: "Project", into: Path) -> Path:
    if into.is_absolute():
        target = into.resolve()
        if not target.is_relative_to(project.root):
            raise ImportRefused([error("PATH001", str(into), None, f"--into '{into}' is outside the project; use a file in bib/")])
    else:
        target = project.inside(into.as_posix(), what="--into", file=into.as_posix())
    if target.suffix != ".bib":
        raise ImportRefused([error("BIB024", project.rel(target), None, "the file to import into must be a .bib file",
                                   hint="e.g. --into bib/references.bib")])
    return target


def _append_atomically(target: Path, existing: bytes, text: str) -> None:
    """*text* appended to the file *target* that holds *existing*, in the file's own line ends, atomically."""
    newline = "\r\n" if b"\r\n" in existing else "\n"
    separator = "" if not existing else ("\n" if existing.endswith(b"\n") else "\n\n")
    atomic.write_bytes(target, existing + (separator + text).replace("\n", newline).encode("utf-8"))


def _read_records(path: Path, fmt: str | None, name: str, scope: textfile.Scope) -> list[Record]:
    """The records of the file to import (named on the command line, so it may be outside the project)."""
    fmt = fmt or EXTENSIONS.get(path.suffix.lower())
    if fmt not in READERS:
        raise ImportRefused([error("BIB024", name, None, f"cannot tell the format of '{path.name}' from its extension",
                                   hint="pass --format ris or --format csl-json")])
    try:
        text = textfile.read_bytes(path, file=name, scope=scope.anywhere(), exception=ImportRefused).decode("utf-8-sig")
    except OSError as exc:
        raise ImportRefused([error("BIB021", name, None, f"cannot read the file ({exc.strerror})")]) from None
    except UnicodeDecodeError:
        raise ImportRefused([error("BIB021", name, None, "the file is not UTF-8 text", hint="export it as UTF-8")]) from None
    return READERS[fmt](text.replace("\r\n", "\n"), name)


def _bibliography(project: "Project", target: Path) -> tuple[Bibliography, bytes | None]:
    """The project's bibliography with *target* in it, and *target*'s bytes (None when it does not exist yet)."""
    try:
        existing = textfile.read_bytes(target, file=project.rel(target), scope=project.bib_scope, exception=ImportRefused)
    except FileNotFoundError:
        existing = None
    files: dict[Path, Path | textfile.Listed] = {f.path: f for f in project_bib_files(project, exception=ImportRefused)}
    if existing is not None:
        files.setdefault(target, target)
    bib, problems = load_bibliography([files[p] for p in sorted(files)], root=project.root, scope=project.bib_scope)
    unreadable = [p for p in problems if p.code == "BIB001" and p.file == project.rel(target)]
    if unreadable:
        raise ImportRefused(unreadable, summary=f"{project.rel(target)} must be UTF-8 before anything is appended to it")
    return bib, existing


def import_file(project: "Project", path: Path, *, into: Path, fmt: str | None = None, dry_run: bool = False) -> ImportReport:
    """Append the records of *path* to *into* as BibTeX, but those that are duplicates or unusable.

    Raises ``ImportRefused`` (nothing written) only when *path* or *into* cannot be used at all.
    *dry_run* prints the BibTeX instead; the report is the same.
    """
    name = project.rel(Path(path))
    target = _target(project, Path(into))
    records = [clean(record, name) for record in _read_records(Path(path), fmt, name, project.bib_scope)]
    bib, existing = _bibliography(project, target)
    accepted, report = _select(records, bib, name, {})
    broken = _read_back(accepted, name) if accepted else {}
    if broken:
        accepted, report = _select(records, bib, name, broken)
    text = _bibtex(accepted)[0]
    if dry_run:
        sys.stdout.write(text)
    elif accepted:
        _append_atomically(target, existing or b"", text)
    return report
