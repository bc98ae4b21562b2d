"""Entry -> CSL-JSON (the input citeproc formats). Only the mapping lives here.

BibTeX / biblatex field      CSL-JSON variable
--------------------------   -------------------------------------------------------------
author, editor               author, editor (names split by bibtexparser; ``{Org Name}`` -> literal;
                             a list ending "and others" ends with the name "et al.")
title                        title; a work without one is described by its ``note`` in square
                             brackets, as APA asks for untitled works
journal / journaltitle       container-title (article)
booktitle                    container-title (inproceedings, incollection, inbook)
organization / howpublished  container-title (web pages: the site's name)
year, month, day / date      issued ("in press" and other words -> status)
urldate                      accessed
volume, number, pages        volume, issue (number for reports, theses), page
publisher, address/location  publisher, publisher-place (institution / school for reports, theses)
edition, series, isbn, issn  edition, collection-title, ISBN, ISSN
doi, url, pmid               DOI (normalised), URL, PMID
"""

from __future__ import annotations

import re
from typing import Any

from .identifiers import is_doi
from .load import Entry
from .names import Person

TYPES: dict[str, str] = {
    "article": "article-journal",
    "book": "book", "proceedings": "book", "collection": "book", "manual": "book", "booklet": "pamphlet",
    "inbook": "chapter", "incollection": "chapter",
    "inproceedings": "paper-conference", "conference": "paper-conference",
    "online": "webpage", "www": "webpage", "electronic": "webpage",
    "techreport": "report", "report": "report",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "unpublished": "manuscript",
}
_CONTAINER = {
    "article-journal": ("journaltitle", "journal"),
    "chapter": ("booktitle",),
    "paper-conference": ("booktitle", "eventtitle"),
    "webpage": ("organization", "howpublished"),
}
_PUBLISHER = {"report": ("institution", "publisher"), "thesis": ("school", "institution")}
_PLAIN = {"title": "title", "volume": "volume", "edition": "edition", "series": "collection-title", "isbn": "ISBN",
          "issn": "ISSN", "url": "URL", "pmid": "PMID", "type": "genre"}
_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def csl_type(entry: Entry) -> str:
    if entry.type == "misc":
        return "webpage" if "url" in entry.fields else "document"
    return TYPES.get(entry.type, "document")


def _name(person: Person) -> dict[str, str]:
    if person.literal:
        return {"literal": person.last}
    name = {"family": person.last}
    for key, value in (("given", person.first), ("non-dropping-particle", person.von), ("suffix", person.jr)):
        if value:
            name[key] = value
    return name


def _number(value: str, names: list[str] | None, top: int) -> int | None:
    """A month (number or name) or a day, when it is one."""
    value = value.strip().lower()
    if value.isdigit():
        return int(value) if 1 <= int(value) <= top else None
    return names.index(value[:3]) + 1 if names and value[:3] in names else None


def _parts(year: str, month: int | None, day: int | None) -> dict[str, Any]:
    parts = [int(year)] + ([month] + ([day] if day else []) if month else [])
    return {"date-parts": [parts]}


def _issued(entry: Entry) -> dict[str, Any] | None:
    """``date`` (ISO) or year/month/day as CSL date-parts; None when there is no four-digit year."""
    fields = entry.fields
    match = _DATE.match(fields.get("date", "")) or _DATE.match(fields.get("year", ""))
    if not match:
        return None
    month = int(match.group(2)) if match.group(2) else _number(fields.get("month", ""), _MONTH_NAMES, 12)
    day = int(match.group(3)) if match.group(3) else _number(fields.get("day", ""), None, 31)
    return _parts(match.group(1), month, day)


def _accessed(entry: Entry) -> dict[str, Any] | None:
    match = _DATE.match(entry.fields.get("urldate", ""))
    if not match:
        return None
    return _parts(match.group(1), int(match.group(2)) if match.group(2) else None, int(match.group(3)) if match.group(3) else None)


def _first(entry: Entry, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = entry.fields.get(name, "").strip()
        if value and not value.lower().startswith(("http://", "https://")):
            return value
    return None


#: the name that stands for "and others" at the end of an incomplete name list
ET_AL = "et al."


def is_others(person: Person) -> bool:
    """BibTeX's "and others": the name list is incomplete."""
    return person.last == "others" and not person.first


def _names(persons: tuple[Person, ...]) -> list[dict[str, str]]:
    names = [_name(p) for p in persons if not is_others(p)]
    if names and any(is_others(p) for p in persons):
        names.append({"literal": ET_AL})
    return names


def to_csl(entry: Entry, ident: str) -> dict[str, Any]:
    """The CSL-JSON item for *entry*, with id *ident* (display values; nothing escaped)."""
    kind = csl_type(entry)
    item: dict[str, Any] = {"id": ident, "type": kind}
    for role in ("author", "editor", "translator"):
        if names := _names(entry.persons(role)):
            item[role] = names
    for source, target in _PLAIN.items():
        if entry.fields.get(source, "").strip():
            item[target] = entry.fields[source].strip()
    if "title" not in item and entry.fields.get("note", "").strip():
        item["title"] = f"[{entry.fields['note'].strip()}]"
    if (container := _first(entry, _CONTAINER.get(kind, ("journaltitle", "journal", "booktitle")))) is not None:
        item["container-title"] = container
    if (publisher := _first(entry, _PUBLISHER.get(kind, ("publisher",)))) is not None:
        item["publisher"] = publisher
    if (place := _first(entry, ("location", "address"))) is not None:
        item["publisher-place"] = place
    if (number := entry.fields.get("number", "").strip()):
        item["issue" if kind in ("article-journal", "paper-conference") else "number"] = number
    if (pages := entry.fields.get("pages", "").strip()):
        item["page"] = pages.replace("–", "-").replace("—", "-")
    if entry.doi and is_doi(entry.doi):
        item["DOI"] = entry.doi
    issued = _issued(entry)
    if issued:
        item["issued"] = issued
    elif (year := entry.fields.get("year", "").strip()):
        item["status"] = year  # "in press", "forthcoming": the style prints it in place of the date
    if (accessed := _accessed(entry)) is not None:
        item["accessed"] = accessed
    return item
