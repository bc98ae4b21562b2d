"""Escaped HTML for notebook outputs: one Jinja environment with autoescaping, one display class.

Section markup is written as templates in ``templates/sections/``; every value passed in is
escaped by Jinja unless it is :class:`markupsafe.Markup` made here (inline SVG we drew, reference
HTML from the citation formatter). Nothing builds markup by string concatenation of user text.
"""

from __future__ import annotations

from functools import lru_cache

from IPython.display import HTML
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup


class Section(HTML):
    """An HTML block a notebook cell displays; its plain-text form names what it is."""

    def __init__(self, html: str, text: str):
        super().__init__(html)
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return str(self.data)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("livingreview.report", "templates/sections"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    return env


def render(template: str, *, text: str, **context) -> Section:
    """Render ``templates/sections/<template>`` with *context* (escaped) into a :class:`Section`."""
    html = environment().get_template(template).render(**context)
    return Section(html, text)


def trusted(html: str) -> Markup:
    """Mark HTML this package produced (and escaped) itself as safe to insert."""
    return Markup(html)
