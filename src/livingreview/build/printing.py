"""The one PDF printer of a build: WeasyPrint, in processes of its own while a local build runs.

Printing a report to PDF is the largest single cost of a build (about two thirds of the first review's
CPU, 3 to 10 CPU-seconds a report, see benchmarks/RESULTS.md) and pure Python: in the build's threads
it holds the interpreter lock, so two reports printing at once take turns while their kernels sit idle.
:func:`processes` opens a pool of worker processes (started with ``spawn``: a fresh interpreter, nothing
of the build's threads or kernel sockets inherited) for as long as a build runs; :func:`print_pdf` sends
a page there, and prints in-process where no pool is open (a dask worker, a test). The PDF is a
function of the HTML alone, so it is the same bytes either way.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


class _Pool:
    """The pool of the build running in this process (None: print here)."""

    current: ProcessPoolExecutor | None = None


@contextmanager
def processes(workers: int) -> Iterator[None]:
    """Print PDFs in *workers* processes until the block ends (the pool starts them when first asked)."""
    pool = ProcessPoolExecutor(max_workers=max(1, workers), mp_context=multiprocessing.get_context("spawn"),
                               initializer=exit_with, initargs=(os.getpid(),))
    previous, _Pool.current = _Pool.current, pool
    try:
        yield
    finally:
        _Pool.current = previous
        pool.shutdown(wait=True, cancel_futures=True)


def exit_with(parent: int, every: float = 1.0) -> None:
    """In a worker process of a build (a printer, a reference renderer): leave when the build that started
    it is gone (killed, it cannot say so), as a Jupyter kernel does, so no worker outlives its build."""
    def watch():
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-the-build", daemon=True).start()


def print_pdf(html: str) -> tuple[bytes, float]:
    """*html* printed to an A4 PDF (:func:`livingreview.pdf.render_pdf`), in the build's
    printing processes when they are open; and the CPU seconds printing took."""
    pool = _Pool.current
    if pool is None:
        return timed_render(html, time.thread_time)
    return pool.submit(timed_render, html).result()


def timed_render(html: str, cpu=time.process_time) -> tuple[bytes, float]:
    """The PDF and the *cpu* seconds it took (in a printing process, its process time)."""
    from ..pdf import render_pdf

    used = cpu()
    pdf = render_pdf(html)
    return pdf, cpu() - used
