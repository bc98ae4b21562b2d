"""``livingreview plan``: what ``livingreview build`` would run, without running it.

The same planning as the build's (``reviews/build.yml``'s matrix, ``--only``, each report's cache
key against the outputs folder's manifest), printed in one of two formats:

* ``text``: per report, rebuild (and why) or reuse — the lines of ``build --explain``;
* ``github-matrix``: the reports to rebuild as one line of JSON for GitHub Actions' ``fromJson``,
  ``{"include": [{"report": "<hypothesis>/<variant>", "hypothesis", "variant", "artifact"}, ...]}``
  in matrix order; ``artifact`` is a name upload-artifact accepts (no ``/``), unique per report.
  With nothing to rebuild it prints ``{"include":[]}``, valid JSON that Actions refuses as a
  matrix ("Matrix must define at least one vector"): a workflow skips the matrix job then
  (``.github/workflows/build-matrix.yml`` counts the entries).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..project import Project
from . import manifest, shortcut
from .options import BuildOptions

if TYPE_CHECKING:  # pragma: no cover - the build's planning is imported only when the manifest cannot answer
    from .run import Planned

FORMATS = ("text", "github-matrix")
#: what joins a report's hypothesis and variant in its artifact name (neither id may hold it)
ARTIFACT_JOIN = "__"


def planned(project: Project, options: BuildOptions) -> list[Planned]:
    """Every report of the matrix (``--only`` applied), each with why it would be rebuilt (empty: reused)."""
    import livingreview

    from .plan import make_plan, select_only
    from .run import plan_reports

    outputs = Path(options.outputs or project.outputs_dir).resolve()
    review = livingreview.load(project, sources=options.sources, retractions=options.retractions)
    targets = select_only(make_plan(project, review.hypotheses), options.only)
    return plan_reports(review, targets, manifest.read(outputs), outputs, options)


def artifact(p: Planned) -> str:
    return f"report-{p.target.hypothesis.id}{ARTIFACT_JOIN}{p.target.variant.name}"


def github_matrix(reports: list[Planned]) -> str:
    """The reports to rebuild as a GitHub Actions matrix (one line of JSON)."""
    include = [{"report": p.name, "hypothesis": p.target.hypothesis.id, "variant": p.target.variant.name,
                "artifact": artifact(p)} for p in reports if p.reasons]
    return json.dumps({"include": include}, separators=(",", ":"))


def run_plan(project: Project, options: BuildOptions, fmt: str = "text") -> int:
    """Print the plan; with nothing changed since the last complete build, from its manifest (:mod:`.shortcut`)."""
    found = shortcut.unchanged(project, options, Path(options.outputs or project.outputs_dir).resolve())
    if found is not None:
        names, previous = found
        if fmt == "github-matrix":
            print(json.dumps({"include": []}, separators=(",", ":")))
        else:
            for name in names:
                print(shortcut.reuse_line(name, previous["reports"][name]["key"]))
        return 0
    from .run import explain

    reports = planned(project, options)
    if fmt == "github-matrix":
        print(github_matrix(reports))
    else:
        explain(reports)
    return 0
