"""``livingreview build`` end to end on the tiny project: reuse, targeted rebuilds, failures, explain."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from build_fixtures import build, edit, make_project, tree

import livingreview
from livingreview.build import bundle, publish
from livingreview.project import Project

pytestmark = pytest.mark.slow


def build_report(project) -> dict:
    return json.loads((project.outputs_dir / "build-report.json").read_text(encoding="utf-8"))


def statuses(project) -> dict[str, str]:
    return {name: r["status"] for name, r in build_report(project)["reports"].items()}


def without_build_report(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if name != "build-report.json"}


def test_first_build_publishes_every_report(built):
    out = built.outputs_dir
    assert build_report(built)["kernels_started"] == 4
    assert sorted(p.name for p in (out / "beta" / "pem").iterdir()) == [
        "certainty.csv", "certainty.json", "claim-drift.csv", "claim-drift.json", "effects.csv", "effects.json",
        "evidence.csv", "evidence.json", "open-questions.csv", "open-questions.json", "report.html", "report.ipynb",
        "risk-of-bias.csv", "risk-of-bias.json"]
    nb = nbformat.read(out / "beta" / "pem" / "report.ipynb", as_version=4)
    assert nb.cells[-1].outputs[0]["text"] == "beta 2 findings from doe2020, poe2019\n"
    assert "papermill" not in nb.metadata
    assert [c.id for c in nb.cells] == ["cell-0", "cell-1", "injected-parameters", "cell-2"]
    assert not list(out.glob(".staging-*"))


def test_each_built_report_records_its_phases_and_a_reused_one_keeps_them(built):
    first = build_report(built)
    assert set(first["time"]) == {"load", "plan", "references", "kernel template", "reports", "total"}
    assert first["time"]["kernel template"]["cpu_s"] > 0.3  # the imports every kernel was spared
    for name, record in first["reports"].items():
        figures = record["time"]
        assert sorted(figures) == ["execute", "html", "kernel"], name  # built without a PDF
        assert figures["kernel"]["wall_s"] > 0 and figures["execute"]["cpu_s"] > 0  # the kernel process's CPU
    kernels = sum(r["time"]["execute"]["cpu_s"] for r in first["reports"].values())
    assert first["time"]["total"]["cpu_s"] >= kernels  # the build counts the kernels it waited for
    assert build(built) == 0  # nothing changed: every report reused
    again = build_report(built)
    assert {n: r["time"] for n, r in again["reports"].items()} == {n: r["time"] for n, r in first["reports"].items()}


def test_the_review_wide_question_register_is_published_and_linked(built):
    out = built.outputs_dir
    rows = json.loads((out / "open-questions.json").read_text(encoding="utf-8"))
    assert [(r["question_id"], r["status"]) for r in rows] == [("q-alpha-dose", "open"), ("q-beta-dose", "open")]
    assert (out / "open-questions.csv").read_text(encoding="utf-8").splitlines()[2].startswith("q-beta-dose,")
    assert "q-beta-dose" in (out / "open-questions.html").read_text(encoding="utf-8")
    assert '<a href="open-questions.html">' in (out / "index.html").read_text(encoding="utf-8")


def test_nothing_changed_starts_no_kernel_and_rewrites_nothing(built):
    before = tree(built.outputs_dir)
    assert build(built) == 0
    assert build_report(built)["kernels_started"] == 0
    assert statuses(built) == {"alpha/all": "reused", "alpha/pem": "reused", "beta/all": "reused", "beta/pem": "reused"}
    assert without_build_report(tree(built.outputs_dir)) == without_build_report(before)


def test_a_deleted_index_is_restored_without_starting_a_kernel(built):
    index_page = built.outputs_dir / "index.html"
    before = index_page.read_bytes()
    index_page.unlink()
    assert build(built) == 0
    assert build_report(built)["kernels_started"] == 0
    assert index_page.read_bytes() == before


def test_one_note_edit_rebuilds_exactly_the_reports_that_read_it(built, capsys):
    edit(built.notes_dir / "poe2019.yml", "direction: contradicts", "direction: supports")
    before = tree(built.outputs_dir)
    assert build(built) == 0
    assert build_report(built)["kernels_started"] == 2
    assert statuses(built) == {"alpha/all": "reused", "alpha/pem": "reused", "beta/all": "built", "beta/pem": "built"}
    after = tree(built.outputs_dir)
    assert {n for n in after if after[n] != before.get(n)} >= {"beta/all/evidence.csv", "beta/pem/evidence.csv"}
    assert all(after[n] == before[n] for n in after if n.startswith("alpha/"))
    changelog = (built.outputs_dir / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.count("- Direction changed: poe2019#f1 contradicts → supports") == 2
    assert "### beta/pem\n\n- Direction changed: poe2019#f1 contradicts → supports\n" in changelog
    assert "built   beta/all (changed: reviews/notes/poe2019.yml, selection data)" in capsys.readouterr().out


def test_explain_names_the_changed_file_and_builds_nothing(built, capsys):
    # poe2019 bears on beta only: the alpha reports do not read it
    edit(built.notes_dir / "poe2019.yml", "quick_summary: An invented study.", "quick_summary: An invented trial.")
    before = tree(built.outputs_dir)
    keys = {name: r["key"][:12] for name, r in json.loads(before["manifest.json"])["reports"].items()}
    assert build(built, explain=True) == 0
    lines = capsys.readouterr().out.splitlines()
    # under each report, the phases of the build that last made it
    assert [line.startswith("    last built: kernel ") for line in lines[:8]] == [False, True] * 4
    assert lines[:8:2] == [
        f"alpha/all: reuse — nothing it reads changed (key {keys['alpha/all']})",
        f"alpha/pem: reuse — nothing it reads changed (key {keys['alpha/pem']})",
        "beta/all: rebuild — changed: reviews/notes/poe2019.yml",
        "beta/pem: rebuild — changed: reviews/notes/poe2019.yml",
    ]
    assert tree(built.outputs_dir) == before


def test_force_rebuilds_everything(built):
    assert build(built, force=True, only=["alpha"]) == 0
    assert build_report(built)["kernels_started"] == 2
    assert statuses(built) == {"alpha/all": "built", "alpha/pem": "built"}


def test_a_raising_cell_fails_that_report_only_and_keeps_its_old_outputs(built, capsys):
    path = built.notebooks_dir / "beta.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_code_cell('if pem_required_only:\n    raise ValueError("boom")')
    cell.id = "cell-raise"
    nb.cells.append(cell)
    nbformat.write(nb, path)
    before = tree(built.outputs_dir)
    assert build(built) == 2
    assert statuses(built) == {"alpha/all": "reused", "alpha/pem": "reused", "beta/all": "built", "beta/pem": "failed"}
    error = build_report(built)["reports"]["beta/pem"]["error"]
    assert error == "beta/pem: cell 4 (id cell-raise) of notebooks/beta.ipynb raised ValueError: boom"
    assert f"failed  {error}" in capsys.readouterr().out
    after = tree(built.outputs_dir)
    assert {n: d for n, d in after.items() if n.startswith("beta/pem/")} == {n: d for n, d in before.items() if n.startswith("beta/pem/")}
    assert after["beta/all/report.ipynb"] != before["beta/all/report.ipynb"]
    manifest = json.loads(after["manifest.json"])
    assert manifest["reports"]["beta/pem"] == json.loads(before["manifest.json"])["reports"]["beta/pem"]
    # the failed report is retried by the next build; the others are reused
    assert build(built) == 2
    assert statuses(built)["beta/all"] == "reused"


def test_failure_mid_publish_leaves_outputs_as_they_were(built, monkeypatch):
    edit(built.notes_dir / "doe2020.yml", "quick_summary: An invented study.", "quick_summary: An invented one.")
    before = tree(built.outputs_dir)
    moved = []
    real = publish._publish_dir

    def fail_on_second(staged, target, trash):
        if moved:
            raise OSError("disk full (simulated)")
        moved.append(target)
        return real(staged, target, trash)

    monkeypatch.setattr(publish, "_publish_dir", fail_on_second)
    with pytest.raises(OSError, match="simulated"):
        build(built, only=["alpha"])
    assert moved == [built.outputs_dir / "alpha" / "all"]
    assert tree(built.outputs_dir) == before
    assert not list(built.outputs_dir.glob(".staging-*"))


def test_a_killed_publish_is_repaired_at_the_next_start(built):
    out = built.outputs_dir
    before = tree(out)
    trash = out / ".staging-killed" / publish.TRASH / "alpha"
    trash.mkdir(parents=True)
    (out / "alpha" / "all").rename(trash / "all")  # killed between the two renames
    assert build(built) == 0
    assert build_report(built)["kernels_started"] == 0
    assert without_build_report(tree(out)) == without_build_report(before)
    assert not (out / ".staging-killed").exists()


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_two_builds_from_the_same_inputs_are_byte_identical(tmp_path):
    project = make_project(tmp_path / "review")
    first, second = tmp_path / "first", tmp_path / "second"
    assert build(project, outputs=first, only=["beta"], pdf=True) == 0
    assert build(project, outputs=second, only=["beta"], pdf=True, force=True) == 0
    one, two = without_build_report(tree(first)), without_build_report(tree(second))
    pdfs = sorted(n for n in one if n.endswith(".pdf"))
    assert pdfs == ["beta/all/report.pdf", "beta/pem/report.pdf"]
    assert {n: d for n, d in one.items() if n not in pdfs} == {n: d for n, d in two.items() if n not in pdfs}
    assert [pdf_text(first / n) for n in pdfs] == [pdf_text(second / n) for n in pdfs]


def test_the_real_review_builds(tmp_path):
    """One strict build of the repository's own review (every report, no PDF), checked against its data."""
    project = Project(Path(__file__).resolve().parents[2])
    out = tmp_path / "outputs"
    assert build(project, outputs=out, strict=True) == 0
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    review = livingreview.load(project)
    names = [f"{h}/{v.name}" for h in sorted(review.hypotheses) for v in project.config.variants]
    assert sorted(report["reports"]) == names
    assert report["kernels_started"] == len(names)
    for name in names:
        hypothesis, variant = name.split("/")
        params = next(v for v in project.config.variants if v.name == variant).parameters
        expected = bundle.make_bundle(review.select(hypothesis, **params))
        assert json.loads((out / name / "evidence.json").read_text(encoding="utf-8"))["rows"] == expected.evidence
        nb = nbformat.read(out / name / "report.ipynb", as_version=4)
        assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert f'href="{name}/report.html"' in (out / "index.html").read_text(encoding="utf-8")


