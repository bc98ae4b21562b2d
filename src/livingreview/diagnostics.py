"""Problems found in input, as data: severity, code, file, line, key, field, message, hint.

Every checker returns a list of :class:`Diagnostic`; ``livingreview check`` sorts and prints
them. (Called *diagnostics*, not *findings*, because a finding is a piece of evidence here.)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
import dataclasses
import functools
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


@functools.total_ordering
@dataclasses.dataclass(frozen=True)
class Diagnostic:
    """One problem. Ordered by file, line, code so output is stable."""

    file: str
    line: int | None
    code: str
    message: str
    severity: Severity = dataclasses.field(default=Severity.ERROR, compare=False)
    key: str | None = dataclasses.field(default=None, compare=False)
    field: str | None = dataclasses.field(default=None, compare=False)
    hint: str | None = dataclasses.field(default=None, compare=False)

    def __lt__(self, other: "Diagnostic") -> bool:  # None-safe ordering
        return self._sort_key() < other._sort_key()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Diagnostic) and self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash(tuple(self.as_dict().values()))

    def _sort_key(self):
        return (self.file, self.line or 0, self.code, self.key or "", self.field or "", self.message)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def format(self) -> str:
        """``file:line: error CODE [key.field] message (hint)`` — one line, grep-able."""
        where = ".".join(p for p in (self.key, self.field) if p)
        text = f"{self.location()}: {self.severity.value} {self.code}"
        if where:
            text += f" [{where}]"
        text += f" {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text

    def as_dict(self) -> dict:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "key": self.key,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
        }


def error(code: str, file: str, line: int | None, message: str, **kw) -> Diagnostic:
    return Diagnostic(file=file, line=line, code=code, message=message, severity=Severity.ERROR, **kw)


def warning(code: str, file: str, line: int | None, message: str, **kw) -> Diagnostic:
    return Diagnostic(file=file, line=line, code=code, message=message, severity=Severity.WARNING, **kw)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def closest(value: str, choices: Iterable[str], cutoff: float = 0.5) -> str | None:
    """A "did you mean" hint: the closest valid value, or None. A higher *cutoff* (up to 1)
    suggests only near-identical values (e.g. 0.8 for citation keys, which differ by little)."""
    match = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1, cutoff=cutoff)
    return f"did you mean '{match[0]}'?" if match else None
