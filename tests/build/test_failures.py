"""Reports that fail for real (endless cells, dying kernels, warnings under --strict, read-only outputs):
exit 2, the notebook and cell named, the previous outputs untouched, the executed notebook kept."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from build_fixtures import edit, make_project, tree

from livingreview import cli
from livingreview.build import publish
from livingreview.build.failure import CELL_OUTPUT, CELL_RAISED, CELL_TIMEOUT, KERNEL_DIED, MACHINE_TRACE, REPORT_TIMEOUT

pytestmark = pytest.mark.slow


def add_cell(project, source: str, hypothesis: str = "beta") -> None:
    """Append a code cell with id ``cell-new`` (the author's cell 4) to a hypothesis's notebook."""
    path = project.notebooks_dir / f"{hypothesis}.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_code_cell(source)
    cell.id = "cell-new"
    nb.cells.append(cell)
    nbformat.write(nb, path)


def set_limits(project, **limits) -> None:
    with project.config_path.open("a", encoding="utf-8") as handle:
        handle.write("limits:\n" + "".join(f"  {k}: {v}\n" for k, v in limits.items()))


def run(project, *args: str) -> int:
    return cli.main(["--root", str(project.root), "build", "--no-pdf", "--only", "beta/all", *args])


def report_entry(project, name: str = "beta/all") -> dict:
    return json.loads((project.outputs_dir / "build-report.json").read_text(encoding="utf-8"))["reports"][name]


def published(project) -> dict[str, bytes]:
    """outputs/ as readers get it: without the build's own log and the kept failures, and the manifest
    without the tree fingerprint (a build that failed clears it, so the next one looks again)."""
    files = {n: d for n, d in tree(project.outputs_dir).items() if n != "build-report.json" and not n.startswith(".failed/")}
    manifest = json.loads(files.pop("manifest.json"))
    manifest.pop("tree", None)
    return {**files, "manifest.json": json.dumps(manifest, sort_keys=True).encode()}


def kept_notebook(project, name: str = "beta/all") -> nbformat.NotebookNode:
    return nbformat.read(project.outputs_dir / publish.failed_notebook(name), as_version=4)


def assert_failed_in_place(project, before: dict, code: str, capsys) -> dict:
    """The report failed with *code*, named notebook and cell 4, and nothing published changed."""
    out = capsys.readouterr().out
    entry = report_entry(project)
    diagnostic = entry["diagnostic"]
    assert entry["status"] == "failed" and diagnostic["code"] == code
    assert (diagnostic["notebook"], diagnostic["cell"], diagnostic["cell_id"]) == ("notebooks/beta.ipynb", 4, "cell-new")
    assert diagnostic["executed"] == ".failed/beta/all/report.ipynb"
    assert f"failed  {entry['error']}" in out and "outputs/.failed/beta/all/report.ipynb" in out
    assert published(project) == before
    return diagnostic


def test_an_endless_cell_is_stopped_at_the_cell_limit(built, capsys):
    set_limits(built, cell_timeout=8)  # the cells before it (imports, selection) take a second or two
    add_cell(built, "while True:\n    pass")
    before = published(built)
    assert run(built) == 2
    diagnostic = assert_failed_in_place(built, before, CELL_TIMEOUT, capsys)
    assert "ran longer than 8 s (limits.cell_timeout in reviews/build.yml)" in diagnostic["message"]
    kept = kept_notebook(built)
    assert "The build stopped this notebook" in kept.cells[0].source
    assert kept.cells[-2].outputs[0]["text"].startswith("beta ")  # the cells before it ran


def test_a_notebook_that_outlasts_the_report_limit_is_stopped(built, capsys):
    set_limits(built, cell_timeout=60, report_timeout=20)  # room for the kernel and the cells before it
    add_cell(built, "import time\ntime.sleep(60)")
    before = published(built)
    assert run(built) == 2
    assert "limits.report_timeout" in assert_failed_in_place(built, before, REPORT_TIMEOUT, capsys)["message"]


def test_a_dying_kernel_names_the_cell(built, capsys):
    add_cell(built, "import os\nos._exit(1)")
    before = published(built)
    assert run(built) == 2
    assert_failed_in_place(built, before, KERNEL_DIED, capsys)


def test_a_cell_waiting_for_input_gets_an_error_not_a_hang(built, capsys):
    add_cell(built, "answer = input('continue? ')")
    before = published(built)
    assert run(built) == 2
    diagnostic = assert_failed_in_place(built, before, CELL_RAISED, capsys)
    assert diagnostic["ename"] == "StdinNotImplementedError"
    assert any("StdinNotImplementedError" in line for line in diagnostic["traceback"])
    kept = kept_notebook(built)
    assert any(o.output_type == "error" for c in kept.cells for o in c.get("outputs", []))


def test_the_kept_notebook_is_replaced_by_the_next_attempt_and_cleared_by_a_success(built, capsys):
    add_cell(built, "raise ValueError('first')")
    assert run(built) == 2
    edit(built.notebooks_dir / "beta.ipynb", "first", "second")
    assert run(built) == 2
    assert "second" in json.dumps(kept_notebook(built)) and "first" not in json.dumps(kept_notebook(built))
    edit(built.notebooks_dir / "beta.ipynb", "raise ValueError('second')", "pass")
    assert run(built) == 0
    assert not (built.outputs_dir / publish.FAILED).exists()


def test_a_warning_in_a_cell_fails_the_report_under_strict(built, capsys):
    add_cell(built, "import warnings\nwarnings.warn('this estimate is unstable')")
    before = published(built)
    assert run(built, "--strict") == 2
    diagnostic = assert_failed_in_place(built, before, CELL_OUTPUT, capsys)
    assert "wrote to stderr:" in diagnostic["message"] and "this estimate is unstable" in diagnostic["message"]


def test_without_strict_a_warning_is_reported_and_kept_out_of_the_report(built, capsys):
    add_cell(built, "import sys, warnings\nwarnings.warn('this estimate is unstable')\nprint('x', file=sys.stderr)")
    assert run(built) == 0
    out = capsys.readouterr().out
    assert "warning beta/all: cell 4 (id cell-new) of notebooks/beta.ipynb wrote to stderr:" in out
    [warning] = report_entry(built)["warnings"]  # the kernel sends both lines as one stderr stream
    assert "UserWarning: this estimate is unstable" in warning
    for name in ("report.html", "report.ipynb"):
        text = (built.outputs_dir / "beta" / "all" / name).read_text(encoding="utf-8")
        assert "UserWarning" not in text and "ipykernel_" not in text and str(built.root) not in text


def test_a_path_of_the_build_machine_in_a_cell_output_fails_under_strict(built, capsys):
    add_cell(built, "import os\nprint(os.getcwd())")
    before = published(built)
    assert run(built, "--strict") == 2
    entry = report_entry(built)
    assert entry["diagnostic"]["code"] == MACHINE_TRACE and str(built.root) in entry["error"]
    assert published(built) == before
    assert run(built) == 0
    assert "a path of the build machine" in capsys.readouterr().out


def test_reports_built_in_two_folders_are_byte_identical(tmp_path):
    """Nothing of where the project lives (its folder, the temp folder) reaches a published file."""
    first, second = make_project(tmp_path / "a" / "review"), make_project(tmp_path / "elsewhere" / "deeper" / "copy")
    for project in (first, second):
        assert cli.main(["--root", str(project.root), "build", "--strict"]) == 0
    one, two = published(first), published(second)
    assert one.keys() == two.keys() and "beta/pem/report.pdf" in one
    assert {n: d for n, d in one.items() if not n.endswith(".pdf")} == {n: d for n, d in two.items() if not n.endswith(".pdf")}
    for name in one:
        assert str(first.root).encode() not in one[name] and str(tmp_path).encode() not in one[name]
    text = lambda path: subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert all(text(first.outputs_dir / n) == text(second.outputs_dir / n) for n in one if n.endswith(".pdf"))


@pytest.fixture
def read_only(built):
    """outputs/ made read-only for the duration (for root, whom file modes do not stop: immutable, with chattr)."""
    folder = built.outputs_dir
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield built
        folder.chmod(0o755)
        return
    assert shutil.which("chattr"), "chattr (e2fsprogs) makes a folder read-only for root"
    subprocess.run(["chattr", "+i", str(folder)], check=True)
    yield built
    subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_read_only_outputs_is_an_error_naming_the_folder(read_only, capsys):
    edit(read_only.notes_dir / "doe2020.yml", "quick_summary: An invented study.", "quick_summary: An invented one.")
    before = tree(read_only.outputs_dir)
    assert run(read_only) == 2
    err = capsys.readouterr().err
    assert str(read_only.outputs_dir) in err and "cannot write" in err and "internal error" not in err
    assert tree(read_only.outputs_dir) == before
