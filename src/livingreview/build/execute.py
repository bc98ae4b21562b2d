"""Run report notebooks with papermill and render them, several at once, into staging folders.

Determinism (measured on two runs of the same notebook): papermill's timing and paths live in
``metadata.papermill`` of the notebook and of every cell, and the injected-parameters cell gets
a random id; both are removed/fixed here. ``record_timing=False`` keeps ``metadata.execution``
out. Kernels get ``SOURCE_DATE_EPOCH`` so Matplotlib's SVG ``<dc:date>`` is fixed; the report
functions set the Styler uuid and ``svg.hashsalt``.

Papermill changes the process working directory while a notebook runs; the pool therefore
runs with the working directory already set to the project root (the same value every
thread sets), and with the kernel environment in ``os.environ`` for its duration.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BuildFailed
from .plan import Target

if TYPE_CHECKING:  # nbformat (and papermill) load only when a notebook runs: importing them takes ~1 s
    import nbformat

KERNEL = "livingreview"
#: the fixed id of the cell papermill injects (it would get a random one)
INJECTED_ID = "injected-parameters"
NOTEBOOK, HTML, PDF = "report.ipynb", "report.html", "report.pdf"
#: kernels log only what is critical (otherwise each prints start-up and shutdown notices to stderr);
#: an error in a cell is reported from the notebook, a dead kernel by papermill
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


@dataclass(frozen=True)
class Job:
    """Build *target* into *folder* (its staging folder)."""

    target: Target
    folder: Path
    pdf: bool


@dataclass(frozen=True)
class Outcome:
    """How one job ended; every job starts exactly one kernel."""

    name: str
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


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


def kernel_environment(root: Path, *, source_date_epoch: str, sources: Path | None) -> dict[str, str | None]:
    """Variables every kernel gets (None: removed, so the kernel sees exactly what the cache key assumed)."""
    return {
        "SOURCE_DATE_EPOCH": source_date_epoch,
        "LIVINGREVIEW_ROOT": str(root),
        "LIVINGREVIEW_SOURCES": str(Path(sources).resolve()) if sources is not None else None,
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


def execute(job: Job, root: Path) -> nbformat.NotebookNode:
    """Run the job's notebook with its parameters; the executed notebook (stripped) is written too."""
    import nbformat
    import papermill

    out = job.folder / NOTEBOOK
    nb = papermill.execute_notebook(
        str(job.target.notebook), str(out), parameters=job.target.parameters.model_dump(), kernel_name=KERNEL,
        cwd=str(root), record_timing=False, progress_bar=False, request_save_on_cell_execute=False,
        extra_arguments=KERNEL_ARGUMENTS,
    )
    nb = strip_papermill(nb)
    nbformat.write(nb, out)
    return nb


def describe_failure(job: Job, exc: Exception, root: Path) -> str:
    """Hypothesis, variant, cell (position and id in the author's notebook) and the error, on one line."""
    from papermill.exceptions import PapermillExecutionError

    where = f"{job.target.hypothesis.id}/{job.target.variant.name}"
    if isinstance(exc, PapermillExecutionError):
        notebook = job.target.notebook.relative_to(root).as_posix()
        return f"{where}: {_failed_cell(job, exc.cell_index)} of {notebook} raised {exc.ename}: {exc.evalue}"
    return f"{where}: {type(exc).__name__}: {exc}"


def _failed_cell(job: Job, index: int) -> str:
    """"cell N (id X)": N counts from 1 in the author's notebook (papermill's *index* counts its injected cell)."""
    import nbformat
    from papermill.execute import ERROR_MARKER_TAG

    try:
        executed = [c for c in nbformat.read(job.folder / NOTEBOOK, as_version=4).cells
                    if ERROR_MARKER_TAG not in c.metadata.get("tags", [])]
        cell_id = executed[index].get("id")
        ids = [c.get("id") for c in nbformat.read(job.target.notebook, as_version=4).cells]
    except (OSError, ValueError, IndexError):
        return f"cell {index}"
    return f"cell {ids.index(cell_id) + 1} (id {cell_id})" if cell_id in ids else f"cell {index} (id {cell_id})"


def build_one(job: Job, root: Path) -> Outcome:
    """Execute, then render HTML (and PDF) into the job's folder; failures become an Outcome."""
    from ..report.render import render_html, render_pdf

    job.folder.mkdir(parents=True, exist_ok=True)
    try:
        nb = execute(job, root)
    except Exception as exc:  # one report's failure must not stop the others
        return Outcome(job.target.name, error=describe_failure(job, exc, root))
    try:
        html = render_html(nb, title=job.target.title)
        (job.folder / HTML).write_text(html, encoding="utf-8")
        if job.pdf:
            (job.folder / PDF).write_bytes(render_pdf(html))
    except Exception as exc:  # noqa: BLE001 - reported per report, as above
        return Outcome(job.target.name, error=f"{job.target.name}: rendering failed: {type(exc).__name__}: {exc}")
    return Outcome(job.target.name)


def run_jobs(jobs: Sequence[Job], *, root: Path, workers: int, env: dict[str, str | None]) -> list[Outcome]:
    """Build every job, *workers* at a time, with a progress bar naming what runs; outcomes in job order."""
    if not jobs:
        return []
    from tqdm import tqdm

    check_kernel()
    running: set[str] = set()
    lock = threading.Lock()
    bar = tqdm(total=len(jobs), desc="building", unit="report", file=sys.stderr, disable=None, leave=False)

    def work(job: Job) -> Outcome:
        with lock:
            running.add(job.target.name)
            bar.set_postfix_str(", ".join(sorted(running)))
        try:
            return build_one(job, root)
        finally:
            with lock:
                running.discard(job.target.name)
                bar.set_postfix_str(", ".join(sorted(running)))
                bar.update(1)

    with process_context(root, env), ThreadPoolExecutor(max_workers=max(1, min(workers, len(jobs)))) as pool:
        outcomes = list(pool.map(work, jobs))
    bar.close()
    return outcomes
