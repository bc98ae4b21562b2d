"""The Retraction Watch data (Crossref's CSV) read, and matched to bibliography entries by DOI and PMID.

The dataset is one CSV, one row per notice (a retraction, a correction, an expression of concern,
a reinstatement) of one original paper. :data:`COLUMNS` is the one table of the columns read;
:data:`NATURES` the one table of what a ``RetractionNature`` means here. A work with several
notices gets its gravest (:attr:`Notice.rank`).

=======  ========  ==========================================================================
Code     Severity  Meaning
=======  ========  ==========================================================================
RET001   error     a retracted work that a rated finding rests on (synthesis.retractions)
RET002   warning   a retracted work nothing is rated on, or a corrected work or one with an
                   expression of concern (synthesis.retractions)
RET003   error     the retraction data cannot be read: not a CSV, a column missing (here)
=======  ========  ==========================================================================
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import textfile
from ..diagnostics import error
from ..errors import InputError
from .identifiers import clean_doi, is_pmid
from .load import Entry

#: our name → the column of Crossref's Retraction Watch CSV (correct a column's name here only)
COLUMNS: dict[str, str] = {
    "record": "Record ID",
    "title": "Title",
    "nature": "RetractionNature",
    "date": "RetractionDate",
    "doi": "OriginalPaperDOI",
    "pmid": "OriginalPaperPubMedID",
    "notice_doi": "RetractionDOI",
    "notice_pmid": "RetractionPubMedID",
    "reason": "Reason",
}
#: the columns a row cannot do without
REQUIRED = ("record", "nature", "doi", "pmid")
#: ``RetractionNature`` (lower case) → what the report says, gravest first; absent: not flagged
NATURES: dict[str, str] = {
    "retraction": "retracted",
    "expression of concern": "expression of concern",
    "correction": "corrected",
}
#: a file's limit: the whole dataset is some 60 MB
LIMIT_MB = 512


class RetractionsUnreadable(InputError):
    """The retraction data cannot be read."""


@dataclass(frozen=True)
class Notice:
    """One notice on an original paper, as the dataset lists it."""

    record: str
    status: str  # a value of NATURES
    date: str = ""
    notice_doi: str = ""
    reason: str = ""

    @property
    def rank(self) -> int:
        return list(NATURES.values()).index(self.status)

    @property
    def retracted(self) -> bool:
        return self.status == "retracted"

    def describe(self) -> str:
        where = f", notice {self.notice_doi}" if self.notice_doi else ""
        when = f" since {self.date.split(' ')[0]}" if self.date else ""
        verb = "has an" if self.status == "expression of concern" else "is"
        return f"{verb} {self.status}{when} (Retraction Watch record {self.record}{where})"


@dataclass(frozen=True)
class Retractions:
    """The notices by original paper's DOI (normalised) and PMID, and the file's SHA-256."""

    by_doi: Mapping[str, Notice]
    by_pmid: Mapping[str, Notice]
    sha256: str = ""

    def of(self, entry: Entry) -> Notice | None:
        """The gravest notice on *entry*'s work, by its DOI or PMID; None when it has none."""
        found = [self.by_doi.get(entry.doi or ""), self.by_pmid.get(_pmid(entry) or "")]
        found = [n for n in found if n is not None]
        return min(found, key=lambda n: n.rank) if found else None


def _pmid(entry: Entry) -> str | None:
    value = entry.fields.get("pmid", "")
    if not value and entry.fields.get("eprinttype", "").strip().lower() in ("pubmed", "pmid"):
        value = entry.fields.get("eprint", "")
    return value.strip() if value and is_pmid(value) else None


def _keep(table: dict[str, Notice], value: str | None, notice: Notice) -> None:
    if value and (value not in table or notice.rank < table[value].rank):
        table[value] = notice


def _rows(text: str, file: str) -> Iterable[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [COLUMNS[c] for c in REQUIRED if COLUMNS[c] not in (reader.fieldnames or [])]
    if missing:
        raise RetractionsUnreadable([error("RET003", file, 1, f"the column{'s' if len(missing) > 1 else ''} "
                                           f"{', '.join(missing)} {'are' if len(missing) > 1 else 'is'} missing",
                                           hint="use Crossref's Retraction Watch CSV (see livingreview check --help); "
                                                "if its columns were renamed, correct bib/retractions.py COLUMNS")])
    return reader


def parse(text: str, file: str, sha256: str = "") -> Retractions:
    """The notices of the CSV *text* (named *file* in diagnostics)."""
    by_doi: dict[str, Notice] = {}
    by_pmid: dict[str, Notice] = {}
    try:
        for row in _rows(text, file):
            status = NATURES.get((row.get(COLUMNS["nature"]) or "").strip().lower())
            if status is None:
                continue
            notice = Notice(record=(row.get(COLUMNS["record"]) or "").strip(), status=status,
                            date=(row.get(COLUMNS["date"]) or "").strip(),
                            notice_doi=clean_doi(row.get(COLUMNS["notice_doi"]) or "") or "",
                            reason=(row.get(COLUMNS["reason"]) or "").strip())
            _keep(by_doi, clean_doi(row.get(COLUMNS["doi"]) or ""), notice)
            pmid = (row.get(COLUMNS["pmid"]) or "").strip()
            _keep(by_pmid, pmid if is_pmid(pmid) and pmid.strip("0") else None, notice)
    except csv.Error as exc:
        raise RetractionsUnreadable([error("RET003", file, None, f"not a readable CSV: {exc}",
                                           hint="use Crossref's Retraction Watch CSV as downloaded")]) from None
    return Retractions(by_doi, by_pmid, sha256)


def load(path: Path, file: str) -> Retractions:
    """The retraction data at *path* (named by the user, so it may be outside the project)."""
    from ..fingerprint import sha256_bytes

    scope = textfile.Scope.of(None, LIMIT_MB)
    try:
        data = textfile.read_bytes(path, file=file, scope=scope, exception=RetractionsUnreadable)
    except OSError as exc:
        raise RetractionsUnreadable([error("RET003", file, None, f"cannot read the file ({exc.strerror})")]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # older copies of the dataset are Windows-1252
    return parse(text, file, sha256_bytes(data))
