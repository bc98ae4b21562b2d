"""RIS and CSL-JSON records read into one shape, ready to become BibTeX entries.

RIS is read by rispy; CSL-JSON (e.g. Zotero's "Export -> CSL JSON") by the json module.
Values stay plain text here; escaping for BibTeX happens when the entry is written. What a
reader cannot take as it is goes into the record's ``problems``: a warning for a value left
out (a month 13, a season, a null), an error for a record that cannot be imported cleanly
(a value that is not text); :mod:`.cleaning` adds its own, and the importer skips a record
with an error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import rispy

from ..diagnostics import Diagnostic, error, warning
from ..errors import InputError
from .values import MONTHS

_RIS_START = re.compile(r"^TY  - ", re.MULTILINE)
_YEAR = re.compile(r"(\d{4})")
_RIS_DATE = re.compile(r"(\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2}))?)?")
_RIS_DATE_PARTS = re.compile(r"(\d{4})(?:[/-]([^/-]*))?(?:[/-]([^/-]*))?")
#: CSL's season numbers in a date's month place (and its ``season`` field)
_MONTH_NAMES = {name: str(number) for number, (short, full) in enumerate(MONTHS.items(), 1)
                for name in (short, full.lower())}
_SEASONS = {"1": "spring", "2": "summer", "3": "autumn", "4": "winter",
            "21": "spring", "22": "summer", "23": "autumn", "24": "winter"}

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
    #: 1-based place in the file to import ("record 3")
    position: int = 0
    #: what could not be taken as it is: warnings (a value left out), errors (the record is skipped)
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"record {self.position}"

    @property
    def usable(self) -> bool:
        return not any(p.is_error for p in self.problems)


class _NotText(ValueError):
    """A CSL-JSON value that is an object (or a list of them) where text belongs."""


def _part(value: object) -> str:
    """A date part as digits, '' when absent (None, '')."""
    return "" if value is None else str(value).strip()


def _date_fields(year: str, month: object = None, day: object = None) -> tuple[dict[str, str], str | None]:
    """``year``/``month``/``day`` fields, and why a month or day was left out (a season, 13, a null)."""
    out = {"year": year}
    month, day = _part(month), _part(day)
    if not month:
        return out, None
    if month.lower() in _MONTH_NAMES:
        month = _MONTH_NAMES[month.lower()]
    if not month.isdigit() or not 1 <= int(month) <= 12:
        season = _SEASONS.get(month.lstrip("0"), month.lower() if month.lower() in _SEASONS.values() else None)
        what = f"the season '{season}'" if season else f"the month '{month}' (not 1-12)"
        return out, f"{what} is left out; the date is {year}"
    out["month"] = str(int(month))
    if day.isdigit() and 1 <= int(day) <= 31:
        out["day"] = str(int(day))
    elif day:
        return out, f"the day '{day}' (not 1-31) is left out"
    return out, None


def _dated(record: Record, file: str, found: tuple[dict[str, str], str | None]) -> None:
    fields, why = found
    record.fields.update(fields)
    if why:
        record.problems.append(warning("BIB025", file, record.line, f"{record.where}: {why}", key=record.key, field="month",
                                       hint="check the date in the reference manager"))


# -- RIS ------------------------------------------------------------------------------------


def _ris_name(text: str) -> Name:
    family, sep, given = text.partition(",")
    if not sep:
        return Name(literal=text.strip())
    given, _, suffix = given.partition(",")
    return Name(family=family.strip(), given=given.strip(), suffix=suffix.strip())


def _ris_date(record: Record, raw: dict, file: str) -> None:
    date = _RIS_DATE_PARTS.match(str(raw.get("year") or raw.get("publication_year") or raw.get("date") or "").strip())
    if date:
        _dated(record, file, _date_fields(*date.groups()))


def _ris_record(raw: dict, line: int, position: int, file: str) -> Record:
    kind = RIS_TYPES.get(str(raw.get("type_of_reference", "")).upper(), "misc")
    record = Record(type=kind, line=line, position=position)
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
    _ris_date(record, raw, file)
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
    return [_ris_record(raw, line, position, file) for position, (raw, line) in enumerate(zip(raws, starts), 1)]


# -- CSL-JSON --------------------------------------------------------------------------------

#: CSL variable → BibTeX field, for the plain-text ones
CSL_FIELDS: dict[str, str] = {
    "title": "title", "volume": "volume", "issue": "number", "DOI": "doi", "URL": "url", "PMID": "pmid",
    "publisher": "publisher", "publisher-place": "address", "edition": "edition", "ISBN": "isbn",
    "ISSN": "issn", "collection-title": "series", "language": "language",
}


def _text(value: object, name: str) -> str:
    """A CSL value as text: strings and numbers as they are, a list of strings as Python writes it
    (so that :mod:`.cleaning` judges it as it judges ``['A title']`` written as text)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return str(value) if value else ""
    raise _NotText(name)


