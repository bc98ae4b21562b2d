"""Quote verification: every ``quote`` in a note must stand, word for word, in the note's source text.

Matching forgives only what copying text changes without changing the words: runs of whitespace
and line breaks, typographic versus straight quotes and apostrophes (‘ ’ “ ” vs ' "), and en/em
dashes versus the hyphen. Case, words and all other punctuation must be exact.

Each quoted finding ends up ``verified``, ``unverified`` (no source text to check against, and
no matching record) or ``failed``; a finding without a quote is ``extracted``. Quotes in a note's
``risk_of_bias`` block are verified the same way, under the id ``risk_of_bias.<domain>`` (record id
``<key>#risk_of_bias.<domain>``; a finding's record id stays ``<key>#<finding id>``).

``livingreview check --sources DIR`` writes ``reviews/quote-record.json``: per finding, the source
file, its SHA-256, the quote's character span in it and the SHA-256 of the normalised quote.
Without sources, that record alone keeps a quote ``verified`` while the quote is unchanged.
When a source's SHA-256 differs from the record, the check fails: the text changed under the quote.

=========  ========  ===================================================================
code       severity  meaning
=========  ========  ===================================================================
QUOTE001   error     ``source_text`` is not a plain file name
QUOTE002   warning   the source text is not in the sources folder (checked against the record only)
QUOTE003   error     the source text changed since its quotes were verified
QUOTE004   error     the quote is not in the source text (the nearest passage is shown)
QUOTE005   warning   the quote has not been verified, or changed since it was
QUOTE006   error     the source text cannot be read as UTF-8 text
QUOTE007   error     the quote record cannot be read
QUOTE008   error     the sources folder does not exist
=========  ========  ===================================================================
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from .. import atomic, textfile
from ..diagnostics import Diagnostic, error, warning
from ..project import Project
from ..sources import Sources
from .load import Collection, Loaded
from .model import Note

RECORD = Path("reviews") / "quote-record.json"
ABOUT = ("Written by `livingreview check --sources DIR`: the tool's record of which source text "
         "(SHA-256, character span) each quote was verified against. Not a file to edit; delete it "
         "to verify every quote afresh.")
Status = Literal["verified", "unverified", "failed", "extracted"]

_TYPOGRAPHIC = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_WHITESPACE = re.compile(r"\s+")
_TOKENS = re.compile(r"\s+|\S+")
_RERUN = "run `livingreview check --sources DIR` with the folder of source texts"


class RecordEntry(BaseModel):
    """Where one quote was found."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    source_sha256: str
    span: tuple[int, int]
    quote_sha256: str


class _RecordFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    about: str
    quotes: dict[str, RecordEntry]


@dataclass(frozen=True)
class QuoteCheck:
    """The outcome for one finding. ``recorded``: verified by the record alone (no source text)."""

    status: Status
    source: str | None = None
    recorded: bool = False
    span: tuple[int, int] | None = None
    similarity: float | None = None
    nearest: str | None = None


@dataclass
class QuoteReport:
    checks: dict[tuple[str, str], QuoteCheck] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    record: dict[str, RecordEntry] = field(default_factory=dict)  # the record after this run

    def count(self, status: Status) -> int:
        return sum(1 for c in self.checks.values() if c.status == status)


# -- matching -----------------------------------------------------------------------------------

def quote_form(text: str) -> str:
    """*text* as quotes are compared: typographic marks made plain, whitespace runs made one space."""
    return _WHITESPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


