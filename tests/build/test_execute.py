"""Execution details that make two runs byte-identical, and how a failure is described."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from build_fixtures import notebook

from livingreview.build import execute


def test_strip_papermill_removes_run_metadata_and_fixes_the_injected_id():
    nb = notebook()
    injected = nbformat.v4.new_code_cell("# Parameters\nhypothesis = 'beta'\n")
    injected.metadata["tags"] = ["injected-parameters"]
    injected.id = "5f3a9c1e"
    nb.cells.insert(2, injected)
    nb.metadata["papermill"] = {"start_time": "2024-01-01T00:00:00", "duration": 1.5}
    for cell in nb.cells:
        cell.metadata["papermill"] = {"duration": 0.1, "status": "completed"}
        cell.metadata["execution"] = {"iopub.status.busy": "2024-01-01T00:00:00"}
    stripped = execute.strip_papermill(nb)
    assert "papermill" not in stripped.metadata
    assert all(set(c.metadata) <= {"tags"} for c in stripped.cells)
    assert [c.id for c in stripped.cells] == ["cell-0", "cell-1", "injected-parameters", "cell-2"]


def test_kernel_environment():
    root = Path("/project")
    assert execute.kernel_environment(root, source_date_epoch="1700000000", sources=None) == {
        "SOURCE_DATE_EPOCH": "1700000000", "LIVINGREVIEW_ROOT": "/project", "LIVINGREVIEW_SOURCES": None,
        "LIVINGREVIEW_SNAPSHOT": None, "IPYTHONDIR": None}
    assert execute.kernel_environment(root, source_date_epoch="0", sources=None, ipython_dir=Path("/project/outputs/.s/ipython"))[
        "IPYTHONDIR"] == "/project/outputs/.s/ipython"
    assert execute.kernel_environment(root, source_date_epoch="0", sources=None,
                                      snapshot=Path("/project/outputs/.staging-x/review.pickle"))[
        "LIVINGREVIEW_SNAPSHOT"] == "/project/outputs/.staging-x/review.pickle"
    assert execute.kernel_environment(root, source_date_epoch="0", sources=Path("/texts"))["LIVINGREVIEW_SOURCES"] == "/texts"


def test_report_kernels_run_no_startup_file_or_setting_of_the_users_ipython_profile(tmp_path, monkeypatch):
    from livingreview.build import engine

    startup = tmp_path / "home-ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-mine.py").write_text("LEAKED = 'a startup file of whoever runs the build'\n", encoding="utf-8")
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "home-ipython"))
    cell = nbformat.v4.new_code_cell("print('LEAKED' in globals())")
    cell.id = "leak"
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": engine.KERNEL, "display_name": "livingreview", "language": "python"}
    nbformat.write(nb, tmp_path / "in.ipynb")
    (tmp_path / "staging").mkdir()
    env = execute.kernel_environment(tmp_path, source_date_epoch="0", sources=None, ipython_dir=tmp_path / "staging" / "ipython")
    with execute.process_context(tmp_path, env):
        executed = engine.run(tmp_path / "in.ipynb", tmp_path / "out.ipynb", parameters={}, cwd=tmp_path,
                              watch=engine.Watch(cell_timeout=60, report_timeout=120))
    assert executed.cells[-1].outputs[0]["text"] == "False\n"


def test_process_context_sets_and_restores_cwd_and_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LIVINGREVIEW_SOURCES", "/elsewhere")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    cwd = os.getcwd()
    with execute.process_context(tmp_path, {"SOURCE_DATE_EPOCH": "42", "LIVINGREVIEW_SOURCES": None}):
        assert os.getcwd() == str(tmp_path)
        assert os.environ["SOURCE_DATE_EPOCH"] == "42"
        assert "LIVINGREVIEW_SOURCES" not in os.environ
    assert os.getcwd() == cwd
    assert "SOURCE_DATE_EPOCH" not in os.environ
    assert os.environ["LIVINGREVIEW_SOURCES"] == "/elsewhere"


def test_shared_context_is_entered_by_the_first_job_and_left_by_the_last(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    cwd, env = os.getcwd(), {"SOURCE_DATE_EPOCH": "42"}
    first = execute.shared_context(tmp_path, env)
    first.__enter__()
    with execute.shared_context(tmp_path, env):  # a second job of the same build, at the same time
        assert os.getcwd() == str(tmp_path)
    assert os.getcwd() == str(tmp_path) and os.environ["SOURCE_DATE_EPOCH"] == "42"  # the first still runs
    first.__exit__(None, None, None)
    assert os.getcwd() == cwd and "SOURCE_DATE_EPOCH" not in os.environ


def test_a_job_of_another_build_waits_until_the_first_builds_jobs_end(tmp_path, monkeypatch):
    import threading

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    other = tmp_path / "other"
    other.mkdir()
    seen = []

    def second_build():
        with execute.shared_context(other, {"SOURCE_DATE_EPOCH": "7"}):
            seen.append((os.getcwd(), os.environ["SOURCE_DATE_EPOCH"]))

    with execute.shared_context(tmp_path, {"SOURCE_DATE_EPOCH": "42"}):
        thread = threading.Thread(target=second_build)
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive() and seen == []  # it waits, leaving this build's directory and environment
        assert os.getcwd() == str(tmp_path) and os.environ["SOURCE_DATE_EPOCH"] == "42"
    thread.join(timeout=10)
    assert seen == [(str(other), "7")]


def test_a_report_runs_in_a_thread_of_its_own_even_from_inside_a_running_event_loop():
    # a dask worker (processes=False) may call run_job on a thread whose event loop is running
    # elsewhere; nbclient then refused to start a kernel ("This event loop is already running")
    import asyncio

    from livingreview.build.execute import in_own_thread

    def start_like_nbclient():
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(asyncio.sleep(0, result="kernel started"))
        finally:
            loop.close()

    async def inside_a_running_loop():
        waiting = asyncio.sleep(0)
        with pytest.raises(RuntimeError, match="already running"):
            asyncio.get_event_loop().run_until_complete(waiting)
        waiting.close()
        return in_own_thread(start_like_nbclient)

    assert asyncio.run(inside_a_running_loop()) == "kernel started"
    with pytest.raises(ZeroDivisionError):
        in_own_thread(lambda: 1 / 0)  # an exception reaches the caller
