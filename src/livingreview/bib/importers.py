"""``livingreview import``: RIS or CSL-JSON records appended to a .bib file as BibTeX.

* Records without a usable key get ``lastnameYEAR`` (``garcia2019``; ``a``, ``b``... when taken).
* A record whose key or DOI is already in the bibliography (or twice in the import) is
  refused, and then nothing is written (:class:`~.records.ImportRefused`).
* The entries are written by bibtexparser and appended in one atomic replace: the
  existing file is kept byte for byte (BOM and CRLF line endings included) in front
  of them, and a failure leaves it untouched.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import bibtexparser
from bibtexparser import model
from bibtexparser.writer import BibtexFormat

from .. import atomic, textfile
from ..diagnostics import Diagnostic, error
from .identifiers import CITATION_KEY, normalise_doi
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
    family = _latex(name.family)
    if _needs_braces(name.family):
        family = "{" + family + "}"
    if name.particle:
        family = f"{_latex(name.particle)} {family}"
    return ", ".join(p for p in (family, _latex(name.suffix), _latex(name.given)) if p)


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


def _assign_keys(records: list[Record], taken: set[str]) -> list[str]:
    """The record's own key when it has a usable one, else lastnameYEAR (+ a, b, ... when taken)."""
    keys = []
    for record in records:
        if _usable(record.key):
            key = record.key
        else:
            base = _base_key(record)
            key = base
            for letter in "abcdefghijklmnopqrstuvwxyz":
                if key.lower() not in taken:
                    break
                key = base + letter
        taken.add(key.lower())
        keys.append(key)
    return keys


# -- duplicates -------------------------------------------------------------------------------


def _duplicates(records: list[Record], keys: list[str], bib: Bibliography, file: str) -> list[Diagnostic]:
    known_keys = {entry.key.lower(): entry for entry in bib.entries}
    known_dois = {entry.doi: entry for entry in bib.entries if entry.doi}
    seen_keys: dict[str, int] = {}
    seen_dois: dict[str, int] = {}
    out = []
    for index, (record, key) in enumerate(zip(records, keys), 1):
        where = f"record {index}"
        if _usable(record.key):
            if (entry := known_keys.get(key.lower())) is not None:
                out.append(error("BIB022", file, record.line, f"{where}: the key '{key}' is already used by '{entry.key}' at {entry.file}:{entry.line}",
                                 key=key, hint="it is probably imported already; remove the record or give it another key"))
            elif key.lower() in seen_keys:
                out.append(error("BIB022", file, record.line, f"{where}: the key '{key}' is also the key of record {seen_keys[key.lower()]}",
                                 key=key, hint="remove one of the two records"))
            seen_keys.setdefault(key.lower(), index)
        doi = normalise_doi(record.fields.get("doi", ""))
        if not doi:
            continue
        if (entry := known_dois.get(doi)) is not None:
            out.append(error("BIB023", file, record.line, f"{where}: the DOI {doi} is already the DOI of '{entry.key}' at {entry.file}:{entry.line}",
                             key=key, field="doi", hint="the work is in the bibliography already; remove the record"))
        elif doi in seen_dois:
            out.append(error("BIB023", file, record.line, f"{where}: the DOI {doi} is also the DOI of record {seen_dois[doi]}",
                             key=key, field="doi", hint="remove one of the two records"))
        seen_dois.setdefault(doi, index)
    return out


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


def import_file(project: "Project", path: Path, *, into: Path, fmt: str | None = None, dry_run: bool = False) -> list[str]:
    """Append the records of *path* to *into* as BibTeX; the keys appended, in order.

    Refuses (``ImportRefused``, nothing written) a record whose key or DOI is already in the
    project's bibliography or in *into*, or repeated in *path*. *dry_run* prints the BibTeX instead.
    """
    name = project.rel(Path(path))
    target = _target(project, Path(into))
    records = _read_records(Path(path), fmt, name, project.bib_scope)
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
    keys = _assign_keys(records, {entry.key.lower() for entry in bib.entries})
    duplicates = _duplicates(records, keys, bib, name)
    if duplicates:
        raise ImportRefused(duplicates, summary=f"nothing was imported into {project.rel(target)}")
    library = bibtexparser.Library([_entry(record, key) for record, key in zip(records, keys)])
    text = bibtexparser.write_string(library, unparse_stack=[], bibtex_format=_FORMAT)
    if dry_run:
        sys.stdout.write(text)
    elif records:
        _append_atomically(target, existing or b"", text)
    return keys

