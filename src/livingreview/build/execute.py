"""Run report notebooks with papermill and render them, several at once, into staging folders.

Determinism (measured on two runs of the same notebook): papermill's timing and paths live in
``metadata.papermill`` of the notebook and of every cell, and the injected-parameters cell gets
a random id; both are removed/fixed here. ``record_timing=False`` keeps ``metadata.execution``
out. Kernels get ``SOURCE_DATE_EPOCH`` so Matplotlib's SVG ``<dc:date>`` is fixed; the report
functions set the Styler uuid and ``svg.hashsalt``.

Time limits, the kernel's shutdown and failure descriptions are the papermill adapter's
(:mod:`.engine`). After a notebook runs, warnings and other stderr or error output of its cells
are never published: under ``--strict`` they fail the report, otherwise they are removed from
the report and listed as the build's warnings. A rendered file that contains a path of the build
machine (the project folder, the home or the temporary folder) fails the report under
``--strict`` and is a warning otherwise.

The jobs run on any :class:`concurrent.futures.Executor` (:mod:`.executors`: the build's threads,
or a dask cluster's workers), each as :func:`run_job`, which takes only picklable arguments.
Papermill changes the process working directory while a notebook runs; so while any job of a
build runs in a process, that process's working directory is the project root (the same value
every job sets) and the kernel environment is in its ``os.environ`` (:func:`shared_context`).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Executor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..sources import Sources
from ..errors import BuildFailed
from ..project import Limits
from . import engine
from .timing import Phases
from .failure import CELL_OUTPUT, MACHINE_TRACE, RENDER_FAILED, Failure
from ..notebooks import notebook_cells
from .plan import Target

if TYPE_CHECKING:  # nbformat (and papermill) load only when a notebook runs: importing them takes ~1 s
    import nbformat

KERNEL = engine.KERNEL
#: the fixed id of the cell papermill injects (it would get a random one)
INJECTED_ID = "injected-parameters"
NOTEBOOK, HTML, PDF = "report.ipynb", "report.html", "report.pdf"


@dataclass(frozen=True)
class Job:
    """Build *target* into *folder* (its staging folder)."""

    target: Target
    folder: Path
    pdf: bool
    limits: Limits = Limits()
    strict: bool = False
    #: the in-text HTML of each citation of the notebook's prose, from the report's registry of citations
    #: (:func:`livingreview.report.citations.prose_citations`, made from the review the kernel is given)
    citations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """How one job ended (every job starts exactly one kernel); *warnings*: what was kept out of the report."""

    name: str
    failure: Failure | None = None
    warnings: tuple[str, ...] = ()
    #: wall and CPU seconds of each phase that ran (:mod:`.timing`)
    phases: Phases = field(default_factory=Phases)

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def error(self) -> str | None:
        return None if self.failure is None else self.failure.message


def check_kernel() -> None:
    """Fail before any work when the project's Jupyter kernel is not installed."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        raise BuildFailed(
            f"the Jupyter kernel '{KERNEL}' is not installed; run: {sys.executable} -m ipykernel install "
            f"--sys-prefix --name {KERNEL} --display-name \"Python 3 ({KERNEL})\" (or ./tasks setup)"
        ) from None


def kernel_environment(root: Path, *, source_date_epoch: str, sources: Path | None,
                       snapshot: Path | None = None, ipython_dir: Path | None = None) -> dict[str, str | None]:
    """Variables every kernel gets (None: removed, so the kernel sees exactly what the cache key assumed);
    *snapshot*: the build's loaded review, which ``livingreview.load()`` in the kernel takes instead of
    loading and validating the review again; *ipython_dir*: the build's own, empty IPython folder, so that no
    startup file or setting of the IPython profile of whoever runs the build runs in a report's kernel."""
    return {
        "SOURCE_DATE_EPOCH": source_date_epoch,
        "LIVINGREVIEW_ROOT": str(root),
        "LIVINGREVIEW_SOURCES": Sources.of(sources).key() if sources is not None else None,
        "LIVINGREVIEW_SNAPSHOT": str(snapshot) if snapshot is not None else None,
        "IPYTHONDIR": str(ipython_dir) if ipython_dir is not None else None,
    }


@contextmanager
def process_context(root: Path, env: dict[str, str | None]) -> Iterator[None]:
    """Working directory *root* and environment *env* for the duration, restored afterwards."""
    old_cwd, old_env = os.getcwd(), {k: os.environ.get(k) for k in env}

    def apply(values: dict[str, str | None]) -> None:
        for key, value in values.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    os.chdir(root)
    apply(env)
    try:
        yield
    finally:
        apply(old_env)
        os.chdir(old_cwd)


