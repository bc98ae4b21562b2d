"""What a report reads is what its key hashes: mutate each input of a review in turn and, for every
report of the matrix (filtered variants included), whenever any section's HTML changes the cache key
changes too. This is the property the data-aware cache rests on; a gap is a stale report."""

from __future__ import annotations

import json

import pytest
from report.report_fixtures import add_effects, add_search_log, extend

import livingreview
from livingreview import report
from livingreview.build import cache
from livingreview.build.plan import make_plan
from livingreview.report.citations import prose_citations

pytestmark = pytest.mark.slow

NEW_FINDING = """\
  - id: f2
    statement: A second invented result.
    hypothesis: example-fatigue
    prediction: EX1
    direction: contradicts
    kind: observed
    extracted_from: Roe 2018, Journal of Examples, table 2
"""

#: (what it changes, file, old text, new text): each a valid edit of one input of the report tests' review
MUTATIONS = [
    ("a finding added to a note the PEM reports drop", "reviews/notes/roe2018.yml",
     "    extracted_from: Roe 2018, Journal of Examples, results\n",
     "    extracted_from: Roe 2018, Journal of Examples, results\n" + NEW_FINDING),
    ("a dropped note's direction", "reviews/notes/roe2018.yml", "direction: mixed", "direction: supports"),
    ("a dropped note's design", "reviews/notes/roe2018.yml", "design: rct",
     "design: cohort\ndoes_not_prove: An invented cohort shows an association, not a cause."),
    ("a dropped note's sample", "reviews/notes/roe2018.yml", "patients: 40", "patients: 41"),
    ("a dropped note's summary", "reviews/notes/roe2018.yml", "quick_summary: An invented trial.",
     "quick_summary: An invented, small trial."),
    ("a dropped note's criteria", "reviews/notes/roe2018.yml", "criteria: [Fukuda]", "criteria: [CCC]"),
    ("a secondary source's statement", "reviews/notes/exampleblog2021.yml", "The blog says the marker doubled.",
     "The blog says the marker tripled."),
    ("a secondary source's stated n", "reviews/notes/exampleblog2021.yml", "n: 30", "n: 31"),
    ("a secondary source's discrepancies", "reviews/notes/exampleblog2021.yml", "gives <b>no</b> figure",
     "gives no figure"),
    ("a secondary source's paraphrase link", "reviews/notes/exampleblog2021.yml", "    paraphrases: doe2020#f1\n", ""),
    ("a kept note's statement", "reviews/notes/doe2020.yml", "The authors read the marker", "The authors took the marker"),
    ("a kept note's question", "reviews/notes/doe2020.yml", "Does the marker come before", "Does the marker rise before"),
    ("a kept note's criteria", "reviews/notes/doe2020.yml", "criteria: [CCC]", "criteria: [Fukuda]"),
    ("a kept note's controls", "reviews/notes/doe2020.yml", "controls: 10", "controls: 11"),
    ("the hypothesis's claim", "reviews/hypotheses/example-fatigue.yml", "Fatigue follows from an example mechanism.",
     "Fatigue follows from the example mechanism."),
    ("a prediction", "reviews/hypotheses/example-fatigue.yml", "Lowering the marker reduces fatigue.",
     "Lowering the marker relieves fatigue."),
    ("the hypothesis's question", "reviews/hypotheses/example-fatigue.yml", "Which dose", "What dose"),
    ("a cited entry's title", "bib/references.bib", "An example study of fatigue", "An example study of tiredness"),
    ("a dropped work's entry", "bib/references.bib", "An example trial", "An example randomised trial"),
    ("a dropped work's year", "bib/references.bib", "year = {2018}", "year = {2017}"),
    ("a secondary source's entry", "bib/references.bib", "What the example study means", "What the study means"),
    ("a certainty rule's wording", "reviews/certainty.yml", "Imprecision: $total participants",
     "Imprecision: only $total participants"),
    ("the search log", "reviews/search.yml", "Reading example blogs.", "Reading the example blogs."),
    ("a screening decision", "reviews/screening.csv", "koe2019,register,,include,exclude,not about fatigue,",
     "koe2019,register,,exclude,,not about fatigue,"),
    ("the review's title", "reviews/build.yml", "title: An example living review", "title: The example living review"),
    ("the PEM variant's title", "reviews/build.yml", "title: Only studies requiring PEM", "title: PEM required"),
    ("the authors", "reviews/build.yml", "authors: [Jane Doe, Richard Roe]", "authors: [Jane Doe]"),
    ("a kept note's estimate", "reviews/notes/poe2022.yml", "value: -2.0", "value: -2.5"),
    ("a kept note's estimate's outcome", "reviews/notes/poe2022.yml", "outcome: fatigue score (invented scale)",
     "outcome: fatigue score (another invented scale)"),
    ("a dropped note's estimate", "reviews/notes/roe2018.yml", "ci: [-7.5, -0.5]", "ci: [-7.5, -1.5]"),
    ("a secondary source's estimate", "reviews/notes/exampleblog2021.yml", "value: 5.0", "value: 6.0"),
    ("a work only the prose cites: its entry", "bib/references.bib", "A background book", "A background handbook"),
    ("the prose's citation", "notebooks/example-fatigue.ipynb", "[@poe2015]", "[@poe2015, p. 2]"),
    ("the risk-of-bias tool of a design", "reviews/risk-of-bias.yml", "  rct: rob2 ", "  rct: rob2-crossover "),
    ("a note's risk-of-bias judgement", "reviews/notes/roe2018.yml", "      judgement: low\n      fact: Double-blind",
     "      judgement: high\n      fact: Double-blind"),
    ("a kept note's risk-of-bias basis", "reviews/notes/doe2020.yml", "All 22 participants were analysed.",
     "All 22 participants were analysed, none lost."),
]

