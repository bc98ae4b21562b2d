"""Where reports run: ``--executor threads`` (the default) or ``dask://HOST:PORT``, any standard Executor."""

from __future__ import annotations

import builtins
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from build_fixtures import build, make_project, tree, untimed

from livingreview.build import executors, kernelfork
from livingreview.errors import ConfigError


@pytest.mark.parametrize("spec, says", [
    ("processes", "unknown executor 'processes'"),
    ("tcp://127.0.0.1:8786", "unknown executor 'tcp://127.0.0.1:8786'"),
    ("dask://", "'dask://' names no scheduler"),
    ("dask://127.0.0.1", "'dask://127.0.0.1' names no scheduler"),
    ("dask://:8786", "names no scheduler"),
])
def test_a_value_naming_no_executor_is_refused_naming_the_option(spec, says):
    with pytest.raises(ConfigError) as caught:
        executors.check(spec)
    (problem,) = caught.value.diagnostics
    assert (problem.code, problem.file) == ("BLD009", "--executor") and says in problem.message
    assert "dask://HOST:PORT" in problem.hint


def test_the_default_is_a_thread_pool_of_the_jobs_asked_for():
    for spec in (None, "threads"):
        with executors.open_executor(spec, workers=3) as pool:
            assert isinstance(pool, ThreadPoolExecutor) and pool._max_workers == 3


def test_a_local_build_starts_the_kernels_template_ahead_in_the_kernels_folder_and_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LR_TEST_DROPPED", "x")
    with executors.kernels_ahead(None, root=tmp_path, env={"LR_TEST_MARKER": "ahead", "LR_TEST_DROPPED": None}):
        (template,) = kernelfork._Templates.current.values()
        pid = template.process.pid
        environ = dict(item.split("=", 1) for item in
                       (open(f"/proc/{pid}/environ", "rb").read().decode().split("\0")) if "=" in item)
        assert environ["LR_TEST_MARKER"] == "ahead" and "LR_TEST_DROPPED" not in environ
        assert os.readlink(f"/proc/{pid}/cwd") == str(tmp_path)
    assert kernelfork._Templates.current is None and template.process.poll() is not None


def test_kernels_that_run_on_dask_workers_are_not_forked_here(tmp_path):
    with executors.kernels_ahead("dask://127.0.0.1:8786", root=tmp_path, env={}):
        assert kernelfork._Templates.current is None


def test_without_the_dask_extra_the_hint_is_the_install_command(monkeypatch):
    real_import = builtins.__import__

    def no_distributed(name, *args, **kwargs):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError(f"No module named '{name}'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    with pytest.raises(ConfigError) as caught, executors.open_executor("dask://127.0.0.1:8786", workers=1):
        pass
    (problem,) = caught.value.diagnostics
    assert problem.message == "dask.distributed is not installed"
    assert problem.hint == "pip install 'livingreview[dask]'"


def test_a_scheduler_that_does_not_answer_is_bad_input_not_a_bug(monkeypatch):
    import socket

    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", "1s")
    with socket.socket() as probe:  # a free port on the loopback interface: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConfigError) as caught, executors.open_executor(f"dask://127.0.0.1:{port}", workers=1):
        pass
    (problem,) = caught.value.diagnostics
    assert problem.code == "BLD009" and f"no dask scheduler answered at 127.0.0.1:{port}" in problem.message


@pytest.mark.slow
def test_a_build_on_a_dask_cluster_publishes_the_same_bytes_as_the_default_build(built_once, tmp_path):
    distributed = pytest.importorskip("distributed")  # the dask extra (./tasks setup installs it)
    project = make_project(tmp_path / "review")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        address = cluster.scheduler_address.removeprefix("tcp://")
        assert build(project, executor=f"dask://{address}") == 0
        assert "run_job" in cluster.scheduler.task_prefixes  # the reports ran as tasks of the cluster
    assert untimed(tree(project.outputs_dir)) == untimed(tree(built_once / "outputs"))
