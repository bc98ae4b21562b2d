"""Where a build's reports run: a standard :class:`concurrent.futures.Executor`, chosen by ``--executor``.

==========================  =====================================================================
``--executor``              the executor
==========================  =====================================================================
``threads`` (the default)   a thread pool of ``--jobs`` threads here (each report runs in its own
                            kernel process, so threads are enough; the kernels are forked from a
                            template started ahead, :func:`kernels_ahead`; PDFs are printed in as
                            many processes, :mod:`.printing`)
``dask://HOST:PORT``        the workers of the dask.distributed scheduler at HOST:PORT, through
                            ``Client(address).get_executor()``; they must see the project and the
                            outputs folder at the same paths (a shared file system) and have
                            livingreview and its kernel installed
==========================  =====================================================================

dask.distributed is an optional extra (``pip install livingreview[dask]``), imported here only, and
only when a build names a dask scheduler.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager

from . import kernelfork, printing
from ..diagnostics import error
from ..errors import ConfigError

THREADS = "threads"
DASK = "dask://"
#: how long the build waits for a dask scheduler to answer
CONNECT_TIMEOUT = "20s"
USAGE = f"use '{THREADS}' (the default) or '{DASK}HOST:PORT' (a dask.distributed scheduler)"


def _problem(message: str, hint: str = USAGE) -> ConfigError:
    return ConfigError([error("BLD009", "--executor", None, message, hint=hint)])


def check(spec: str | None) -> None:
    """Refuse an ``--executor`` value that names no executor (before the review is loaded)."""
    if spec is None or spec == THREADS:
        return
    if not spec.startswith(DASK):
        raise _problem(f"unknown executor '{spec}'")
    host, _, port = spec.removeprefix(DASK).rpartition(":")
    if not host or not port.isdigit():
        raise _problem(f"'{spec}' names no scheduler: HOST:PORT expected after {DASK}")


@contextmanager
def open_executor(spec: str | None, *, workers: int) -> Iterator[Executor]:
    """The executor *spec* names, shut down (waiting for what runs) when the block ends."""
    check(spec)
    if spec is None or spec == THREADS:
        with printing.processes(workers), ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            yield pool
        return
    with _dask(spec.removeprefix(DASK)) as pool:
        yield pool


@contextmanager
def kernels_ahead(spec: str | None, *, root, env: dict[str, str | None]) -> Iterator[kernelfork.Spent]:
    """Until the block ends, report kernels that run here are forked from a template (:mod:`.kernelfork`),
    started now, in *root* with the kernel environment *env*, so that it imports while the build prepares;
    kernels that run elsewhere (a dask worker) start as before. What the template cost is known after the block."""
    if spec is not None and spec != THREADS:
        yield kernelfork.Spent()
        return
    from .engine import kernel_command

    with kernelfork.templates() as spent:
        command = kernel_command()
        if command is not None:
            kernelfork.start(command, env=env, cwd=str(root))
        yield spent


@contextmanager
def _dask(address: str) -> Iterator[Executor]:
    """The executor of a dask.distributed client of the scheduler at *address* (``HOST:PORT``)."""
    try:
        from distributed import Client
    except ImportError:
        raise _problem("dask.distributed is not installed", hint="pip install 'livingreview[dask]'") from None
    try:
        client = Client(f"tcp://{address}", timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise _problem(f"no dask scheduler answered at {address} ({type(exc).__name__}: {exc})",
                       hint="start one (`dask scheduler`, then `dask worker HOST:PORT`) or check the address") from None
    try:
        # a report is not a pure function of its arguments: dask must run it, never reuse an earlier result
        with client.get_executor(pure=False) as pool:
            yield pool
    finally:
        client.close()