def _csl_name(data: dict) -> Name:
    if data.get("literal"):
        return Name(literal=_text(data["literal"], "literal"))
    particle = " ".join(_text(data[k], k) for k in ("dropping-particle", "non-dropping-particle") if data.get(k))
    return Name(family=_text(data.get("family"), "family"), given=_text(data.get("given"), "given"), particle=particle,
                suffix=_text(data.get("suffix"), "suffix"))


def _csl_date(value: object) -> list[object] | None:
    """The first date's parts ([year, month, day], month and day may be null), or None without a year."""
    parts = value.get("date-parts") if isinstance(value, dict) else None
    first = parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], list) else []
    if not first or not _part(first[0]).isdigit() or any(isinstance(p, (dict, list)) for p in first[:3]):
        return None
    return [_part(first[0]), *first[1:3]]


def _csl_fields(record: Record, raw: dict, file: str) -> None:
    kind, fields = record.type, record.fields
    fields.update({target: text for source, target in CSL_FIELDS.items() if (text := _text(raw.get(source), source))})
    container = _text(raw.get("container-title"), "container-title")
    if container and kind in CONTAINER:
        fields[CONTAINER[kind]] = container
    if page := _text(raw.get("page"), "page"):
        fields["pages"] = re.sub(r"\s*[-–]\s*", "--", page)
    issued = _csl_date(raw.get("issued"))
    if issued:
        if raw.get("season") and len(issued) == 1:
            season = _text(raw["season"], "season")
            issued.append("2" + season if season in ("1", "2", "3", "4") else season)
        _dated(record, file, _date_fields(*issued))
    accessed = _csl_date(raw.get("accessed"))
    if accessed and all(_part(p).isdigit() for p in accessed):
        fields["urldate"] = "-".join(_part(p) if i == 0 else f"{int(_part(p)):02d}" for i, p in enumerate(accessed))


def _csl_record(raw: object, index: int, file: str) -> Record:
    if not isinstance(raw, dict):
        raise ImportRefused([error("BIB021", file, None, f"record {index} is not a JSON object", hint="export CSL JSON")])
    kind = CSL_TYPES.get(str(raw.get("type", "")), "misc")
    record = Record(type=kind, position=index)
    try:
        record.key = _text(raw.get("citation-key") or raw.get("id"), "id") or None
        for role in ("author", "editor", "translator"):
            if isinstance(raw.get(role), list) and raw[role]:
                if not all(isinstance(n, dict) for n in raw[role]):
                    raise _NotText(role)  # a name as a string ("Smith, J") or a list: which part is which is unknown
                record.names[role] = [_csl_name(n) for n in raw[role]]
        _csl_fields(record, raw, file)
    except _NotText as exc:
        record.problems.append(error("BIB023", file, None, f"{record.where}: '{exc}' holds a JSON object or list, not text",
                                     key=record.key, field=str(exc), hint="export the record again, or enter it by hand"))
    return record


def from_csl_json(text: str, file: str) -> list[Record]:
    """The records of a CSL-JSON file (a list of items, or one item)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused([error("BIB021", file, exc.lineno, f"not valid JSON: {exc.msg}",
                                   hint="export the references as CSL JSON")]) from None
    except RecursionError:
        raise ImportRefused([error("BIB021", file, None, "the JSON is nested too deeply to be CSL JSON",
                                   hint="export the references as CSL JSON")]) from None
    items = data if isinstance(data, list) else [data]
    return [_csl_record(raw, index, file) for index, raw in enumerate(items, 1)]
