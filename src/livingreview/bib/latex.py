r"""LaTeX in BibTeX values -> display text (Unicode, no protective braces).

pylatexenc does the decoding, but it costs about a millisecond per value, which is
40 s for a 10,000-entry bibliography if every field went through it. So:

* values without LaTeX markup are returned as they are (no work at all);
* values whose only markup is protective braces (``{DNA}``) lose the braces, no parser;
* everything else goes through pylatexenc once, and the result is cached.

Two characters mean something else to LaTeX than to the person who typed them into
a .bib file: a bare ``%`` (a comment) and a bare ``&`` (an alignment tab). They are
escaped before decoding so that "50% of A & B" stays "50% of A & B".

Addresses and identifiers (``url``, ``doi``...) are verbatim in biblatex: they are not
decoded (a ``~`` in a URL is a tilde), only unwrapped from ``\url{}`` and unescaped.
"""

from __future__ import annotations

import functools
import re

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

#: markup that needs the parser: macros, math, ties, dashes, TeX quotes
_NEEDS_PARSER = re.compile(r"[\\$~]|--|``|''")
#: TeX primitives that read or write files or run commands: a value holding one is shown as written
#: (never decoded, and nothing here would run TeX), so the reader sees exactly what the file says
_VERBATIM = re.compile(r"\\(?:input|include|write|immediate|openin|openout|read|special|csname|catcode)(?![A-Za-z])")
_BARE_SPECIALS = re.compile(r"(?<!\\)([%&])")
_BRACES = str.maketrans("", "", "{}")
_URL_MACRO = re.compile(r"^\\url\{(.*)\}$", re.DOTALL)
_ESCAPED = re.compile(r"\\([_%&#$~{}])")

#: fields biblatex reads verbatim
VERBATIM_FIELDS = frozenset({"url", "urlraw", "doi", "eprint", "file", "pdf"})


@functools.cache
def _decoder() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    # \url{...} is the address itself, not "<address>" (as bibtexparser's decoding middleware does)
    context.add_context_category("livingreview-bib", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")])
    return LatexNodes2Text(latex_context=context, math_mode="text", keep_braced_groups=False)


@functools.lru_cache(maxsize=1 << 16)
def _parse(value: str) -> str:
    try:
        return _decoder().latex_to_text(_BARE_SPECIALS.sub(r"\\\1", value))
    except Exception:  # noqa: BLE001 - pylatexenc raises plain IndexError/ValueError on odd input
        # A value pylatexenc cannot read is shown as written, minus braces: never a traceback.
        return value.translate(_BRACES)


def to_text(value: str) -> str:
    """The display form of a BibTeX value: accents decoded, braces removed, math as text."""
    if _VERBATIM.search(value):
        return value
    if _NEEDS_PARSER.search(value):
        return _parse(value)
    if "{" in value or "}" in value:
        return value.translate(_BRACES)
    return value


def verbatim_text(value: str) -> str:
    """The display form of a verbatim field: ``\\url{...}`` unwrapped, ``\\_`` -> ``_``, nothing decoded."""
    match = _URL_MACRO.match(value.strip())
    return _ESCAPED.sub(r"\1", match.group(1) if match else value).strip()
