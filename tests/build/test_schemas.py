"""Every bundle file has a JSON Schema in ``src/livingreview/schemas/``: the first review's bundles, for
every report of its matrix, validate against them, and each CSV's header is the schema's column order."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema
import pytest

import livingreview
from livingreview.build import bundle
from livingreview.build.plan import make_plan
from livingreview.project import Project

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "src" / "livingreview" / "schemas"


def schema(table: bundle.Table) -> dict:
    return json.loads((SCHEMAS / f"{table.stem}.schema.json").read_text(encoding="utf-8"))


@cache
def first_review():
    project = Project(ROOT)
    review = livingreview.load(project)
    return review, make_plan(project, review.hypotheses)


def test_there_is_one_schema_per_table_and_no_other():
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(f"{t.stem}.schema.json" for t in bundle.TABLES)


@pytest.mark.parametrize("table", bundle.TABLES, ids=lambda t: t.stem)
def test_a_schema_names_its_format_and_every_column_in_order(table):
    found = schema(table)
    jsonschema.Draft202012Validator.check_schema(found)
    rows = found["properties"]["rows"]["items"]
    assert found["$id"] == table.schema and found["properties"]["schema"] == {"const": table.schema}
    assert list(rows["properties"]) == rows["required"] == found["x-columns"] == list(table.columns)


def test_every_bundle_of_the_first_review_validates_against_its_schemas(tmp_path):
    review, targets = first_review()
    validators = {t.stem: jsonschema.Draft202012Validator(schema(t)) for t in bundle.TABLES}
    counts = {t.stem: 0 for t in bundle.TABLES}
    for target in targets:
        folder = tmp_path / target.hypothesis.id / target.variant.name
        made = bundle.make_bundle(review.select(target.parameters))
        bundle.write_bundle(folder, target, made)
        for table in bundle.TABLES:
            data = json.loads((folder / f"{table.stem}.json").read_text(encoding="utf-8"))
            errors = sorted(validators[table.stem].iter_errors(data), key=str)
            assert not errors, f"{target.hypothesis.id}/{target.variant.name}/{table.stem}.json: {errors[0].message}"
            header = (folder / f"{table.stem}.csv").read_text(encoding="utf-8").splitlines()[0]
            assert header == ",".join(made.columns_of(table))
            counts[table.stem] += len(data["rows"])
    assert all(counts.values()), counts  # every table has rows somewhere, so every schema is exercised


def test_the_effects_of_the_report_tests_review_validate_pooled_rows_included(tiny_project, monkeypatch):
    from report.report_fixtures import HYPOTHESIS_ID, add_effects, extend

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    review_project = tiny_project
    extend(review_project)
    add_effects(review_project)
    review = livingreview.load(review_project.root, sources=review_project.sources)
    [target] = [t for t in make_plan(Project(review_project.root), review.hypotheses) if t.variant.name == "all"]
    made = bundle.make_bundle(review.select(HYPOTHESIS_ID))
    data = json.loads(bundle.to_json(bundle.EFFECTS_SCHEMA, target, made.effects))
    assert {r["row"] for r in data["rows"]} >= {"estimate", "pooled-random", "pooled-fixed"}
    assert not list(jsonschema.Draft202012Validator(schema(bundle.TABLES[2])).iter_errors(data))


def test_the_evidence_rows_carry_the_vocabularys_facet_columns_and_the_schema_types_them():
    review, targets = first_review()
    made = bundle.make_bundle(review.select(targets[0].parameters))
    check = jsonschema.Draft202012Validator(schema(bundle.TABLES[0]))
    data = json.loads(bundle.to_json(bundle.EVIDENCE_SCHEMA, targets[0], made.evidence))
    assert {row["pem"] for row in data["rows"]} <= {"required", "not-required", "unknown"}
    wrong = {**data, "rows": [{**data["rows"][0], "pem": "yes"}]}
    assert [e.message for e in check.iter_errors(wrong)] == ["'yes' is not one of ['required', 'not-required', 'unknown']"]
    stray = {**data, "rows": [{**data["rows"][0], "titel": "a misspelt column"}]}
    assert list(check.iter_errors(stray))


def test_a_row_that_breaks_the_format_fails_its_schema():
    review, targets = first_review()
    made = bundle.make_bundle(review.select(targets[0].parameters))
    data = json.loads(bundle.to_json(bundle.CERTAINTY_SCHEMA, targets[0], made.certainty))
    data["rows"][0]["level"] = 3
    assert list(jsonschema.Draft202012Validator(schema(bundle.TABLES[3])).iter_errors(data))
