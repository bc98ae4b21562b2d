"""Report kernels forked from a template: the same kernel as one started afresh, only started sooner."""

from __future__ import annotations

import json
import os
import sys
import time

import nbformat
import pytest
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from livingreview import pages
from livingreview.build import engine, kernelfork

#: what a cell reports of the process it runs in
ABOUT = """import json, os, sys
print(json.dumps({"ppid": os.getppid(), "session_leader": os.getsid(0) == os.getpid(), "cwd": os.getcwd(),
                  "path": sys.path, "argv": sys.argv[:2] + sys.argv[3:], "marker": os.environ.get("LR_TEST_MARKER"),
                  "executed": len(In), "mplbackend": os.environ.get("MPLBACKEND")}))"""


def about(tmp_path, folder: str = "a", code: str = ABOUT, **limits) -> dict:
    """What the one cell of a notebook run by the report engine in *tmp_path*/*folder* printed."""
    cwd = tmp_path / folder
    cwd.mkdir(exist_ok=True)
    cell = nbformat.v4.new_code_cell(code)
    cell.id = "about"
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": engine.KERNEL, "display_name": "livingreview", "language": "python"}
    nbformat.write(nb, cwd / "in.ipynb")
    watch = engine.Watch(**{"cell_timeout": 60, "report_timeout": 120, **limits})
    executed = engine.run(cwd / "in.ipynb", cwd / "out.ipynb", parameters={}, cwd=cwd, watch=watch)
    return json.loads(executed.cells[-1].outputs[0]["text"])


def test_a_forked_kernel_is_the_kernel_a_fresh_start_gives(tmp_path, monkeypatch):
    monkeypatch.setenv("LR_TEST_MARKER", "one")
    fresh = about(tmp_path)
    with kernelfork.templates():
        forked = about(tmp_path)
    assert fresh["ppid"] == os.getpid() and forked["ppid"] != os.getpid()  # the second is the template's child
    for seen in (fresh, forked):
        del seen["ppid"]
    assert forked == fresh
    assert forked["session_leader"] and forked["cwd"] == str(tmp_path / "a") and forked["executed"] == 2


def test_each_forked_kernel_gets_its_own_folder_and_environment(tmp_path, monkeypatch):
    with kernelfork.templates():
        monkeypatch.setenv("LR_TEST_MARKER", "first")
        first = about(tmp_path, "a")
        monkeypatch.setenv("LR_TEST_MARKER", "second")
        second = about(tmp_path, "b")
        opened = list(kernelfork._Templates.current.values())
    assert (first["marker"], second["marker"]) == ("first", "second")
    assert (first["cwd"], second["cwd"]) == (str(tmp_path / "a"), str(tmp_path / "b"))
    assert first["ppid"] == second["ppid"] and len(opened) == 1  # one template served both
    assert opened[0].process.poll() is not None  # and left with the block


def test_a_forked_kernel_finds_the_report_templates_compiled(tmp_path):
    code = "from livingreview import pages\nprint(len(pages.environment().cache))"
    fresh = about(tmp_path, code=code)
    with kernelfork.templates():
        forked = about(tmp_path, code=code)
    assert fresh == 0 and forked == len(pages.environment().list_templates(extensions=["j2"]))


def test_the_template_imports_only_what_a_kernel_started_afresh_imports_for_a_report(tmp_path):
    code = "import json, sys\nimport livingreview, livingreview.report\nprint(json.dumps(sorted(sys.modules)))"
    imported = set(about(tmp_path, code=code))  # no template: a kernel started as the kernelspec says
    assert {name.partition(":")[0] for name in kernelfork.PRELOAD} <= imported


def test_a_forked_kernel_is_stopped_by_the_cell_limit(tmp_path):
    with kernelfork.templates(), pytest.raises(CellTimeoutError):
        about(tmp_path, code="import time\ntime.sleep(60)", cell_timeout=2)


def test_a_forked_kernel_that_dies_is_seen_to_die(tmp_path):
    started = time.monotonic()
    with kernelfork.templates(), pytest.raises(DeadKernelError):
        about(tmp_path, code="import os\nos._exit(3)")
    assert time.monotonic() - started < 60


def test_a_template_whose_imports_fail_leaves_kernels_to_start_afresh(tmp_path, monkeypatch):
    monkeypatch.setattr(kernelfork, "PRELOAD", ("livingreview", "no_such_module_here"))
    with kernelfork.templates():
        seen = about(tmp_path)
    assert seen["ppid"] == os.getpid()


def test_kernels_leave_when_the_build_has_gone(tmp_path):
    cmd = [sys.executable, "-m", kernelfork.LAUNCHER, "-f", str(tmp_path / "kernel.json"),
           "--IPKernelApp.log_level=CRITICAL"]
    with kernelfork.templates():
        kernel = kernelfork.fork(cmd, env=dict(os.environ), cwd=str(tmp_path))
        assert kernel is not None and kernel.poll() is None
    deadline = time.monotonic() + 20
    while kernelfork._exists(kernel.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not kernelfork._exists(kernel.pid)


def test_a_forked_kernel_holds_none_of_the_templates_descriptors(tmp_path):
    def cmd(name):
        return [sys.executable, "-m", kernelfork.LAUNCHER, "-f", str(tmp_path / name), "--IPKernelApp.log_level=CRITICAL"]

    with kernelfork.templates():
        first = kernelfork.fork(cmd("one.json"), env=dict(os.environ), cwd=str(tmp_path))
        second = kernelfork.fork(cmd("two.json"), env=dict(os.environ), cwd=str(tmp_path))
        held = [os.readlink(f"/proc/{second.pid}/fd/{fd}") for fd in os.listdir(f"/proc/{second.pid}/fd")]
        for kernel in (first, second):
            kernel.kill()
            kernel.wait(timeout=20)
    assert not [link for link in held if "pidfd" in link]  # the first kernel's, which the template watches


def test_only_ipykernels_launcher_under_this_interpreter_is_forked():
    python = sys.executable
    assert kernelfork.split_command([python, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "k.json"]) == (
        (python, "-Xfrozen_modules=off"), ["-f", "k.json"])
    assert kernelfork.split_command([python, "-m", "ipykernel_launcher", "-f", "k.json"]) == ((python,), ["-f", "k.json"])
    assert kernelfork.split_command(["/usr/bin/python3.9", "-m", "ipykernel_launcher", "-f", "k.json"]) is None
    assert kernelfork.split_command([python, "-u", "-m", "ipykernel_launcher", "-f", "k.json"]) is None
    assert kernelfork.split_command([python, "-m", "ipykernel", "-f", "k.json"]) is None
    assert kernelfork.split_command(["ipykernel_launcher", "-f", "k.json"]) is None


def test_another_environment_on_the_same_interpreter_is_not_forked(tmp_path):
    other = tmp_path / "other-venv" / "bin"
    other.mkdir(parents=True)
    (other / "python").symlink_to(os.path.realpath(sys.executable))
    assert not kernelfork.same_interpreter(str(other / "python"))
    assert kernelfork.split_command([str(other / "python"), "-m", "ipykernel_launcher", "-f", "k.json"]) is None
    assert kernelfork.same_interpreter(sys.executable)


def test_without_templates_nothing_is_forked(tmp_path):
    cmd = [sys.executable, "-m", kernelfork.LAUNCHER, "-f", str(tmp_path / "kernel.json")]
    assert kernelfork.fork(cmd, env=dict(os.environ), cwd=str(tmp_path)) is None
