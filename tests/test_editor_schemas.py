"""The editor schemas: JSON Schema 2020-12 that accepts what the review's files hold and what the models accept,
refuses unknown fields, and comes out byte for byte the same on every run."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from livingreview import yamlio
from livingreview.editor_schemas import DIALECT, SCHEMAS, SchemasUnwritable, render, write_schemas
from livingreview.project import Project

ROOT = Path(__file__).resolve().parents[1]
REVIEW = Project(ROOT)


def validator(folder: Path, name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((folder / name).read_bytes())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def load(relative: str):
    """A file of the first review as the project reads it (YAML, with its lines)."""
    return yamlio.load_file(ROOT / relative, relative, scope=REVIEW.file_scope)


def errors(check: jsonschema.Draft202012Validator, data) -> list[str]:
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in check.iter_errors(data))


@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("schemas")
    write_schemas(folder, REVIEW.vocabulary)
    return folder


def test_every_schema_is_written_in_draft_2020_12(schemas):
    assert sorted(p.name for p in schemas.iterdir()) == ["build.schema.json", "hypothesis.schema.json", "note.schema.json",
                                                          "vocabulary.schema.json"]
    for name in SCHEMAS:
        schema = json.loads((schemas / name).read_bytes())
        assert schema["$schema"] == DIALECT == "https://json-schema.org/draft/2020-12/schema"
        assert schema["additionalProperties"] is False


def test_the_note_schema_accepts_a_real_note(schemas):
    assert errors(validator(schemas, "note.schema.json"), load("reviews/notes/younger2013.yml")) == []


def test_the_note_schema_rejects_an_unknown_field(schemas):
    check = validator(schemas, "note.schema.json")
    note = load("reviews/notes/younger2013.yml")
    assert errors(check, {**note, "summary": "a misspelt field"}) == [
        ": Additional properties are not allowed ('summary' was unexpected)"]
    population = {**note["population"], "women": 31}
    assert errors(check, {**note, "population": population}) == [
        "population: Additional properties are not allowed ('women' was unexpected)"]


def test_the_note_schema_rejects_a_value_off_its_list(schemas):
    note = load("reviews/notes/younger2013.yml")
    [problem] = errors(validator(schemas, "note.schema.json"), {**note, "design": "randomised"})
    assert problem.startswith("design: 'randomised' is not one of ['rct', 'crossover-rct'")


@pytest.mark.parametrize("name, pattern", [("note.schema.json", "reviews/notes/*.yml"),
                                           ("hypothesis.schema.json", "reviews/hypotheses/*.yml"),
                                           ("build.schema.json", "reviews/build.yml"),
                                           ("vocabulary.schema.json", "reviews/vocabulary.yml")])
def test_every_file_of_the_first_review_is_valid_under_its_schema(schemas, name, pattern):
    check = validator(schemas, name)
    files = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob(pattern))
    assert files
    assert {file: errors(check, load(file)) for file in files} == {file: [] for file in files}


def test_the_build_schema_knows_the_report_parameters(schemas):
    check = validator(schemas, "build.schema.json")
    config = load("reviews/build.yml")
    variant = {"name": "ms", "title": "MS only", "parameters": {"conditions": "MS", "pem_only": True}}
    assert errors(check, {**config, "variants": [variant]}) == [
        "variants/0/parameters: Additional properties are not allowed ('pem_only' was unexpected)"]
    assert errors(check, {**config, "defaults": {"citation_style": "chicago"}}) == [
        "defaults/citation_style: 'chicago' is not one of ['apa', 'vancouver', 'harvard']"]
    assert errors(check, {**config, "defaults": {"pem_required_only": "yes"}}) == [
        "defaults/pem_required_only: 'yes' is not of type 'boolean'"]  # the facet's parameter, from the vocabulary


def test_the_vocabulary_fills_in_the_conditions_and_criteria_a_note_may_name(schemas):
    note = load("reviews/notes/younger2013.yml")
    check = validator(schemas, "note.schema.json")
    [condition] = errors(check, {**note, "population": {**note["population"], "conditions": ["ME-CFS"]}})
    assert condition.startswith("population/conditions/0: 'ME-CFS' is not one of ['ME/CFS', 'MS'")
    [criterion] = errors(check, {**note, "criteria": ["Canadian"]})
    assert criterion.startswith("criteria/0: 'Canadian' is not one of ['CCC', 'ICC'")
    rule = {"fact": "a rule", "extracted_from": "a record"}
    assert errors(check, {**note, "requires": {"pme": rule}}) == ["requires: 'pme' is not one of ['pem']"]
    [hypothesis] = errors(validator(schemas, "hypothesis.schema.json"),
                          {**load("reviews/hypotheses/dopamine-imbalance.yml"), "conditions": ["Fibro"]})
    assert hypothesis.startswith("conditions/0: 'Fibro' is not one of ['ME/CFS'")


def test_without_a_vocabulary_the_schemas_name_no_values(tmp_path):
    write_schemas(tmp_path)
    note = load("reviews/notes/younger2013.yml")
    assert errors(validator(tmp_path, "note.schema.json"), {**note, "criteria": ["anything"]}) == []


def test_two_runs_give_the_same_bytes_and_the_second_writes_nothing(tmp_path):
    first = {path.name: (path.read_bytes(), changed) for path, changed in write_schemas(tmp_path)}
    assert all(changed for _, changed in first.values())
    inodes = {path.name: path.stat().st_ino for path in tmp_path.iterdir()}
    second = write_schemas(tmp_path)
    assert [changed for _, changed in second] == [False, False, False, False]
    assert {path.name: path.read_bytes() for path, _ in second} == {name: data for name, (data, _) in first.items()}
    assert {path.name: path.stat().st_ino for path in tmp_path.iterdir()} == inodes  # not even replaced
    for data, _ in first.values():
        assert data == render(json.loads(data)) and data.endswith(b"}\n")  # sorted keys, indent 2, one final newline


def test_a_changed_schema_file_is_rewritten(tmp_path):
    write_schemas(tmp_path)
    good = (tmp_path / "note.schema.json").read_bytes()
    (tmp_path / "note.schema.json").write_text("{}\n", encoding="utf-8")
    assert [(path.name, changed) for path, changed in write_schemas(tmp_path)] == [
        ("note.schema.json", True), ("hypothesis.schema.json", False), ("build.schema.json", False),
        ("vocabulary.schema.json", False)]
    assert (tmp_path / "note.schema.json").read_bytes() == good


def test_a_file_where_the_folder_should_be_is_an_error(tmp_path):
    (tmp_path / "schemas").write_text("not a folder\n", encoding="utf-8")
    with pytest.raises(SchemasUnwritable, match="is not a folder"):
        write_schemas(tmp_path / "schemas")
