"""Checks on the bibliography's content, and the table of every bibliography diagnostic.

=======  ========  ==========================================================================
Code     Severity  Meaning (emitted by)
=======  ========  ==========================================================================
BIB001   error     a .bib file cannot be read: not UTF-8, NUL bytes, unreadable (load)
BIB002   error     a block cannot be parsed: entry not closed, ',' missing after the key (load)
BIB003   error     a field value cannot be read, e.g. a ',' missing between two fields (load)
BIB004   error     the same field twice in one entry; the first value is used (load)
BIB005   error     a value uses an undefined @string macro (load)
BIB006   warning   an @string macro is defined twice; the first definition is used (load)
BIB007   error     a crossref names no entry (load)
BIB008   error     a crossref cycle (load)
BIB010   error     a citation key is used by two entries; the first one is used (lint)
BIB011   error     two citation keys differ only in case (lint)
BIB012   error     two entries have the same DOI, after normalisation (lint)
BIB013   error     a DOI is not of the form 10.<digits>/<suffix> (lint)
BIB014   error     a PMID is not digits only (lint)
BIB015   warning   a field the entry type requires is missing (lint) -- a warning, because
                   the review leaves out fields that are not confirmed
BIB016   error     a field is present but empty (lint): leave an unknown field out instead
BIB017   error     a note or hypothesis cites a key that has no entry (lint)
BIB018   warning   an entry is cited by no note or hypothesis (lint)
BIB019   error     a citation key is empty or has characters other than A-Z a-z 0-9 _ : . - (lint)
BIB020   error     an unknown citation style (cite)
BIB021   error     a file to import cannot be read: not RIS / CSL-JSON, a record not closed (import)
BIB022   warning   an imported record is skipped: the work is in the bibliography or earlier in the
                   import already, by DOI, PMID, key or title + year + first author (import)
BIB023   error     an imported record is skipped: it cannot be imported cleanly (a DOI that is no DOI,
                   a title written as a list, 'and' in a name, a value not text, an entry that would
                   not read back as the record) (import)
BIB024   error     the import's format or target cannot be used: unknown extension, not .bib (import)
BIB025   warning   a value of an imported record is left out or changed: a month not 1-12, a season,
                   a title written as a one-element list (import)
=======  ========  ==========================================================================

``livingreview check`` reports ``load_project_bibliography``'s diagnostics plus
:func:`lint`'s; lint never repeats a problem load already reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..diagnostics import Diagnostic, closest, error, warning
from .identifiers import CITATION_KEY, is_doi, is_pmid
from .load import Bibliography, Entry

#: what a citation key may contain (the notes' ``key`` fields use the same rule)

#: required fields per entry type; each item is a set of alternatives (any one will do)
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("author",), ("title",), ("journal", "journaltitle"), ("year", "date")),
    "book": (("author", "editor"), ("title",), ("publisher",), ("year", "date")),
    "inbook": (("author", "editor"), ("title",), ("chapter", "pages"), ("publisher",), ("year", "date")),
    "incollection": (("author",), ("title",), ("booktitle",), ("publisher",), ("year", "date")),
    "inproceedings": (("author",), ("title",), ("booktitle",), ("year", "date")),
    "conference": (("author",), ("title",), ("booktitle",), ("year", "date")),
    "phdthesis": (("author",), ("title",), ("school", "institution"), ("year", "date")),
    "mastersthesis": (("author",), ("title",), ("school", "institution"), ("year", "date")),
    "techreport": (("author",), ("title",), ("institution",), ("year", "date")),
    "online": (("title",), ("url",)),
    "misc": (("title",),),
    "unpublished": (("author",), ("title",), ("note",)),
}
_BRACES = str.maketrans("", "", "{}")
_PUBMED = frozenset({"pubmed", "pmid"})


def _where(entry: Entry) -> str:
    return f"{entry.file}:{entry.line}"


def _keys(bib: Bibliography) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: dict[str, Entry] = {}
    for entry in bib.entries:
        if not CITATION_KEY.match(entry.key):
            out.append(error("BIB019", entry.file, entry.line, f"the citation key '{entry.key}' is empty or has characters other than "
                             "letters, digits, '_', ':', '.' and '-'", key=entry.key or None, hint="rename it, e.g. lastname2020"))
        first = seen.setdefault(entry.key.lower(), entry)
        if first is entry:
            continue
        if first.key == entry.key:
            out.append(error("BIB010", entry.file, entry.line, f"the citation key '{entry.key}' is already used at {_where(first)}; "
                             "this entry is ignored", key=entry.key, hint="rename one of them, or delete the copy"))
        else:
            out.append(error("BIB011", entry.file, entry.line, f"the citation key '{entry.key}' differs only in case from '{first.key}' "
                             f"at {_where(first)}", key=entry.key, hint="BibTeX tools treat them as one key: rename one of them"))
    return out


def _identifiers(entries: Iterable[Entry]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    by_doi: dict[str, Entry] = {}
    for entry in entries:
        if entry.raw.get("doi") is not None and (doi := entry.doi):
            line = entry.line_of("doi")
            if not is_doi(doi):
                out.append(error("BIB013", entry.file, line, f"the DOI '{entry.fields['doi']}' is not of the form 10.<digits>/<suffix>",
                                 key=entry.key, field="doi", hint="copy it from the publisher's page, e.g. 10.1234/abc.5678"))
            elif (first := by_doi.setdefault(doi, entry)) is not entry:
                out.append(error("BIB012", entry.file, line, f"the DOI {doi} is also the DOI of '{first.key}' at {_where(first)}",
                                 key=entry.key, field="doi", hint="the same work is in the bibliography twice: keep one entry"))
        pmids = [("pmid", entry.fields.get("pmid"))]
        if entry.fields.get("eprinttype", "").strip().lower() in _PUBMED:
            pmids.append(("eprint", entry.fields.get("eprint")))
        for name, value in pmids:
            if name in entry.raw and value and value.strip() and not is_pmid(value):
                out.append(error("BIB014", entry.file, entry.line_of(name), f"the PMID '{value}' is not a number",
                                 key=entry.key, field=name, hint="a PubMed identifier is digits only, e.g. 12345678"))
    return out


def _fields(entries: Iterable[Entry]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for entry in entries:
        for name in entry.raw:
            value = entry.expanded(name) or ""
            if not value.translate(_BRACES).strip():
                out.append(error("BIB016", entry.file, entry.line_of(name), f"the field '{name}' is empty",
                                 key=entry.key, field=name, hint="delete it: leave a field out until its value is confirmed"))
        for alternatives in REQUIRED.get(entry.type, ()):
            if not any(name in entry.fields for name in alternatives):
                wanted = " or ".join(alternatives)
                out.append(warning("BIB015", entry.file, entry.line, f"@{entry.type} '{entry.key}' has no {wanted}",
                                   key=entry.key, field=alternatives[0],
                                   hint=f"add {alternatives[0]} = {{...}} once it is confirmed; the reference is formatted without it"))
    return out


def _used(bib: Bibliography, cited: Iterable[str]) -> set[str]:
    """Cited keys plus the crossref parents they inherit from."""
    used: set[str] = set()
    for key in cited:
        while key in bib and key not in used:
            used.add(key)
            key = bib[key].fields.get("crossref", "").strip()
    return used


def _citations(bib: Bibliography, cited: Mapping[str, Sequence[tuple[str, int | None]]]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    lower = {key.lower(): key for key in bib}
    for key in sorted(cited):
        if key in bib:
            continue
        hint = f"did you mean '{lower[key.lower()]}'?" if key.lower() in lower else closest(key, bib)
        for file, line in cited[key]:
            out.append(error("BIB017", file, line, f"'{key}' is cited but has no bibliography entry", key=key,
                             hint=hint or "add the entry to a bib/ file (livingreview import) or correct the key"))
    used = _used(bib, cited)
    for entry in bib.values():
        if entry.key not in used:
            out.append(warning("BIB018", entry.file, entry.line, f"'{entry.key}' is cited by no note or hypothesis", key=entry.key,
                               hint=f"write its note (livingreview new {entry.key}) or remove the entry"))
    return out


def lint(bib: Bibliography, cited: Mapping[str, Sequence[tuple[str, int | None]]]) -> list[Diagnostic]:
    """Content problems of *bib*; *cited* maps each cited key to the places (file, line) citing it."""
    entries = list(bib.values())
    return sorted(_keys(bib) + _identifiers(entries) + _fields(entries) + _citations(bib, cited))
