"""Report sections as notebook outputs: a section is a template of ``templates/sections/``
rendered by the page layer (:mod:`livingreview.pages`) into a :class:`Section`, which a
notebook cell displays. Section builders import ``render`` and ``trusted`` from here.
"""

from __future__ import annotations

from IPython.display import HTML

from ..pages import fragment, trusted

__all__ = ["Section", "render", "trusted"]


class Section(HTML):
    """An HTML block a notebook cell displays; its plain-text form names what it is."""

    def __init__(self, html: str, text: str):
        super().__init__(html)
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return str(self.data)


def render(template: str, *, text: str, **context) -> Section:
    """Render ``templates/sections/<template>`` with *context* (escaped) into a :class:`Section`."""
    return Section(str(fragment(template, **context)), text)
