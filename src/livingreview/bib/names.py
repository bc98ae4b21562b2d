"""Person names in BibTeX name lists (``author``, ``editor``), split and decoded.

bibtexparser splits the list ("A and B") and each name into first / von / last / jr
parts, on the undecoded value, so that ``{van der Berg}, Anna`` keeps its braced
last name together. Each part is decoded afterwards (decoding first would lose the
braces that keep ``{van der Berg}`` or ``{World Health Organization}`` whole, and
bibtexparser's decoding middleware leaves split names undecoded).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts, split_multiple_persons_names

from .latex import to_text


@dataclass(frozen=True)
class Person:
    """One name, decoded. ``literal`` names (organisations written in braces) have only ``last``."""

    last: str
    first: str = ""
    von: str = ""
    jr: str = ""
    literal: bool = False

    @property
    def display(self) -> str:
        """BibTeX's unambiguous "von Last, Jr, First" form, e.g. "van der Berg, Anna"."""
        family = " ".join(p for p in (self.von, self.last) if p)
        return ", ".join(p for p in (family, self.jr, self.first) if p)


def _is_braced_whole(name: str) -> bool:
    """True for ``{World Health Organization}``: one brace group around the whole name."""
    name = name.strip()
    if not (name.startswith("{") and name.endswith("}")):
        return False
    depth = 0
    for index, char in enumerate(name):
        depth += (char == "{") - (char == "}")
        if depth == 0 and index < len(name) - 1:
            return False
    return True


def _person(name: str) -> Person:
    if _is_braced_whole(name):
        return Person(last=to_text(name), literal=True)
    try:
        parts = parse_single_name_into_parts(name, strict=False)
    except InvalidNameError:
        return Person(last=to_text(name), literal=True)

    def text(words: list[str]) -> str:
        return to_text(" ".join(words))

    return Person(last=text(parts.last), first=text(parts.first), von=text(parts.von), jr=text(parts.jr))


@functools.lru_cache(maxsize=1 << 14)
def parse_names(value: str) -> tuple[Person, ...]:
    """The persons in a BibTeX name list (undecoded value, macros already expanded)."""
    return tuple(_person(name) for name in split_multiple_persons_names(value) if name.strip())
