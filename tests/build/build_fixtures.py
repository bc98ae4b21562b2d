"""A tiny, fictional project with two hypotheses x two variants, and functions to build and edit it.

Works are invented ("Journal of Examples"). Which note each report reads:

==============  ===========================  ================
report          notes selected               why
==============  ===========================  ================
alpha/all       doe2020, roe2018             both bear on alpha
alpha/pem       doe2020                      roe2018 (Fukuda) does not require PEM
beta/all        doe2020, poe2019
beta/pem        doe2020, poe2019             both CCC
==============  ===========================  ================

A report reads the notes of every work bearing on its hypothesis, kept or not (its summary counts
what was left out; a PEM report rates the unfiltered selection beside its own): so editing roe2018
rebuilds both alpha reports, and editing poe2019 both beta reports.
Building it starts four kernels; tests copy one built project (the ``built`` fixture) instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from livingreview.build import BuildOptions, run_build
from livingreview.project import Project

#: the repository's certainty rules (rules, not review content), which every review needs
CERTAINTY = Path(__file__).resolve().parents[2] / "reviews" / "certainty.yml"
VOCABULARY = Path(__file__).resolve().parents[2] / "reviews" / "vocabulary.yml"

BUILD_YML = """\
title: An example living review
authors: [Jane Doe]
variants:
  - name: all
    title: All studies
  - name: pem
    title: Only studies requiring PEM
    parameters:
      pem_required_only: true
"""

BIB = """\
@article{doe2020,
  author = {Doe, Jane},
  title = {An example study of fatigue},
  journal = {Journal of Examples},
  year = {2020},
}

@article{roe2018,
  author = {Roe, Richard},
  title = {An example trial},
  journal = {Journal of Examples},
  year = {2018},
}

@article{poe2019,
  author = {Poe, Edgar},
  title = {An example cohort},
  journal = {Journal of Examples},
  year = {2019},
}
"""


def hypothesis(hid: str, prefix: str, proposer: str) -> str:
    return f"""\
id: {hid}
title: The {hid} example hypothesis
claim: Fatigue follows from the {hid} example mechanism.
mechanism:
  - An example marker rises.
predictions:
  - id: {prefix}1
    statement: Patients have more of the {hid} marker than controls.
conditions: [ME/CFS]
proposed_by: [{proposer}]
open_questions:
  - id: q-{hid}-dose
    text: Which dose of the {hid} drug matters?
"""


def note(key: str, criteria: str, findings: list[tuple[str, str]]) -> str:
    items = "".join(f"""\
  - id: f{i}
    statement: The {hyp} marker was measured in {key}.
    hypothesis: {hyp}
    direction: {direction}
    kind: observed
    extracted_from: {key}, Journal of Examples, results
""" for i, (hyp, direction) in enumerate(findings, 1))
    return f"""\
key: {key}
source_type: primary
design: case-control
population:
  conditions: [ME/CFS]
  patients: 12
  controls: 10
criteria: [{criteria}]
quick_summary: An invented study.
why_it_matters: It is an example.
does_not_prove: An association in an invented sample does not show that the mechanism produces fatigue.
findings:
{items}"""


NOTES = {
    "doe2020": note("doe2020", "CCC", [("alpha", "supports"), ("beta", "supports")]),
    "roe2018": note("roe2018", "Fukuda", [("alpha", "mixed")]),
    "poe2019": note("poe2019", "CCC", [("beta", "contradicts")]),
}

CODE = """\
import livingreview
review = livingreview.load()
sel = review.select(review.parameters(globals()))
print(hypothesis, len(sel.evidence), "findings from", ", ".join(sorted(sel.notes)))"""


def notebook(extra: str | None = None, hypothesis: str = "alpha") -> nbformat.NotebookNode:
    """The report notebook of *hypothesis*: prose, a ``parameters`` cell, a cell that selects and prints."""
    params = nbformat.v4.new_code_cell(f'hypothesis = "{hypothesis}"\nconditions = "all"\npem_required_only = False\n'
                                       'year_from = None\nyear_to = None\ncitation_style = "apa"')
    params.metadata["tags"] = ["parameters"]
    cells = [nbformat.v4.new_markdown_cell("# An example report\n\nProse by the authors."), params,
             nbformat.v4.new_code_cell(CODE)]
    if extra:
        cells.append(nbformat.v4.new_code_cell(extra))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "livingreview", "display_name": "Python 3 (livingreview)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    return nb


def make_project(root: Path) -> Project:
    files = {"reviews/build.yml": BUILD_YML, "bib/references.bib": BIB,
             "reviews/hypotheses/alpha.yml": hypothesis("alpha", "A", "doe2020"),
             "reviews/hypotheses/beta.yml": hypothesis("beta", "B", "roe2018"),
             **{f"reviews/notes/{key}.yml": text for key, text in NOTES.items()}}
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shutil.copyfile(CERTAINTY, root / "reviews" / "certainty.yml")
    shutil.copyfile(VOCABULARY, root / "reviews" / "vocabulary.yml")
    (root / "notebooks").mkdir()
    for hid in ("alpha", "beta"):
        nbformat.write(notebook(hypothesis=hid), root / "notebooks" / f"{hid}.ipynb")
    return Project(root)


def build(project: Project, **options) -> int:
    """``livingreview build --no-pdf`` (PDF only where a test asks for it), in-process."""
    return run_build(project, BuildOptions(**{"pdf": False, **options}))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under *folder* with its bytes (to compare two states of outputs/)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def untimed(files: dict[str, bytes]) -> dict[str, bytes]:
    """*files* (a :func:`tree`) with build-report.json's timings taken out: they differ from run to run,
    everything else of two builds of the same inputs is the same bytes."""
    import json

    report = json.loads(files["build-report.json"])
    report.pop("time", None)
    for entry in report["reports"].values():
        entry.pop("time", None)
    return {**files, "build-report.json": json.dumps(report, sort_keys=True).encode()}
