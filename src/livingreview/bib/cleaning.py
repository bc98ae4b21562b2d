"""What a reference manager exported, made fit for BibTeX or marked unusable, record by record.

Each check of :data:`CHECKS` takes a record and the file's name, fixes what has one sound
reading (a DOI behind a proxy URL, a title written as a one-element Python list, a corporate
author exported as a family name only) and adds a problem to the record for the rest: an
error when the record cannot be imported cleanly (the importer then skips it), a warning for
a value left out or changed.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Callable

from ..diagnostics import error, warning
from .identifiers import clean_doi, is_pmid
from .records import Name, Record

_LIST_LIKE = re.compile(r"^\s*\[.*\]\s*$", re.DOTALL)
_AND = re.compile(r"\band\b", re.IGNORECASE)
#: fields that hold one title; a Python list there is an exporter's bug
TITLES = ("title", "journal", "booktitle", "series")


def _unusable(record: Record, file: str, field: str | None, message: str, hint: str) -> None:
    record.problems.append(error("BIB023", file, record.line, f"{record.where}: {message}", key=record.key, field=field, hint=hint))


def _changed(record: Record, file: str, field: str, message: str, hint: str) -> None:
    record.problems.append(warning("BIB025", file, record.line, f"{record.where}: {message}", key=record.key, field=field, hint=hint))


def _doi(record: Record, file: str) -> None:
    raw = record.fields.get("doi")
    if raw is None:
        return
    doi = clean_doi(raw)
    if doi is None:
        _unusable(record, file, "doi", f"the DOI '{raw}' is not a DOI (10.<digits>/<suffix>), even without a resolver, "
                  "proxy or HTML around it", hint="correct the DOI in the reference manager and export again")
    else:
        record.fields["doi"] = doi


def _pmid(record: Record, file: str) -> None:
    raw = record.fields.get("pmid")
    if raw is not None and not is_pmid(raw):
        _unusable(record, file, "pmid", f"the PMID '{raw}' is not a number", hint="a PubMed identifier is digits only")
    elif raw is not None:
        record.fields["pmid"] = raw.strip()


def _list_elements(text: str) -> list[str] | None:
    """The strings of a value written as a Python list (``['A title']``), or None when it is not one."""
    if not _LIST_LIKE.match(text):
        return None
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return [str(v).strip() for v in value] if isinstance(value, list) and all(isinstance(v, str) for v in value) else None


def _titles(record: Record, file: str) -> None:
    for name in TITLES:
        text = record.fields.get(name)
        elements = _list_elements(text) if text else None
        if elements is None:
            continue
        if len(elements) == 1 and elements[0]:
            record.fields[name] = elements[0]
            _changed(record, file, name, f"the {name} was written as a Python list {text!r}; its one element is used",
                     hint="check the record in the reference manager")
        else:
            _unusable(record, file, name, f"the {name} is written as a Python list of {len(elements)} values {text!r}",
                      hint="which is the title cannot be told: correct the record and export again")


def _person(record: Record, file: str, role: str, index: int, name: Name) -> Name:
    for part in ("family", "given"):
        if _AND.search(getattr(name, part)) and (part == "given" or name.given):
            _unusable(record, file, role, f"{role} {index}'s {part} name '{getattr(name, part)}' holds 'and': "
                      "BibTeX would read two people", hint="split the name into one name per person in the reference manager")
    if name.family and not name.given and not name.particle and " " in name.family.strip():
        return Name(literal=name.family)  # "American Legislative Exchange Council": an organisation, kept whole
    return name


def _names(record: Record, file: str) -> None:
    for role, names in record.names.items():
        record.names[role] = [_person(record, file, role, i, n) for i, n in enumerate(names, 1)]


#: the checks every imported record goes through, in order
CHECKS: tuple[Callable[[Record, str], None], ...] = (_doi, _pmid, _titles, _names)


def clean(record: Record, file: str) -> Record:
    """*record* with what has one sound reading fixed and the rest in its ``problems``."""
    record = dataclasses.replace(record, fields=dict(record.fields), names=dict(record.names), problems=list(record.problems))
    for check in CHECKS:
        check(record, file)
    return record
