"""Cache keys: what each report reads, input by input, and why it changed."""

from __future__ import annotations

import nbformat
from build_fixtures import edit

import livingreview
from livingreview.build import cache
from livingreview.loader import notebook_digest
from livingreview.build.plan import make_plan
from livingreview.project import Project


def inputs_by_report(project, **options) -> dict[str, dict[str, str]]:
    review = livingreview.load(project)
    env = cache.Environment(project, sources=options.get("sources"), pdf=options.get("pdf", True))
    out = {}
    for target in make_plan(project, review.hypotheses):
        out[target.name] = cache.target_inputs(env, target, review.select(target.parameters))
    return out


def test_each_report_reads_the_notes_and_entries_of_the_works_bearing_on_it(fresh):
    inputs = inputs_by_report(fresh)
    notes = {name: sorted(k for k in i if k.startswith(("reviews/notes/", "bib/"))) for name, i in inputs.items()}
    assert notes == {
        "alpha/all": ["bib/references.bib#doe2020", "bib/references.bib#roe2018", "reviews/notes/doe2020.yml", "reviews/notes/roe2018.yml"],
        # roe2018 (Fukuda) is left out of the PEM report, but its summary counts it and its certainty
        # section rates the unfiltered selection beside its own: it reads the note
        "alpha/pem": ["bib/references.bib#doe2020", "bib/references.bib#roe2018", "reviews/notes/doe2020.yml",
                      "reviews/notes/roe2018.yml"],
        # roe2018 proposes beta, so its entry is cited even where its note is not selected
        "beta/all": ["bib/references.bib#doe2020", "bib/references.bib#poe2019", "bib/references.bib#roe2018",
                     "reviews/notes/doe2020.yml", "reviews/notes/poe2019.yml"],
        "beta/pem": ["bib/references.bib#doe2020", "bib/references.bib#poe2019", "bib/references.bib#roe2018",
                     "reviews/notes/doe2020.yml", "reviews/notes/poe2019.yml"],
    }
    assert set(inputs["alpha/all"]) - set(notes["alpha/all"]) == {
        "python", "uncommitted changes", "csl apa", "flow diagram counts", "livingreview code", "notebooks/alpha.ipynb", "option pdf", "package versions",
        "parameters", "requirements/constraints.txt", "reviews/build.yml", "reviews/certainty.yml",
        "reviews/hypotheses/alpha.yml", "reviews/risk-of-bias.yml", "reviews/screening-decisions.csv",
        "reviews/screening-queue.csv", "reviews/screening.csv", "reviews/search-runs.csv", "reviews/search.yml",
        "reviews/vocabulary.yml", "risk of bias data", "selection data",
        "works left out"}


SEARCH_LOG = """\
note: An invented search log.
exclusion_reasons: [not about fatigue mechanisms]
searches:
  - id: registry
    source: bibliographic records
    title: Search of the Example Register
    method: fatigue AND example
    date: 2020-05-01
    run_by: Jane Doe
    records: 3
"""
SCREENING = "record,search,duplicate_of,title_abstract,full_text,exclusion_reason,notes\n" + "".join(
    f"{key},registry,,include,include,,\n" for key in ("doe2020", "poe2019", "roe2018"))


def test_the_search_log_is_read_by_every_report_through_its_methods_section(fresh):
    (fresh.root / "reviews" / "search.yml").write_text(SEARCH_LOG, encoding="utf-8")
    (fresh.root / "reviews" / "screening.csv").write_text(SCREENING, encoding="utf-8")
    before = inputs_by_report(fresh)
    edit(fresh.root / "reviews" / "search.yml", "fatigue AND example", "fatigue OR example")
    after = inputs_by_report(fresh)
    assert {name: cache.reasons(before[name], after[name]) for name in before} == {
        name: ["changed: reviews/search.yml"] for name in before}


def test_editing_one_note_changes_the_keys_of_the_reports_that_read_it(fresh):
    before = {name: cache.cache_key(i) for name, i in inputs_by_report(fresh).items()}
    edit(fresh.notes_dir / "roe2018.yml", "why_it_matters: It is an example.", "why_it_matters: It is one example.")
    after = {name: cache.cache_key(i) for name, i in inputs_by_report(fresh).items()}
    assert sorted(n for n in before if before[n] != after[n]) == ["alpha/all", "alpha/pem"]


def test_a_report_reads_build_yml_for_the_variant_its_title_names(fresh):
    # a variant that differs from 'all' only by its citation style is not the 'all' report's variant
    edit(fresh.config_path, "  - name: pem\n", "  - name: numbered\n    title: All studies, numbered\n"
         "    parameters:\n      citation_style: vancouver\n  - name: pem\n")
    before = inputs_by_report(Project(fresh.root))  # a Project reads build.yml once
    edit(fresh.config_path, "title: All studies, numbered", "title: Every study, numbered")
    after = inputs_by_report(Project(fresh.root))
    assert sorted(n for n in after if after[n]["reviews/build.yml"] != before[n]["reviews/build.yml"]) == [
        "alpha/numbered", "beta/numbered"]


def test_a_bib_entry_edit_is_named_with_its_file_and_key(fresh):
    before = inputs_by_report(fresh)["beta/all"]
    edit(fresh.root / "bib" / "references.bib", "title = {An example cohort},", "title = {An example cohort},\n  volume = {3},")
    after = inputs_by_report(fresh)["beta/all"]
    assert cache.reasons(before, after) == ["changed: bib/references.bib#poe2019"]


def test_sources_are_read_only_when_given(fresh, tmp_path):
    edit(fresh.notes_dir / "poe2019.yml", "quick_summary:", "source_text: poe2019.txt\nquick_summary:")
    sources = tmp_path / "sources"
    sources.mkdir()
    assert "sources poe2019.txt" not in inputs_by_report(fresh)["beta/all"]
    assert inputs_by_report(fresh, sources=sources)["beta/all"]["sources poe2019.txt"] == cache.ABSENT
    (sources / "poe2019.txt").write_text("An invented source text.\n", encoding="utf-8")
    assert inputs_by_report(fresh, sources=sources)["beta/all"]["sources poe2019.txt"] != cache.ABSENT


def test_notebook_hash_ignores_outputs_and_metadata_but_not_code(fresh):
    path = fresh.notebooks_dir / "alpha.ipynb"
    original = notebook_digest(path)
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="old output\n")]
    nb.cells[2].execution_count = 7
    nb.metadata["widgets"] = {"state": {}}
    nbformat.write(nb, path)
    assert notebook_digest(path) == original
    nb.cells[0].source += "\n\nMore prose."
    nbformat.write(nb, path)
    assert notebook_digest(path) != original


def test_reasons_name_every_changed_added_and_removed_input():
    previous = {"a.yml": "1", "b.yml": "2", "gone.yml": "3"}
    current = {"a.yml": "1", "b.yml": "9", "new.yml": "4"}
    assert cache.reasons(previous, current) == ["changed: b.yml", "now reads: new.yml", "no longer reads: gone.yml"]
    assert cache.reasons(current, current) == []
    assert cache.reasons(None, current) == ["never built"]
