"""RIS and CSL-JSON records read into one shape, ready to become BibTeX entries.

RIS is read by rispy; CSL-JSON (e.g. Zotero's "Export -> CSL JSON") by the json module.
Values stay plain text here; escaping for BibTeX happens when the entry is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import rispy

from ..diagnostics import error
from ..errors import InputError

_RIS_START = re.compile(r"^TY  - ", re.MULTILINE)
_YEAR = re.compile(r"(\d{4})")
_RIS_DATE = re.compile(r"(\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2}))?)?")

RIS_TYPES: dict[str, str] = {
    "JOUR": "article", "JFULL": "article", "EJOUR": "article", "MGZN": "article", "NEWS": "article",
    "BOOK": "book", "EBOOK": "book", "EDBOOK": "book", "CHAP": "incollection", "ECHAP": "incollection",
    "CONF": "inproceedings", "CPAPER": "inproceedings", "ELEC": "online", "WEB": "online", "BLOG": "online",
    "RPRT": "techreport", "THES": "phdthesis", "UNPB": "unpublished", "MANSCPT": "unpublished",
}
CSL_TYPES: dict[str, str] = {
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
    "book": "book", "chapter": "incollection", "paper-conference": "inproceedings",
    "webpage": "online", "post-weblog": "online", "post": "online",
    "report": "techreport", "thesis": "phdthesis", "manuscript": "unpublished",
}
#: where the container title goes, per BibTeX type
CONTAINER: dict[str, str] = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle", "online": "organization"}


class ImportRefused(InputError):
    """The file to import cannot be read, or it would add a duplicate; nothing was written."""


@dataclass(frozen=True)
class Name:
    family: str = ""
    given: str = ""
    particle: str = ""
    suffix: str = ""
    literal: str = ""


@dataclass
class Record:
    """One work to import: BibTeX type, plain-text fields, names by role, where it was read."""

    type: str
    key: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    names: dict[str, list[Name]] = field(default_factory=dict)
    line: int | None = None


def _date_fields(year: str, month: str | None = None, day: str | None = None) -> dict[str, str]:
    out = {"year": year}
    if month:
        out["month"] = str(int(month))
        if day:
            out["day"] = str(int(day))
    return out


# -- RIS ------------------------------------------------------------------------------------


def _ris_name(text: str) -> Name:
    family, sep, given = text.partition(",")
    if not sep:
        return Name(literal=text.strip())
    given, _, suffix = given.partition(",")
    return Name(family=family.strip(), given=given.strip(), suffix=suffix.strip())


def _ris_record(raw: dict, line: int) -> Record:
    kind = RIS_TYPES.get(str(raw.get("type_of_reference", "")).upper(), "misc")
    record = Record(type=kind, line=line)
    ident = str(raw.get("id", "")).strip()
    record.key = ident or None
    authors = list(raw.get("authors", [])) + list(raw.get("first_authors", []))
    if authors:
        record.names["author"] = [_ris_name(a) for a in authors]
    if raw.get("secondary_authors") and kind in ("book", "incollection", "inproceedings"):
        record.names["editor"] = [_ris_name(a) for a in raw["secondary_authors"]]
    fields = record.fields
    title = raw.get("title") or raw.get("primary_title")
    if title:
        fields["title"] = title
    container = raw.get("secondary_title") or raw.get("alternate_title3") or raw.get("journal_name") or raw.get("alternate_title1")
    if container and kind in CONTAINER:
        fields[CONTAINER[kind]] = container
    date = _RIS_DATE.match(str(raw.get("year") or raw.get("publication_year") or raw.get("date") or ""))
    if date:
        fields.update(_date_fields(*date.groups()))
    plain = {"volume": "volume", "number": "number", "doi": "doi", "publisher": "publisher", "place_published": "address",
             "edition": "edition", "language": "language"}
    fields.update({target: str(raw[source]).strip() for source, target in plain.items() if str(raw.get(source, "")).strip()})
    if raw.get("start_page"):
        fields["pages"] = "--".join(str(p).strip() for p in (raw["start_page"], raw.get("end_page")) if p)
    if raw.get("urls"):
        fields["url"] = str(raw["urls"][0]).strip()
    if raw.get("issn"):
        fields["issn" if kind == "article" else "isbn"] = str(raw["issn"]).strip()
    access = _RIS_DATE.match(str(raw.get("access_date", "")))
    if access:
        fields["urldate"] = "-".join(f"{int(p):02d}" if i else p for i, p in enumerate(access.groups()) if p)
    return record


def from_ris(text: str, file: str) -> list[Record]:
    """The records of a RIS file; a record not closed by ``ER  -`` is an error naming its line."""
    starts = [text.count("\n", 0, m.start()) + 1 for m in _RIS_START.finditer(text)]
    if not starts:
        raise ImportRefused([error("BIB021", file, None, "no RIS records found (a record starts with 'TY  - ')",
                                   hint="export the references as RIS, or pass --format csl-json")])
    raws = rispy.loads(text)
    if len(raws) != len(starts):
        line = starts[len(raws)] if len(raws) < len(starts) else None
        raise ImportRefused([error("BIB021", file, line, "a RIS record is not closed by 'ER  -'",
                                   hint="each record ends with a line 'ER  - '")])
    return [_ris_record(raw, line) for raw, line in zip(raws, starts)]


# -- CSL-JSON --------------------------------------------------------------------------------


def _csl_name(data: dict) -> Name:
    if data.get("literal"):
        return Name(literal=str(data["literal"]))
    particle = " ".join(str(data[k]) for k in ("dropping-particle", "non-dropping-particle") if data.get(k))
    return Name(family=str(data.get("family", "")), given=str(data.get("given", "")), particle=particle,
                suffix=str(data.get("suffix", "")))


def _csl_date(value: dict) -> list[str] | None:
    parts = (value.get("date-parts") or [[]])[0] if isinstance(value, dict) else []
    return [str(p) for p in parts[:3]] if parts and str(parts[0]).isdigit() else None


def _csl_record(raw: dict, index: int, file: str) -> Record:
    if not isinstance(raw, dict):
        raise ImportRefused([error("BIB021", file, None, f"record {index} is not a JSON object", hint="export CSL JSON")])
    kind = CSL_TYPES.get(str(raw.get("type", "")), "misc")
    record = Record(type=kind, key=str(raw.get("citation-key") or raw.get("id") or "").strip() or None)
    for role in ("author", "editor", "translator"):
        if isinstance(raw.get(role), list) and raw[role]:
            record.names[role] = [_csl_name(n) for n in raw[role] if isinstance(n, dict)]
    fields = record.fields
    plain = {"title": "title", "volume": "volume", "issue": "number", "DOI": "doi", "URL": "url", "PMID": "pmid",
             "publisher": "publisher", "publisher-place": "address", "edition": "edition", "ISBN": "isbn",
             "ISSN": "issn", "collection-title": "series", "language": "language"}
    fields.update({target: str(raw[source]).strip() for source, target in plain.items() if str(raw.get(source, "")).strip()})
    if raw.get("container-title") and kind in CONTAINER:
        fields[CONTAINER[kind]] = str(raw["container-title"]).strip()
    if raw.get("page"):
        fields["pages"] = re.sub(r"\s*[-–]\s*", "--", str(raw["page"]).strip())
    issued = _csl_date(raw.get("issued", {}))
    if issued:
        fields.update(_date_fields(*issued))
    accessed = _csl_date(raw.get("accessed", {}))
    if accessed:
        fields["urldate"] = "-".join(p if i == 0 else f"{int(p):02d}" for i, p in enumerate(accessed))
    return record


def from_csl_json(text: str, file: str) -> list[Record]:
    """The records of a CSL-JSON file (a list of items, or one item)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused([error("BIB021", file, exc.lineno, f"not valid JSON: {exc.msg}",
                                   hint="export the references as CSL JSON")]) from None
    items = data if isinstance(data, list) else [data]
    return [_csl_record(raw, index, file) for index, raw in enumerate(items, 1)]
