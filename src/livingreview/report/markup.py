"""Report sections as notebook outputs: a section is a template of ``templates/sections/``
rendered by the page layer (:mod:`livingreview.pages`) into a :class:`Section`, which a
notebook cell displays. Section builders import ``render`` and ``trusted`` from here.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from IPython.display import HTML

from ..pages import fragment, trusted

__all__ = ["Section", "paused_collector", "render", "trusted"]


class Section(HTML):
    """An HTML block a notebook cell displays; its plain-text form names what it is."""

    def __init__(self, html: str, text: str):
        super().__init__(html)
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return str(self.data)


@contextmanager
def paused_collector() -> Iterator[None]:
    """Python's cyclic garbage collector paused for a section's rows and markup: they are many small objects
    without cycles, and each collection they set off would walk the whole loaded review again (at 6,000
    findings a third of the evidence table's time, growing with the review times the table)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render(template: str, *, text: str, **context) -> Section:
    """Render ``templates/sections/<template>`` with *context* (escaped) into a :class:`Section`."""
    with paused_collector():
        return Section(str(fragment(template, **context)), text)
