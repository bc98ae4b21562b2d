"""BibTeX value expressions: ``{text}``, ``"text"``, ``2020``, ``macro`` and ``a # b`` concatenation.

bibtexparser 2 splits a file into blocks and fields but leaves each value as written;
its string middleware only replaces values that are a single macro name. This module
evaluates whole expressions (concatenation, macros defined in any file, the standard
month macros) and reports a value that is not a valid expression -- which is also how
a missing comma between two fields shows up (the splitter reads both fields as one value).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

#: the month macros every standard BibTeX style defines
MONTHS: dict[str, str] = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}

_NAME = re.compile(r"[^\s\"#%'(),={}]+")
_PLAIN_BRACED = re.compile(r"\{([^{}]*)\}")  # the common case, {text} without inner braces
_SPACE = re.compile(r"\s+")


class ValueSyntaxError(ValueError):
    """A field value that is not ``part # part # ...``; ``offset`` is where reading stopped."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True)
class Part:
    kind: str  # "text" (braced or quoted, delimiters removed), "number" or "macro"
    text: str


_BRACE = re.compile(r"(?<!\\)[{}]")
_QUOTE_OR_BRACE = re.compile(r'(?<!\\)[{}"]')


def _closing_brace(value: str, start: int) -> int:
    depth = 0
    for match in _BRACE.finditer(value, start):
        depth += 1 if match.group() == "{" else -1
        if depth == 0:
            return match.start()
    raise ValueSyntaxError("a '{' is never closed", start)


def _closing_quote(value: str, start: int) -> int:
    depth = 0
    for match in _QUOTE_OR_BRACE.finditer(value, start + 1):
        char = match.group()
        if char == '"' and depth == 0:
            return match.start()
        depth += (char == "{") - (char == "}")
    raise ValueSyntaxError("a '\"' is never closed", start)


def _part(value: str, pos: int) -> tuple[Part, int]:
    char = value[pos]
    if char == "{":
        end = _closing_brace(value, pos)
        return Part("text", value[pos + 1 : end]), end + 1
    if char == '"':
        end = _closing_quote(value, pos)
        return Part("text", value[pos + 1 : end]), end + 1
    match = _NAME.match(value, pos)
    if not match:
        raise ValueSyntaxError(f"unexpected '{char}'", pos)
    word = match.group()
    return Part("number" if word.isdigit() else "macro", word), match.end()


def parse(value: str) -> list[Part]:
    """Split a raw value into its parts; :class:`ValueSyntaxError` if it is not an expression."""
    plain = _PLAIN_BRACED.fullmatch(value)
    if plain:
        return [Part("text", plain.group(1))]
    parts: list[Part] = []
    pos, size = 0, len(value)
    while True:
        while pos < size and value[pos].isspace():
            pos += 1
        if pos >= size:
            raise ValueSyntaxError("a value is missing" if not parts else "a value is missing after '#'", pos)
        part, pos = _part(value, pos)
        parts.append(part)
        after = pos
        while pos < size and value[pos].isspace():
            pos += 1
        if pos >= size:
            return parts
        if value[pos] != "#":
            raise ValueSyntaxError("expected ',' after the value", after)
        pos += 1


def evaluate(parts: list[Part], lookup: Callable[[str], str | None]) -> tuple[str, list[str]]:
    """Concatenate *parts*; macros via *lookup* (case-insensitive name -> value or None).

    Returns the text (whitespace runs collapsed, as BibTeX does) and the undefined macro names;
    an undefined macro stands for its own name (BibTeX would drop it; showing it is less surprising).
    """
    out: list[str] = []
    unknown: list[str] = []
    for part in parts:
        if part.kind != "macro":
            out.append(part.text)
            continue
        text = lookup(part.text.lower())
        if text is None:
            unknown.append(part.text)
        out.append(part.text if text is None else text)
    return _SPACE.sub(" ", "".join(out)).strip(), unknown
