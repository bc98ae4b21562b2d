"""The papermill adapter: run one report notebook under time limits, and say exactly how it failed.

papermill runs the notebook through an *engine*; this module registers one (``livingreview``)
that is papermill's own nbclient engine with three additions:

* a :class:`Watch` is nbclient's ``timeout_func``: called as each code cell starts, it records the
  cell and allows it the smaller of the cell limit and what is left of the report's limit, so an
  endless cell or an endless notebook is stopped (nbclient raises ``CellTimeoutError``);
* the kernel is shut down at once when the notebook ends or is stopped (a busy kernel would
  ignore a polite shutdown request), and the CPU time its process used is noted first;
* the notebook being executed is kept, so a report stopped by a time limit or a dying kernel still
  leaves the executed notebook behind, with papermill's error marker, to inspect.

Any failure becomes a :class:`Failure`: a code, the notebook, the cell (number from 1 in the
author's notebook, and id), the exception's name and value, and the traceback.
"""

from __future__ import annotations

import functools
import math
import os
import time
import uuid
from pathlib import Path

from .failure import (CELL_RAISED, CELL_TIMEOUT, EXECUTION_FAILED, KERNEL_DID_NOT_START, KERNEL_DIED, REPORT_TIMEOUT,
                      Failure)

ENGINE = "livingreview"
KERNEL = "livingreview"
#: kernels log only what is critical (otherwise each prints start-up and shutdown notices to stderr), and keep no
#: IPython history (a build writes nothing of a report's cells into the history database of whoever runs it)
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]

class Watch:
    """nbclient's ``timeout_func``: the time each cell may take, and which cell is running."""

    def __init__(self, *, cell_timeout: int, report_timeout: int, clock=time.monotonic):
        self.cell_timeout, self.report_timeout, self.clock = cell_timeout, report_timeout, clock
        self.deadline = clock() + report_timeout
        self.cell = None  # the code cell started last
        self.limit = "cell"  # which limit that cell runs under
        self.notebook = None  # the notebook as executed so far (papermill's object)
        self.started = clock()  # when the run began
        self.ready = None  # when the first code cell started: the kernel was up
        self.kernel_cpu = None  # CPU seconds the kernel process used, taken as it is shut down

    def __call__(self, cell) -> int:
        self.cell = cell
        if self.ready is None:
            self.ready = self.clock()
        remaining = self.deadline - self.clock()
        if remaining < self.cell_timeout:
            self.limit = "report"
            return max(1, math.ceil(remaining))
        self.limit = "cell"
        return self.cell_timeout


def _engine_class():
    from papermill.engines import NBClientEngine

    class ReportEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, watch: Watch | None = None, **kwargs):
            if watch is not None:
                watch.notebook = nb_man.nb
                kwargs["timeout_func"] = watch
                kwargs["kernel_manager_class"] = _kernel_manager_class(watch)
            return super().execute_managed_notebook(nb_man, kernel_name, shutdown_kernel="immediate", **kwargs)

    return ReportEngine


def _kernel_manager_class(watch: Watch):
    """nbclient's kernel manager, which notes in *watch* the CPU time of the kernel process as it is shut down."""
    from jupyter_client.manager import AsyncKernelManager

    from .timing import process_cpu

    class ReportKernelManager(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw):
            if self.provisioner is None and not self.kernel_spec.metadata.get("kernel_provisioner"):
                # the kernel is forked from the build's template where it opened them (:mod:`.kernelfork`)
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
                self.provisioner = _forked_provisioner_class()(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                               parent=self)
            return await super()._async_pre_start_kernel(**kw)

        async def shutdown_kernel(self, now: bool = False, restart: bool = False):
            watch.kernel_cpu = process_cpu(getattr(self.provisioner, "pid", None))
            return await super().shutdown_kernel(now=now, restart=restart)

    return ReportKernelManager


@functools.cache
def _forked_provisioner_class():
    """jupyter_client's local provisioner, which forks the kernel from the build's template
    (:mod:`.kernelfork`) where it can, and otherwise starts it as that provisioner does."""
    from jupyter_client.provisioning import LocalProvisioner

    from . import kernelfork

    class ForkedProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd: list[str], **kwargs):
            cwd = kwargs.get("cwd") or os.getcwd()
            process = kernelfork.fork(cmd, env=kwargs.get("env") or dict(os.environ), cwd=cwd)
            if process is None:
                return await super().launch_kernel(cmd, **kwargs)
            self.process, self.pid, self.pgid, self.cwd = process, process.pid, process.pid, cwd
            return self.connection_info

    return ForkedProvisioner