def test_a_variant_removed_from_the_matrix_is_dropped_from_manifest_and_index(built, capsys):
    edit(built.config_path, "  - name: pem\n    title: Only studies requiring PEM\n    parameters:\n      pem_required_only: true\n", "")
    assert build(built) == 0
    assert build_report(built)["kernels_started"] == 0
    manifest = json.loads((built.outputs_dir / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["reports"]) == ["alpha/all", "beta/all"]
    assert not [f for f in manifest["files"] if "/pem/" in f]
    assert "href=\"alpha/pem/" not in (built.outputs_dir / "index.html").read_text(encoding="utf-8")
    assert "alpha/pem: no longer in the matrix; no longer listed (its folder is left in place)" in capsys.readouterr().out
    assert (built.outputs_dir / "alpha" / "pem" / "report.html").is_file()


def test_report_kernels_take_the_builds_loaded_review(built):
    """The build validates the review once; each kernel's livingreview.load() returns the build's snapshot."""
    path = built.notebooks_dir / "beta.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import os\nfrom pathlib import Path\nfrom livingreview.review import from_snapshot\n"
        "print('from the snapshot:', from_snapshot(Path(os.environ['LIVINGREVIEW_SNAPSHOT']), sel.review.project, None) is not None)"))
    nbformat.write(nb, path)
    assert build(built, only=["beta/all"]) == 0
    executed = nbformat.read(built.outputs_dir / "beta" / "all" / "report.ipynb", as_version=4)
    assert executed.cells[-1].outputs[0]["text"] == "from the snapshot: True\n"
    assert not list(built.outputs_dir.glob(".staging-*")) and not list(built.outputs_dir.rglob("*.pickle"))
