"""``livingreview add-hypothesis ID``: start a hypothesis and its report notebook.

Writes ``reviews/hypotheses/<ID>.yml`` (a commented template; its first line names the schema
``livingreview schema`` writes) and ``notebooks/<ID>.ipynb`` from the package's report notebook
(``templates/notebook/report.ipynb``: every section of a report, prose to replace, the parameters
cell set to the new hypothesis). Nothing existing is overwritten; ``livingreview check`` then lists
what remains to fill in.

=======  ====================================================================
code     meaning (errors, raised as exceptions)
=======  ====================================================================
HYP010   the id is not a valid hypothesis id
HYP011   the hypothesis file or its notebook already exists
=======  ====================================================================
"""

from __future__ import annotations

import json
import posixpath
import re
from importlib.resources import files
from pathlib import Path

from .. import atomic
from ..diagnostics import error
from ..errors import InputError
from ..notebooks import PARAMETERS_TAG, notebook_path
from ..project import SCHEMAS, Project, ReportParameters
from . import model

#: the package's report notebook, with ``HYPOTHESIS_ID`` where the new hypothesis's id goes
TEMPLATE = files("livingreview") / "templates" / "notebook" / "report.ipynb"
PLACEHOLDER = "HYPOTHESIS_ID"
HYPOTHESES = Path("reviews") / "hypotheses"
SCHEMA_LINE = ("# yaml-language-server: $schema="
               + posixpath.relpath((SCHEMAS / "hypothesis.schema.json").as_posix(), HYPOTHESES.as_posix()))


class HypothesisNotAdded(InputError):
    """The id is not valid, or the hypothesis or its notebook exists already."""


def add_hypothesis(project: Project, hid: str, title: str | None = None) -> tuple[Path, Path]:
    """Write the hypothesis template and its notebook; return both paths. Refuses a bad id and
    existing files (nothing is written then)."""
    if not re.fullmatch(model.ID, hid):
        raise HypothesisNotAdded([error("HYP010", "add-hypothesis", None, f"'{hid}' is not a valid hypothesis id",
                                        key=hid, hint="lower-case letters, digits and hyphens, e.g. 'exercise-load'")])
    yml, notebook = project.hypotheses_dir / f"{hid}.yml", notebook_path(project, hid)
    existing = [p for p in (yml, notebook) if p.exists() or p.is_symlink()]
    if existing:
        raise HypothesisNotAdded([error("HYP011", project.rel(p), None, "already exists", key=hid,
                                        hint="choose another id, or edit the existing files") for p in existing])
    text = notebook_text(hid, project.report_parameters)  # before writing: a bad vocabulary leaves nothing behind
    atomic.write_text(yml, hypothesis_template(hid, title))
    atomic.write_text(notebook, text)
    return yml, notebook


def notebook_text(hid: str, model: type[ReportParameters]) -> str:
    """The package's report notebook for hypothesis *hid*, its parameters cell assigning every report
    parameter of the review (*model*, from its vocabulary) its default."""
    nb = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            cell["source"] = parameters_source(model, hid).splitlines(keepends=True)
        else:
            cell["source"] = [line.replace(PLACEHOLDER, hid) for line in cell["source"]]
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def parameters_source(model: type[ReportParameters], hid: str) -> str:
    """A parameters cell: ``name = default`` for every field of *model*, the hypothesis set to *hid*."""
    values = {name: (hid if name == "hypothesis" else info.default) for name, info in model.model_fields.items()}
    return "\n".join(f"{name} = {json.dumps(v) if isinstance(v, str) else repr(v)}" for name, v in values.items())


def hypothesis_template(hid: str, title: str | None = None) -> str:
    """The commented template of a hypothesis file."""
    return f"""{SCHEMA_LINE}
# Written by `livingreview add-hypothesis`. Fill in every field, then run `livingreview check`;
# it names each field still missing. Its report notebook is notebooks/{hid}.ipynb.
id: {hid}
title: {json.dumps(title) if title else ""}
claim:  # the claim, as the works that propose it state it
mechanism: []  # the proposed mechanism, step by step
# each prediction: id (e.g. AB1), statement, contrary (what it would mean for it to fail) and
# critical: true for those that tie the mechanism to the outcome itself (the overall certainty is
# the lowest among them)
predictions: []
conditions: []  # the conditions the hypothesis is about
proposed_by: []  # citation keys of the works proposing it
related: []  # ids of related hypotheses
open_questions: []  # each: id (q-...), text
"""