def kernel_command() -> list[str] | None:
    """The command the report kernel's kernelspec names (None: the kernel is not installed; the reports say so)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        return list(KernelSpecManager().get_kernel_spec(KERNEL).argv)
    except NoSuchKernel:
        return None


def register() -> None:
    """Make the engine known to papermill (registering again replaces it)."""
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE, _engine_class())


def run(notebook: Path, output: Path, *, parameters: dict, cwd: Path, watch: Watch):
    """Execute *notebook* with *parameters* into *output* (papermill writes it there when a cell raises)."""
    import papermill

    register()
    return papermill.execute_notebook(
        str(notebook), str(output), parameters=parameters, engine_name=ENGINE, kernel_name=KERNEL, cwd=str(cwd),
        record_timing=False, progress_bar=False, request_save_on_cell_execute=False, extra_arguments=KERNEL_ARGUMENTS,
        watch=watch,
    )


def _plain(lines) -> list[str]:
    from nbconvert.filters.ansi import strip_ansi

    return [strip_ansi(line) for line in lines or []]


def where(watch: Watch, author_cells: list[dict]) -> tuple[int | None, str | None]:
    """The running cell as (number from 1 in the author's notebook, id); papermill's injected cell shifts
    positions but keeps the author's ids."""
    cell = watch.cell
    if cell is None:
        return None, None
    cell_id = cell.get("id")
    ids = [c.get("id") for c in author_cells if isinstance(c, dict)]
    return (ids.index(cell_id) + 1 if cell_id in ids else None), cell_id


def failure(exc: BaseException, *, watch: Watch, report: str, notebook: str, author_cells: list[dict]) -> Failure:
    """Describe *exc*, raised while report *report* (``hypothesis/variant``) ran *notebook*."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    number, cell_id = where(watch, author_cells)
    cell = f"cell {number}" if number else "a cell"
    cell += f" (id {cell_id})" if cell_id else ""
    at = dict(notebook=notebook, cell=number, cell_id=cell_id)
    if isinstance(exc, PapermillExecutionError):
        return Failure(CELL_RAISED, f"{report}: {cell} of {notebook} raised {exc.ename}: {exc.evalue}", ename=exc.ename,
                       evalue=exc.evalue, traceback=_plain(exc.traceback), **at)
    if isinstance(exc, CellTimeoutError):
        if watch.limit == "report":
            what = f"the report's time limit of {watch.report_timeout} s ran out (limits.report_timeout in reviews/build.yml)"
            code = REPORT_TIMEOUT
        else:
            what = f"it ran longer than {watch.cell_timeout} s (limits.cell_timeout in reviews/build.yml)"
            code = CELL_TIMEOUT
        return Failure(code, f"{report}: {cell} of {notebook} was stopped: {what}", ename=type(exc).__name__, **at)
    name, value = type(exc).__name__, str(exc)
    if isinstance(exc, DeadKernelError):
        return Failure(KERNEL_DIED, f"{report}: the kernel died while {cell} of {notebook} ran ({name}: {value})",
                       ename=name, evalue=value, **at)
    if watch.cell is None:
        return Failure(KERNEL_DID_NOT_START, f"{report}: the kernel for {notebook} did not start ({name}: {value})",
                       ename=name, evalue=value, notebook=notebook)
    return Failure(EXECUTION_FAILED, f"{report}: running {cell} of {notebook} failed ({name}: {value})",
                   ename=name, evalue=value, **at)


def stopped_notebook(watch: Watch, message: str):
    """The notebook as far as it ran, with papermill's error marker on top, for a failure that left none."""
    import nbformat
    from papermill.execute import ERROR_MARKER_TAG

    nb = watch.notebook
    if nb is None:
        return None
    if not any(ERROR_MARKER_TAG in c.metadata.get("tags", []) for c in nb.cells):
        marker = nbformat.v4.new_markdown_cell(f"**The build stopped this notebook.** {message}")
        marker.metadata["tags"] = [ERROR_MARKER_TAG]
        nb.cells.insert(0, marker)
    return nb