def quote_sha256(quote: str) -> str:
    return hashlib.sha256(quote_form(quote).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Source:
    """A source text, normalised once, with a map from normalised positions back to the original."""

    text: str
    sha256: str
    normal: str
    index: tuple[int, ...]

    @classmethod
    def from_bytes(cls, raw: bytes) -> "Source":
        text = raw.decode("utf-8")
        parts, index = [], []
        for token in _TOKENS.finditer(text):
            if token.group()[0].isspace():
                parts.append(" ")
                index.append(token.start())
            else:
                parts.append(token.group().translate(_TYPOGRAPHIC))
                index.extend(range(token.start(), token.end()))
        return cls(text, hashlib.sha256(raw).hexdigest(), "".join(parts), tuple(index))

    def find(self, quote: str) -> tuple[int, int] | None:
        """The character span of *quote* in the original text, or None."""
        needle = quote_form(quote)
        at = self.normal.find(needle) if needle else -1
        if at < 0:
            return None
        return self.index[at], self.index[at + len(needle) - 1] + 1

    def nearest(self, quote: str) -> tuple[float, str]:
        """The most similar passage of the quote's length (difflib ratio over a sliding window)."""
        needle = quote_form(quote)
        width = min(len(needle), len(self.normal))
        if not width:
            return 0.0, ""
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(needle)
        last = len(self.normal) - width
        step = max(1, width // 4)
        best = _best_window(matcher, self.normal, width, range(0, last + 1, step), (-1.0, 0))
        best = _best_window(matcher, self.normal, width, range(max(0, best[1] - step), min(last, best[1] + step) + 1), best)
        first, last = _whole_words(self.normal, best[1], best[1] + width)
        start, end = self.index[first], self.index[last - 1] + 1
        return best[0], _WHITESPACE.sub(" ", self.text[start:end]).strip()


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``text[start:end]`` to whole words, so a shown passage does not begin or end mid-word."""
    while start > 0 and text[start - 1] != " ":
        start -= 1
    while end < len(text) and text[end] != " ":
        end += 1
    return start, end


def _best_window(matcher: difflib.SequenceMatcher, text: str, width: int, starts: range, best: tuple[float, int]):
    for start in starts:
        matcher.set_seq1(text[start:start + width])
        if matcher.real_quick_ratio() > best[0] and matcher.quick_ratio() > best[0]:
            ratio = matcher.ratio()
            if ratio > best[0]:
                best = (ratio, start)
    return best


def is_plain_name(name: str) -> bool:
    """A bare file name: no folders, no ``..``, nothing absolute."""
    return bool(name) and name == Path(name).name and "/" not in name and "\\" not in name and ".." not in name \
        and "\x00" not in name


# -- the record ---------------------------------------------------------------------------------

def _record_bytes(project: Project) -> bytes | None:
    """The quote record's bytes, None when there is none (FileRefused when it is not read). It grows with
    the whole review, as the bibliography does, so it has the bibliography's limit."""
    try:
        return textfile.read_bytes(project.root / RECORD, file=RECORD.as_posix(), scope=project.bib_scope)
    except FileNotFoundError:
        return None


def read_record(project: Project) -> tuple[dict[str, RecordEntry], list[Diagnostic]]:
    try:
        raw = _record_bytes(project)
    except textfile.FileRefused as exc:
        return {}, list(exc.diagnostics)
    if raw is None:
        return {}, []
    try:
        return dict(_RecordFile.model_validate_json(raw).quotes), []
    except ValidationError as exc:
        problem = exc.errors(include_url=False)[0]["msg"]
    return {}, [error("QUOTE007", RECORD.as_posix(), None, f"the quote record cannot be read ({problem})",
                      hint=f"delete it, then {_RERUN} to write it again")]


def render_record(record: dict[str, RecordEntry]) -> str:
    """The record file's text: sorted, stable JSON."""
    quotes = {key: record[key].model_dump(mode="json") for key in sorted(record)}
    return json.dumps({"about": ABOUT, "quotes": quotes}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_record(project: Project, record: dict[str, RecordEntry]) -> bool:
    """Write the record atomically; False (and nothing touched) when it is already up to date, or when
    the file there is one that is not read (a link out of the project, a FIFO...: ``check`` reports it)."""
    text = render_record(record)
    try:
        if _record_bytes(project) == text.encode("utf-8"):
            return False
    except textfile.FileRefused:
        return False
    atomic.write_text(project.root / RECORD, text)
    return True


def record_id(key: str, finding_id: str) -> str:
    return f"{key}#{finding_id}"


# -- verification -------------------------------------------------------------------------------

def verify_quotes(project: Project, notes: Collection[Note], sources: Sources | Path | None = None) -> QuoteReport:
    """Check every finding's quote; with *sources* (folders, searched in order), against the texts there,
    else against the record."""
    old, diagnostics = read_record(project)
    report = QuoteReport(diagnostics=diagnostics)
    # keep what the record says about notes that did not load: a typo elsewhere must not unverify them
    report.record = {k: v for k, v in old.items() if k.split("#", 1)[0] in notes.invalid}
    sources = Sources.of(sources)
    for folder in sources.missing() if sources else ():
        report.diagnostics.append(error("QUOTE008", str(folder), None, "the sources folder does not exist",
                                        hint="pass the folder that holds the notes' source_text files"))
    sources = sources.existing() if sources else None
    texts: dict[str, Source | _Unread] = {}
    for note in notes.values_sorted():
        _verify_note(note, old, report, sources, texts, project.file_scope)
    return report


@dataclass(frozen=True)
class Quoted:
    """One quote of a note: a finding's (``id`` ``f1``) or a risk-of-bias domain's (``risk_of_bias.D2``),
    with where it is in the note (``loc``)."""

    id: str
    quote: str
    loc: tuple


#: the id of a risk-of-bias domain's quote in the checks and (after ``<key>#``) in the record
ROB_PREFIX = "risk_of_bias."


def quoted_items(note: Note) -> list[Quoted]:
    """The note's quotes: its findings' in order, then its risk-of-bias block's, by domain."""
    out = [Quoted(f.id, f.quote, ("findings", i, "quote")) for i, f in enumerate(note.findings) if f.quote is not None]
    block = note.risk_of_bias
    if block is not None:
        out += [Quoted(ROB_PREFIX + d, entry.quote, ("risk_of_bias", "domains", d, "quote"))
                for d, entry in block.domains.items() if entry.quote is not None]
    return out


def _verify_note(note: Loaded[Note], old: dict[str, RecordEntry], report: QuoteReport, sources: Path | None,
                 texts: dict[str, Source | _Unread], scope: textfile.Scope) -> None:
    key, name = note.value.key, note.value.source_text
    for finding in note.value.findings:
        if finding.quote is None:
            report.checks[(key, finding.id)] = QuoteCheck("extracted")
    quoted = quoted_items(note.value)
    if not quoted:
        return
    if not is_plain_name(name):
        report.diagnostics.append(error("QUOTE001", note.file, note.line("source_text"),
                                        f"source_text '{name}' is not a plain file name", key=key, field="source_text",
                                        hint="give the file's name only (no folders, no '..'); the texts are looked up in --sources"))
        for item in quoted:
            report.checks[(key, item.id)] = QuoteCheck("unverified", name)
        return
    source = _source(note, name, sources, texts, report, scope) if sources is not None else None
    if source is None:
        for item in quoted:
            _from_record(note, item, old, report)
        return
    changed = []
    for item in quoted:
        entry = old.get(record_id(key, item.id))
        if entry is not None and entry.source == name and entry.source_sha256 != source.sha256:
            changed.append(item.id)
            report.record[record_id(key, item.id)] = entry
            report.checks[(key, item.id)] = QuoteCheck("failed", name)
        else:
            _against_source(note, item, source, report)
    if changed:
        report.diagnostics.append(error(
            "QUOTE003", note.file, note.line("source_text"),
            f"source text changed since the quote was verified: {name} (findings {', '.join(changed)}) now has "
            f"SHA-256 {source.sha256[:12]}…, the record has {old[record_id(key, changed[0])].source_sha256[:12]}…",
            key=key, field="source_text",
            hint=f"read the quotes against the new text, then delete {RECORD.as_posix()} and run check --sources again"))


@dataclass(frozen=True)
class _Unread:
    """Why a source text was not read: it is missing, it was refused (*refused*), or it is not UTF-8."""

    missing: bool = False
    refused: tuple[Diagnostic, ...] = ()


def _source(note: Loaded[Note], name: str, sources: Sources, texts: dict[str, Source | _Unread], report: QuoteReport,
            scope: textfile.Scope) -> Source | None:
    """The source text *name* from *sources* (read once per run), or None with a diagnostic."""
    if name not in texts:
        texts[name] = _read_source(sources.locate(name), scope)
    text = texts[name]
    if isinstance(text, Source):
        return text
    where = dict(key=note.value.key, field="source_text")
    if text.missing:
        report.diagnostics.append(warning("QUOTE002", note.file, note.line("source_text"),
                                          f"source text {name} is not in {sources}; its quotes were checked against the record only",
                                          hint="add the file to a sources folder", **where))
    elif text.refused:
        report.diagnostics += [d for d in text.refused if d not in report.diagnostics]
    else:
        report.diagnostics.append(error("QUOTE006", note.file, note.line("source_text"),
                                        f"source text {name} cannot be read as UTF-8 text", hint="save it as UTF-8 text",
                                        **where))
    return None


def _read_source(path: Path, scope: textfile.Scope) -> Source | _Unread:
    """The source text at *path*; the sources folder is the user's choice, so it may be outside the project."""
    try:
        return Source.from_bytes(textfile.read_bytes(path, file=str(path), scope=scope.anywhere()))
    except FileNotFoundError:
        return _Unread(missing=True)
    except textfile.FileRefused as exc:
        return _Unread(refused=tuple(exc.diagnostics))
    except UnicodeDecodeError:
        return _Unread()


def _against_source(note: Loaded[Note], item: Quoted, source: Source, report: QuoteReport) -> None:
    key, name = note.value.key, note.value.source_text
    span = source.find(item.quote)
    if span is not None:
        report.checks[(key, item.id)] = QuoteCheck("verified", name, span=span)
        report.record[record_id(key, item.id)] = RecordEntry(
            source=name, source_sha256=source.sha256, span=span, quote_sha256=quote_sha256(item.quote))
        return
    similarity, passage = source.nearest(item.quote)
    report.checks[(key, item.id)] = QuoteCheck("failed", name, similarity=round(similarity, 3), nearest=passage)
    report.diagnostics.append(error(
        "QUOTE004", note.file, note.line(*item.loc),
        f"quote not found in {name}; nearest passage ({similarity:.0%} similar): \"{passage}\"", key=key,
        field=note.field(*item.loc),
        hint="copy the words exactly as the source has them (only whitespace, quote marks and dashes may differ)"))


def _from_record(note: Loaded[Note], item: Quoted, old: dict[str, RecordEntry], report: QuoteReport) -> None:
    key, name = note.value.key, note.value.source_text
    rid = record_id(key, item.id)
    entry = old.get(rid)
    if entry is not None and entry.source == name and entry.quote_sha256 == quote_sha256(item.quote):
        report.checks[(key, item.id)] = QuoteCheck("verified", name, recorded=True, span=entry.span)
        report.record[rid] = entry
        return
    report.checks[(key, item.id)] = QuoteCheck("unverified", name)
    state = "changed since it was verified" if entry is not None else "has not been verified"
    report.diagnostics.append(warning("QUOTE005", note.file, note.line(*item.loc), f"the quote {state}",
                                      key=key, field=note.field(*item.loc), hint=_RERUN))
