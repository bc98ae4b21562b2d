"""The references the reports of a build cite, rendered once and ahead, on every core.

citeproc-py renders a reference in about 25 ms of CPU. Each report formats its references twice (the
build, for the in-text citations of the prose; the kernel, for the tables and the reference list), the
variants of a hypothesis cite mostly the same works, and hypotheses share works: at the size of a large
evidence base the build spent minutes rendering the same references again, one after the other,
before any kernel started. Here every ``(style, work)`` pair the build's reports need
(:func:`livingreview.bib.cite.needed`) is rendered once, in processes of their own when there are many;
the build keeps the renderings (:func:`livingreview.bib.cite.remember`) and hands them to the kernels in
its snapshot. A rendering is a pure function of its pair, so the reports are the same bytes either way.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

from ..bib import cite
from .printing import exit_with

#: fewer pairs than this are rendered in the build's process (starting a process costs about a second)
IN_PROCESS = 300
#: pairs sent to a process at a time
CHUNK = 100


def render_ahead(review, selections: Iterable, workers: int) -> dict[tuple[str, str], tuple[str, str]]:
    """Render every reference *selections* cite (with *workers* processes when there are many), remember
    the renderings in this process and return them (for the snapshot)."""
    pairs = cite.needed(review.bibliography, ((s.keys, s.parameters.citation_style) for s in selections))
    todo = sorted(pairs)
    if len(todo) < IN_PROCESS or workers < 2:
        rendered = cite.render_many(todo)
    else:
        chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
        # like the printers, each process leaves when the build is gone (a killed build cannot say so)
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=exit_with, initargs=(os.getpid(),)) as pool:
            rendered = [made for part in pool.map(cite.render_many, chunks) for made in part]
    made = dict(zip(todo, rendered))
    cite.remember(made)
    return made
