"""The page layer: every HTML page and fragment under ``outputs/`` is rendered here.

One Jinja environment with autoescaping over ``templates/``: report sections (``sections/``),
the build's pages and their pieces (``pages/``). Python passes data only; every value is
escaped unless it is :class:`markupsafe.Markup` — a fragment rendered here, the stylesheet, or a
value marked with :func:`trusted` where it is made (an SVG this package drew, the citation
formatter's escaped output). The report page itself is nbconvert's template ``templates/report``.

Importing this module loads Jinja only, so the build and the bibliography may use it without
loading nbconvert or the report package.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: the folders template names are looked up in (names are unique across them)
SEARCH_PATH = ("sections", "pages")
#: the CSS files inlined into each kind of page, in order, from ``templates/static``
STYLESHEETS = {
    "report": ("report.css", "print.css"),  # reports (screen, then print) and the index
    "register": ("register.css",),  # the open-question register
}
#: the scripts inlined into each kind of page, in order, from ``templates/static`` (plain JS, written here)
SCRIPTS = {
    "report": ("table.js",),  # search, sort and pages for the evidence table
}


#: how much of a long list the PDF prints (the HTML shows all, and says nothing of it): a list of more than
#: ``whole`` items prints its first ``shown`` and says where the rest are; rows of a table (the evidence: per
#: prediction), items of a list, works cited in one place
PRINT_LIMITS = {"rows": {"whole": 100, "shown": 25}, "citations": {"whole": 20, "shown": 10}}


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader([TEMPLATES / folder for folder in SEARCH_PATH]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.globals["print_limits"] = PRINT_LIMITS
    env.filters["count"] = count
    return env


def compile_templates() -> int:
    """Compile every template now, ahead of its first page (Jinja keeps them, and still recompiles one whose
    file has changed since); a report kernel forked from a process that did this compiles none. How many."""
    env = environment()
    names = env.list_templates(extensions=["j2"])
    for name in names:
        env.get_template(name)
    return len(names)


def count(n: int) -> str:
    """A count as a reader reads it: 3,660, not 3660 (the ``count`` filter of every template)."""
    return f"{n:,}"


def fragment(template: str, **context) -> Markup:
    """Template *template* rendered with *context* (escaped), as markup to put into another template."""
    return Markup(environment().get_template(template).render(**context))


def page(template: str, **context) -> str:
    """A whole page: :func:`fragment` as the text of a file, which ends with a newline."""
    return str(fragment(template, **context)) + "\n"


def trusted(html: str) -> Markup:
    """Mark HTML this package produced (and escaped) itself as safe to insert."""
    return Markup(html)


@lru_cache(maxsize=None)
def stylesheet(kind: str = "report") -> Markup:
    """The CSS of pages of *kind* (:data:`STYLESHEETS`), read from this package's files, to inline."""
    return trusted("\n".join((TEMPLATES / "static" / name).read_text(encoding="utf-8") for name in STYLESHEETS[kind]))


@lru_cache(maxsize=None)
def script(kind: str = "report") -> Markup:
    """The JavaScript of pages of *kind* (:data:`SCRIPTS`), read from this package's files, to inline."""
    return trusted("\n".join((TEMPLATES / "static" / name).read_text(encoding="utf-8") for name in SCRIPTS[kind]))