#: a work no note describes, cited only by the notebook's prose
PROSE_BIB = "\n@book{poe2015,\n  author = {Poe, Edgar},\n  title = {A background book},\n  publisher = {Example Press},\n  year = {2015},\n}\n"


def sections(sel) -> dict[str, str]:
    """Every section a report notebook can show, rendered from *sel* as HTML (and the prose's citations)."""
    out = {name: getattr(report, name)(sel) for name in (
        "title", "hypothesis", "evidence_table", "open_questions", "certainty", "claim_drift", "references",
        "provenance", "how_to_cite", "summary", "predictions", "methods", "effects", "risk_of_bias")}
    out |= {f"plot {name}": report.plot(sel, name)
            for name in ("direction_by_design", "timeline", "risk_of_bias", "risk_of_bias_summary")}
    shown = {name: section._repr_html_() for name, section in out.items()}
    return shown | {"prose": repr(sorted(prose_citations(sel).items()))}


def state(project) -> dict[str, tuple[str, dict[str, str]]]:
    """Per report of the matrix: (cache key, section HTML)."""
    review = livingreview.load(project.root)
    env = cache.Environment(review.project, sources=None, pdf=False)
    out = {}
    for target in make_plan(review.project, review.hypotheses):
        sel = review.select(target.parameters)
        out[target.name] = (cache.cache_key(cache.target_inputs(env, target, sel)), sections(sel))
    return out


@pytest.fixture
def reviewed(tiny_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    extend(tiny_project)
    add_search_log(tiny_project)
    add_effects(tiny_project)
    tiny_project.write("bib/references.bib", (tiny_project.root / "bib/references.bib").read_text() + PROSE_BIB)
    nb = json.loads((tiny_project.root / "notebooks/example-fatigue.ipynb").read_text())
    nb["cells"].insert(1, {"cell_type": "markdown", "id": "background", "metadata": {},
                           "source": "Background in [@poe2015]."})
    tiny_project.write("notebooks/example-fatigue.ipynb", json.dumps(nb, indent=1))
    return tiny_project


def test_every_section_change_changes_the_key_for_every_report(reviewed):
    before = state(reviewed)
    assert sorted(before) == ["example-fatigue/all", "example-fatigue/pem-required"]
    gaps, changed = [], set()
    for about, path, old, new in MUTATIONS:
        original = (reviewed.root / path).read_text(encoding="utf-8")
        reviewed.edit(path, old, new)
        after = state(reviewed)
        (reviewed.root / path).write_text(original, encoding="utf-8")
        for name, (key, html) in after.items():
            shown = sorted(s for s in html if html[s] != before[name][1][s])
            if shown:
                changed.add((about, name))
            if shown and key == before[name][0]:
                gaps.append(f"{about}: {name} shows a change in {', '.join(shown)} but its key is the same")
    assert gaps == []
    # the mutations reach the filtered report through what it leaves out, not only through what it keeps
    pem = {about for about, name in changed if name.endswith("/pem-required")}
    assert {"a finding added to a note the PEM reports drop", "a dropped note's design",
            "a secondary source's statement"} <= pem
    assert len(changed) >= len(MUTATIONS)


def test_a_change_no_section_shows_leaves_the_other_reports_keys_alone(reviewed):
    """The key is not everything: a note that bears on another hypothesis is not read."""
    reviewed.write("reviews/hypotheses/other.yml", (reviewed.root / "reviews/hypotheses/example-fatigue.yml")
                   .read_text(encoding="utf-8").replace("id: example-fatigue", "id: other")
                   .replace("EX1", "OT1").replace("EX2", "OT2").replace("q-example-dose", "q-other-dose"))
    reviewed.write("notebooks/other.ipynb", (reviewed.root / "notebooks/example-fatigue.ipynb")
                   .read_text(encoding="utf-8").replace('\\"example-fatigue\\"', '\\"other\\"'))
    before = state(reviewed)
    reviewed.edit("reviews/notes/roe2018.yml", "hypothesis: example-fatigue", "hypothesis: other")
    reviewed.edit("reviews/notes/roe2018.yml", "prediction: EX2", "prediction: OT2")
    mid = state(reviewed)
    reviewed.edit("reviews/notes/roe2018.yml", "quick_summary: An invented trial.", "quick_summary: An invented study.")
    after = state(reviewed)
    assert [n for n in mid if n.startswith("example-fatigue/") and mid[n][0] == before[n][0]] == []
    assert {n for n in after if after[n][0] != mid[n][0]} == {"other/all", "other/pem-required"}
