"""A tiny, valid, fictional project in ``tmp_path``, for any test that needs a whole review.

``tiny_project`` gives a :class:`TinyProject`: one hypothesis, two notes (one quoting its source
text; both with a risk-of-bias block), a two-entry bibliography, the project's own certainty rules and
risk-of-bias tools by design, and a sources folder. Every work is invented ("Journal of
Examples"); change a file with ``write`` or ``edit`` to make the case a test needs.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from livingreview.project import Project

#: the rules file the real review uses (rules, not review content: every project needs one)
CERTAINTY = Path(__file__).resolve().parents[1] / "reviews" / "certainty.yml"
#: the real review's vocabulary: its conditions, criteria and the PEM facet the fixtures' notes use
VOCABULARY = Path(__file__).resolve().parents[1] / "reviews" / "vocabulary.yml"
#: the real review's choice of risk-of-bias tool by design (method, not review content)
RISK_OF_BIAS = Path(__file__).resolve().parents[1] / "reviews" / "risk-of-bias.yml"

BUILD_YML = """\
title: An example living review
authors: [Jane Doe]
variants:
  - name: all
    title: All studies
"""

BIB = """\
@article{doe2020,
  author = {Doe, Jane and Roe, Richard},
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
"""

HYPOTHESIS = """\
id: example-fatigue
title: The example hypothesis of fatigue
claim: Fatigue follows from an example mechanism.
mechanism:
  - An example marker rises.
  - The marker slows an example pathway.
predictions:
  - id: EX1
    statement: Patients have more of the example marker than controls.
  - id: EX2
    statement: Lowering the marker reduces fatigue.
conditions: [ME/CFS, MS]
proposed_by: [doe2020]
open_questions:
  - id: q-example-dose
    text: Which dose of the example drug matters?
"""

DOE2020 = """\
key: doe2020
source_type: primary
design: case-control
population:
  conditions: [ME/CFS]
  patients: 12
  controls: 10
criteria: [CCC]
source_text: doe2020.txt
quick_summary: An invented case-control study.
why_it_matters: It is the example.
findings:
  - id: f1
    statement: More marker in patients.
    hypothesis: example-fatigue
    prediction: EX1
    direction: supports
    kind: observed
    quote: 'the marker was "clearly higher" in patients'' blood'
    locator: paragraph 2
  - id: f2
    statement: The authors read the marker as a source of fatigue.
    hypothesis: example-fatigue
    direction: supports
    kind: inferred
    extracted_from: Doe 2020, abstract
remaining_questions:
  - id: q-example-cause
    text: Does the marker come before fatigue or after it?
does_not_prove: A case-control study shows a difference, not its direction.
risk_of_bias:
  tool: robins-e
  domains:
    D1:
      judgement: high
      fact: No adjustment for any confounder is reported.
      extracted_from: Doe 2020, methods
    D2:
      judgement: low
      fact: The marker was measured in one laboratory for all participants.
      extracted_from: Doe 2020, methods
    D3:
      judgement: some concerns
      fact: Controls were recruited from the authors' own staff.
      extracted_from: Doe 2020, methods
    D4:
      judgement: low
      fact: No treatment was given between sampling and assessment.
      extracted_from: Doe 2020, methods
    D5:
      judgement: low
      fact: All 22 participants were analysed.
      extracted_from: Doe 2020, results
    D6:
      judgement: no information
      note: The record does not say whether assessors knew who was a patient.
    D7:
      judgement: low
      fact: The one outcome named in the methods is the one reported.
      extracted_from: Doe 2020, results
"""

ROE2018 = """\
key: roe2018
source_type: primary
design: rct
population:
  conditions: [MS]
  patients: 40
  controls: none
criteria: [Fukuda]
quick_summary: An invented trial.
why_it_matters: It tests EX2.
findings:
  - id: f1
    statement: Fatigue fell on the example drug.
    hypothesis: example-fatigue
    prediction: EX2
    direction: mixed
    kind: observed
    extracted_from: Roe 2018, Journal of Examples, results
risk_of_bias:
  domains:
    D1:
      judgement: some concerns
      fact: Randomised; the method of allocation is not described.
      extracted_from: Roe 2018, Journal of Examples, methods
    D2:
      judgement: low
      fact: Double-blind and placebo-controlled.
      extracted_from: Roe 2018, Journal of Examples, methods
    D3:
      judgement: low
      fact: Outcome data for all 40 patients.
      extracted_from: Roe 2018, Journal of Examples, results
    D4:
      judgement: low
      fact: Fatigue was self-rated by blinded participants.
      extracted_from: Roe 2018, Journal of Examples, methods
    D5:
      judgement: no information
"""

#: the hypothesis's report notebook: a parameters cell that keeps the contract, and one call
NOTEBOOK = json.dumps({
    "nbformat": 4, "nbformat_minor": 5,
    "metadata": {"kernelspec": {"name": "livingreview", "display_name": "Python 3 (livingreview)", "language": "python"}},
    "cells": [
        {"cell_type": "code", "id": "parameters", "metadata": {"tags": ["parameters"]}, "execution_count": None,
         "outputs": [], "source": 'hypothesis = "example-fatigue"\nconditions = "all"\npem_required_only = False\n'
                                   'year_from = None\nyear_to = None\ncitation_style = "apa"\n'},
        {"cell_type": "code", "id": "body", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "print(hypothesis)"},
    ],
}, indent=1) + "\n"

SOURCE = "Doe and Roe (2020), an invented study.\n\nIn this example, the marker was “clearly higher” in patients’\nblood than in controls.\n"


@dataclass
class TinyProject:
    root: Path
    sources: Path

    @property
    def project(self) -> Project:
        return Project(self.root)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def edit(self, relative: str, old: str, new: str) -> Path:
        """Replace *old* (which must be there) by *new* in a project file."""
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {relative}"
        return self.write(relative, text.replace(old, new, 1))


@pytest.fixture(autouse=True)
def _no_project_environment(monkeypatch):
    """Tests see no LIVINGREVIEW_SOURCES / LIVINGREVIEW_ROOT from the shell (./tasks exports the
    first when ../shared/seeds exists): a test that wants one sets it itself."""
    monkeypatch.delenv("LIVINGREVIEW_SOURCES", raising=False)
    monkeypatch.delenv("LIVINGREVIEW_ROOT", raising=False)


@pytest.fixture
def tiny_project(tmp_path: Path) -> TinyProject:
    tiny = TinyProject(tmp_path / "review", tmp_path / "sources")
    tiny.write("reviews/build.yml", BUILD_YML)
    tiny.write("reviews/certainty.yml", CERTAINTY.read_text(encoding="utf-8"))
    tiny.write("reviews/vocabulary.yml", VOCABULARY.read_text(encoding="utf-8"))
    tiny.write("reviews/risk-of-bias.yml", RISK_OF_BIAS.read_text(encoding="utf-8"))
    tiny.write("bib/references.bib", BIB)
    tiny.write("reviews/hypotheses/example-fatigue.yml", HYPOTHESIS)
    tiny.write("reviews/notes/doe2020.yml", DOE2020)
    tiny.write("reviews/notes/roe2018.yml", ROE2018)
    tiny.write("notebooks/example-fatigue.ipynb", NOTEBOOK)
    tiny.sources.mkdir()
    (tiny.sources / "doe2020.txt").write_text(SOURCE, encoding="utf-8")
    return tiny


#: set by `./tasks test`, which installs everything the tests need first: a skip then means an install
#: step is missing, so it is reported as a failure instead of hiding the untested behaviour
NO_SKIPS = "LIVINGREVIEW_NO_SKIPS"
_NO_SKIPS = os.environ.get(NO_SKIPS) == "1"  # read once: tests may change the environment


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and _NO_SKIPS and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = (f"skipped although {NO_SKIPS}=1 (./tasks test installs everything the tests need, "
                           f"so a skip means a missing install step): {reason}")
