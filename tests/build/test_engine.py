"""The papermill adapter: time limits per cell and per report, and failures named by notebook and cell."""

from __future__ import annotations

import nbformat
from build_fixtures import notebook
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.exceptions import PapermillExecutionError

from livingreview.build import engine, failure


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def author_cells():
    return [dict(c) for c in notebook("raise KeyError('x')").cells]


def running(cell_index: int, **limits) -> engine.Watch:
    """A watch whose notebook is at the author's cell *cell_index* (0-based); papermill's injected cell
    comes before it and has an id of its own."""
    watch = engine.Watch(**{"cell_timeout": 10, "report_timeout": 100, **limits})
    watch(nbformat.from_dict(author_cells()[cell_index]))
    return watch


def test_each_cell_gets_the_cell_limit_until_the_report_limit_is_nearer():
    clock = Clock()
    watch = engine.Watch(cell_timeout=10, report_timeout=25, clock=clock)
    assert (watch({"id": "a"}), watch.limit) == (10, "cell")
    clock.now += 20
    assert (watch({"id": "b"}), watch.limit) == (5, "report")
    assert watch.cell == {"id": "b"}
    clock.now += 30  # past the deadline: the next cell still gets a moment to be stopped cleanly
    assert watch({"id": "c"}) == 1


def test_a_cell_that_raised_is_named_by_its_number_in_the_authors_notebook():
    exc = PapermillExecutionError(cell_index=4, exec_count=3, source="raise KeyError('x')", ename="KeyError",
                                  evalue="'x'", traceback=["\x1b[0;31mKeyError\x1b[0m: 'x'"])
    found = engine.failure(exc, watch=running(3), report="alpha/pem", notebook="notebooks/alpha.ipynb",
                           author_cells=author_cells())
    assert found.message == "alpha/pem: cell 4 (id cell-3) of notebooks/alpha.ipynb raised KeyError: 'x'"
    assert (found.code, found.cell, found.cell_id, found.ename, found.evalue) == (failure.CELL_RAISED, 4, "cell-3", "KeyError", "'x'")
    assert found.traceback == ["KeyError: 'x'"]  # colour codes removed


def test_a_timeout_says_which_limit_and_where_to_change_it():
    exc = CellTimeoutError("A cell timed out while it was being executed, after 10 seconds.")
    cells = author_cells()
    found = engine.failure(exc, watch=running(2), report="alpha/all", notebook="notebooks/alpha.ipynb", author_cells=cells)
    assert (found.code, found.cell) == (failure.CELL_TIMEOUT, 3)
    assert found.message == ("alpha/all: cell 3 (id cell-2) of notebooks/alpha.ipynb was stopped: it ran longer than 10 s "
                             "(limits.cell_timeout in reviews/build.yml)")
    watch = running(2, cell_timeout=50, report_timeout=20)
    found = engine.failure(exc, watch=watch, report="alpha/all", notebook="notebooks/alpha.ipynb", author_cells=cells)
    assert found.code == failure.REPORT_TIMEOUT and "limits.report_timeout" in found.message


def test_a_dead_kernel_names_the_cell_it_was_running():
    found = engine.failure(DeadKernelError("Kernel died"), watch=running(3), report="beta/all",
                           notebook="notebooks/beta.ipynb", author_cells=author_cells())
    assert found.code == failure.KERNEL_DIED
    assert found.message == "beta/all: the kernel died while cell 4 (id cell-3) of notebooks/beta.ipynb ran (DeadKernelError: Kernel died)"


def test_a_kernel_that_never_started_names_the_notebook():
    watch = engine.Watch(cell_timeout=10, report_timeout=100)
    found = engine.failure(RuntimeError("Kernel didn't respond in 60 seconds"), watch=watch, report="beta/all",
                           notebook="notebooks/beta.ipynb", author_cells=author_cells())
    assert (found.code, found.cell) == (failure.KERNEL_DID_NOT_START, None)
    assert found.message.startswith("beta/all: the kernel for notebooks/beta.ipynb did not start")


def test_a_stopped_notebook_keeps_what_ran_under_papermills_error_marker():
    from papermill.execute import ERROR_MARKER_TAG

    watch = running(2)
    watch.notebook = notebook()
    stopped = engine.stopped_notebook(watch, "cell 3 was stopped")
    assert stopped.cells[0].metadata["tags"] == [ERROR_MARKER_TAG] and "cell 3 was stopped" in stopped.cells[0].source
    assert len(engine.stopped_notebook(watch, "again").cells) == len(stopped.cells)  # one marker only
    assert engine.stopped_notebook(engine.Watch(cell_timeout=1, report_timeout=1), "x") is None


def test_a_report_kernel_writes_nothing_to_the_users_ipython_history(tmp_path):
    cell = nbformat.v4.new_code_cell("print(get_ipython().history_manager.enabled)")
    cell.id = "history"
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": engine.KERNEL, "display_name": "livingreview", "language": "python"}
    nbformat.write(nb, tmp_path / "in.ipynb")
    watch = engine.Watch(cell_timeout=60, report_timeout=120)
    executed = engine.run(tmp_path / "in.ipynb", tmp_path / "out.ipynb", parameters={}, cwd=tmp_path, watch=watch)
    assert executed.cells[-1].outputs[0]["text"] == "False\n"