def strip_papermill(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove what differs between two runs of the same notebook (see the module docstring)."""
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = INJECTED_ID
    return nb


def execute(job: Job, root: Path, watch: engine.Watch) -> nbformat.NotebookNode:
    """Run the job's notebook with its parameters under *watch*'s time limits."""
    return engine.run(job.target.notebook, job.folder / NOTEBOOK, parameters=job.target.parameters.model_dump(),
                      cwd=root, watch=watch)


def cell_output_problems(nb: nbformat.NotebookNode, author_cells: list[dict]) -> list[tuple[dict, str]]:
    """(where, what) for every stderr stream (warnings included) and error output of a code cell;
    *where* is the cell's number from 1 in the author's notebook and its id."""
    ids = [c.get("id") for c in author_cells if isinstance(c, dict)]
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                what = f"wrote to stderr: {_first_line(output.get('text', ''))}"
            elif output.get("output_type") == "error":
                what = f"has an error output: {output.get('ename')}: {output.get('evalue')}"
            else:
                continue
            number = ids.index(cell.get("id")) + 1 if cell.get("id") in ids else None
            found.append(({"cell": number, "cell_id": cell.get("id")}, what))
    return found


def _first_line(text) -> str:
    text = text if isinstance(text, str) else "".join(text)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return (lines[0] if lines else "(blank)") + (f" (and {len(lines) - 1} more lines)" if len(lines) > 1 else "")


def remove_cell_problems(nb: nbformat.NotebookNode) -> None:
    """Drop stderr streams and error outputs from every cell (they are reported instead)."""
    for cell in nb.cells:
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                            and o.get("output_type") != "error"]


def machine_markers(root: Path) -> list[str]:
    """Paths of the build machine that must never reach a published file."""
    import tempfile

    markers = {str(root), str(Path(root).resolve()), tempfile.gettempdir().rstrip("/") + "/"}
    home = os.path.expanduser("~")
    if home not in ("", "/"):
        markers.add(home.rstrip("/") + "/")
    return sorted(m for m in markers if len(m) > 2)


def machine_traces(texts: dict[str, str], markers: list[str]) -> list[str]:
    """"report.html holds /home/alice/" for every marker found in a file's text (the longest, where one
    found marker contains another, e.g. a project folder under the temporary folder)."""
    out = []
    for name, text in texts.items():
        found = [m for m in markers if m in text]
        out += [f"{name} holds {m}" for m in found if not any(m != other and m in other for other in found)]
    return out


def _where(job: Job, root: Path) -> tuple[str, list[dict]]:
    notebook = job.target.notebook.relative_to(root).as_posix()
    try:
        return notebook, notebook_cells(job.target.notebook)
    except ValueError:  # read before the kernel started; if it no longer reads, cells are unnamed
        return notebook, []


def build_one(job: Job, root: Path) -> Outcome:
    """Execute, then render HTML (and PDF) into the job's folder; failures become an Outcome."""
    import nbformat

    from ..report.render import render_html
    from .printing import print_pdf

    job.folder.mkdir(parents=True, exist_ok=True)
    name = job.target.name
    watch = engine.Watch(cell_timeout=job.limits.cell_timeout, report_timeout=job.limits.report_timeout)
    phases = Phases()
    try:
        nb = execute(job, root, watch)
    except Exception as exc:  # one report's failure must not stop the others
        notebook, cells = _where(job, root)
        failed = engine.failure(exc, watch=watch, report=name, notebook=notebook, author_cells=cells)
        stopped = engine.stopped_notebook(watch, failed.message)
        if stopped is not None and not (job.folder / NOTEBOOK).exists():
            nbformat.write(strip_papermill(stopped), job.folder / NOTEBOOK)
        return Outcome(name, failure=failed, phases=_executed(phases, watch))
    _executed(phases, watch)
    notebook, cells = _where(job, root)
    warnings = []
    problems = cell_output_problems(nb, cells)
    if problems and job.strict:
        at, what = problems[0]
        more = f" ({len(problems) - 1} more such outputs)" if len(problems) > 1 else ""
        cell = f"cell {at['cell']} (id {at['cell_id']})" if at["cell"] else f"the cell with id {at['cell_id']}"
        nbformat.write(strip_papermill(nb), job.folder / NOTEBOOK)
        return Outcome(name, failure=Failure(CELL_OUTPUT, f"{name}: {cell} of {notebook} {what}{more} (--strict)",
                                             notebook=notebook, **at), phases=phases)
    if problems:
        remove_cell_problems(nb)
        warnings += [f"{name}: cell {at['cell']} (id {at['cell_id']}) of {notebook} {what}; left out of the report"
                     for at, what in problems]
    nb = strip_papermill(nb)
    nbformat.write(nb, job.folder / NOTEBOOK)
    try:
        with phases.measure("html"):
            html = render_html(nb, title=job.target.title, citations=job.citations)
    except Exception as exc:  # noqa: BLE001 - reported per report, as above
        return Outcome(name, failure=_render_failed(name, notebook, exc), phases=phases)
    traces = machine_traces({NOTEBOOK: nbformat.writes(nb), HTML: html}, machine_markers(root))
    if traces and job.strict:
        return Outcome(name, failure=Failure(MACHINE_TRACE, f"{name}: {'; '.join(traces)}: a path of the build machine "
                                             "would be published (--strict)", notebook=notebook), phases=phases)
    warnings += [f"{name}: {t}, a path of the build machine" for t in traces]
    try:
        (job.folder / HTML).write_text(html, encoding="utf-8")
        if job.pdf:
            started = time.monotonic()
            pdf, cpu = print_pdf(html)
            phases.add("pdf", time.monotonic() - started, cpu)
            (job.folder / PDF).write_bytes(pdf)
    except Exception as exc:  # noqa: BLE001 - reported per report, as above
        return Outcome(name, failure=_render_failed(name, notebook, exc), phases=phases)
    return Outcome(name, warnings=tuple(warnings), phases=phases)


