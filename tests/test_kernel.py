"""The report notebooks' kernel is registered by ipykernel's installer, for the Python that runs livingreview."""

from __future__ import annotations

import json
import sys

from livingreview import cli, kernel


def test_install_registers_this_python_under_the_notebooks_kernel_name(tmp_path):
    folder = kernel.install(prefix=tmp_path)
    assert folder == tmp_path / "share" / "jupyter" / "kernels" / "livingreview"
    spec = json.loads((folder / "kernel.json").read_text(encoding="utf-8"))
    assert spec["display_name"] == "Python 3 (livingreview)" and spec["argv"][0] == sys.executable
    assert kernel.install(prefix=tmp_path) == folder  # again: replaced, not duplicated


def test_the_command_needs_no_project_and_names_its_choices(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no reviews/build.yml anywhere above
    monkeypatch.setattr(kernel, "install", lambda user=False: tmp_path / "kernels" / "livingreview")
    assert cli.main(["kernel", "install"]) == 0
    assert "registered the Jupyter kernel 'livingreview'" in capsys.readouterr().out
