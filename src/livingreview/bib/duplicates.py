"""When two references are one work: the same key, DOI or PMID, or the same title, year and first author.

:data:`IDENTITIES` is the one table of what makes two references the same work, in the order
they are tried; each gives a comparable value (or None) for a bibliography entry and for a
record to import. :class:`Seen` remembers the works so far (the bibliography's, then each
imported record's) and says which one a new record repeats, and by what.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from .identifiers import normalise_doi
from .load import Entry
from .records import Record

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_PUBMED = frozenset({"pubmed", "pmid"})


def _fold(text: str) -> str:
    """Lower-case ASCII letters and digits, single spaces: "Fatigue: the {DNA}" → "fatigue the dna"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("{", "").replace("}", ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def _work(title: str | None, year: object, family: str | None) -> str | None:
    """Title + year + first author's family name; None without a title or with neither year nor author."""
    title, year, family = _fold(title or ""), str(year or ""), _fold(family or "")
    return f"{title}|{year}|{family}" if title and (year or family) else None


def _entry_pmid(entry: Entry) -> str | None:
    if entry.fields.get("pmid", "").strip():
        return entry.fields["pmid"].strip()
    if entry.fields.get("eprinttype", "").strip().lower() in _PUBMED:
        return entry.fields.get("eprint", "").strip() or None
    return None


def _entry_work(entry: Entry) -> str | None:
    people = entry.persons("author") or entry.persons("editor")
    return _work(entry.title, entry.year, people[0].last if people else None)


def _record_work(record: Record) -> str | None:
    people = record.names.get("author") or record.names.get("editor") or []
    first = people[0] if people else None
    year = record.fields.get("year", "")
    return _work(record.fields.get("title"), year if year.isdigit() else "", (first.family or first.literal) if first else None)


@dataclass(frozen=True)
class Identity:
    """One way two references are the same work: its name in reports, its value for each side."""

    name: str
    of_entry: Callable[[Entry], str | None]
    of_record: Callable[[Record], str | None]


#: what makes two references one work, tried in this order
IDENTITIES: tuple[Identity, ...] = (
    Identity("DOI", lambda e: e.doi, lambda r: normalise_doi(r.fields.get("doi", "")) or None),
    Identity("PMID", _entry_pmid, lambda r: r.fields.get("pmid") or None),
    Identity("title+year+author", _entry_work, _record_work),
)


@dataclass
class Seen:
    """The works known so far, by identity: value → a description ('bib entry' or 'record 2')."""

    by: dict[str, dict[str, str]] = field(default_factory=lambda: {i.name: {} for i in IDENTITIES})
    keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: list[Entry]) -> "Seen":
        seen = cls()
        for entry in entries:
            what = f"'{entry.key}' ({entry.file}:{entry.line})"
            seen.keys.setdefault(entry.key.lower(), what)
            for identity in IDENTITIES:
                if value := identity.of_entry(entry):
                    seen.by[identity.name].setdefault(value, what)
        return seen

    def repeated(self, record: Record, own_key: str | None) -> str | None:
        """'duplicate of <what> by <identity>' when *record* is a work already seen, else None."""
        for identity in IDENTITIES:
            value = identity.of_record(record)
            if value and value in self.by[identity.name]:
                return f"duplicate of {self.by[identity.name][value]} by {identity.name}"
        if own_key and own_key.lower() in self.keys:
            return f"duplicate of {self.keys[own_key.lower()]} by key"
        return None

    def add(self, record: Record, key: str, what: str) -> None:
        self.keys.setdefault(key.lower(), what)
        for identity in IDENTITIES:
            if value := identity.of_record(record):
                self.by[identity.name].setdefault(value, what)