def _executed(phases: Phases, watch: engine.Watch) -> Phases:
    """Add the kernel's start (until its first cell ran) and the run (CPU: the kernel process's) to *phases*."""
    ended = watch.clock()
    if watch.ready is not None:
        phases.add("kernel", watch.ready - watch.started)
    phases.add("execute", ended - (watch.ready if watch.ready is not None else watch.started), watch.kernel_cpu)
    return phases


def _render_failed(name: str, notebook: str, exc: Exception) -> Failure:
    return Failure(RENDER_FAILED, f"{name}: rendering failed: {type(exc).__name__}: {exc}", notebook=notebook,
                   ename=type(exc).__name__, evalue=str(exc))


class _Shared:
    """The one :func:`process_context` of this process, entered by the first job and left by the last."""

    changed = threading.Condition()
    values: tuple | None = None
    jobs = 0
    context = None


@contextmanager
def shared_context(root: Path, env: dict[str, str | None]) -> Iterator[None]:
    """:func:`process_context` for as long as any job that asks for the same one runs in this process;
    a job asking for another (a second build in the same worker) waits until the first build's jobs end."""
    values = (str(root), tuple(sorted(env.items())))
    with _Shared.changed:
        _Shared.changed.wait_for(lambda: _Shared.jobs == 0 or _Shared.values == values)
        if _Shared.jobs == 0:
            _Shared.context, _Shared.values = process_context(root, env), values
            _Shared.context.__enter__()
        _Shared.jobs += 1
    try:
        yield
    finally:
        with _Shared.changed:
            _Shared.jobs -= 1
            if _Shared.jobs == 0:
                _Shared.context.__exit__(None, None, None)
                _Shared.context = _Shared.values = None
                _Shared.changed.notify_all()


def run_job(job: Job, root: Path, env: dict[str, str | None]) -> Outcome:
    """What an executor runs: one report, in the project root with the kernel environment *env*, in a
    thread of its own (:func:`in_own_thread`)."""
    with shared_context(root, env):
        return in_own_thread(build_one, job, root)


def in_own_thread(function, *args):
    """``function(*args)`` in a new thread, which has no asyncio event loop: an executor's worker thread
    may have one set that is running elsewhere (a dask worker's is its scheduler connection's), and
    nbclient would then refuse to start the kernel ("This event loop is already running")."""
    import threading

    result: dict[str, object] = {}

    def target():
        try:
            result["value"] = function(*args)
        except BaseException as exc:  # re-raised in the caller's thread
            result["error"] = exc

    thread = threading.Thread(target=target, name="livingreview-report", daemon=True)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def _waiting(names: set[str], shown: int = 3) -> str:
    first = sorted(names)[:shown]
    return ", ".join(first) + (f" and {len(names) - shown} more" if len(names) > shown else "")


def run_jobs(jobs: Sequence[Job], *, root: Path, executor: Executor, env: dict[str, str | None]) -> list[Outcome]:
    """Build every job on *executor*, with a progress bar naming reports not yet done; outcomes in job order."""
    if not jobs:
        return []
    from tqdm import tqdm

    check_kernel()
    bar = tqdm(total=len(jobs), desc="building", unit="report", file=sys.stderr, disable=None, leave=False)
    futures = [executor.submit(run_job, job, root, env) for job in jobs]
    names = {future: job.target.name for future, job in zip(futures, jobs)}
    waiting = set(names.values())
    try:
        bar.set_postfix_str(_waiting(waiting))
        for future in as_completed(futures):
            waiting.discard(names[future])
            bar.set_postfix_str(_waiting(waiting))
            bar.update(1)
    except BaseException:  # interrupted: what has not started never will
        for future in futures:
            future.cancel()
        raise
    finally:
        bar.close()
    return [future.result() for future in futures]
