from __future__ import annotations

from pathlib import Path

import pytest
from synthesis_fixtures import RULES_YAML, load_rules_text

from livingreview.project import Project
from livingreview.synthesis.rules import RulesInvalid, load_rules

ROOT = Path(__file__).resolve().parents[2]


def problems(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(RulesInvalid) as exc:
        load_rules_text(text)
    return [(d.line, d.field, d.message) for d in exc.value.diagnostics]


def test_the_reviews_rules_load():
    rules = load_rules(Project(ROOT))
    assert rules.levels == ["high", "moderate", "low", "very low"]
    assert rules.no_evidence == "no evidence"
    assert rules.start["rct"] == "high" and rules.start["case-control"] == "low"
    assert "narrative-review" in rules.context.designs and rules.context.source_types == ["trial-registration"]
    assert rules.downgrades.imprecision.below == 400


def test_a_missing_rules_file_is_a_diagnostic(tmp_path):
    with pytest.raises(RulesInvalid) as exc:
        load_rules(Project(tmp_path))
    [d] = exc.value.diagnostics
    assert (d.file, d.line, d.code, d.message) == ("reviews/certainty.yml", None, "CERT001", "the certainty rules are missing")


def test_yaml_errors_keep_their_line(tmp_path):
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / "certainty.yml").write_text("levels: [high\nno_evidence: x\n", encoding="utf-8")
    with pytest.raises(RulesInvalid) as exc:
        load_rules(Project(tmp_path))
    assert [d.code for d in exc.value.diagnostics] == ["YAML001"]


def test_an_unknown_placeholder_names_line_and_allowed_names():
    text = RULES_YAML.replace('reason: "Inconsistent: for $supporting, against $contradicting."',
                              'reason: "Inconsistent: $suporting."')
    assert problems(text) == [(28, "downgrades.inconsistency.reason",
                               "unknown placeholder $suporting; "
                               "this sentence can use $contradicting, $supporting")]


def test_a_stray_dollar_is_refused():
    text = RULES_YAML.replace('reason: "Publication bias: $reason"', 'reason: "Publication bias: $ reason"')
    assert problems(text) == [(49, "downgrades.publication_bias.reason",
                               "a '$' must start a placeholder such as $works; "
                               "write $$ for a dollar sign")]


def test_every_design_needs_a_start_level():
    text = RULES_YAML.replace("  not-stated: very low\n", "")
    assert problems(text) == [(11, "context", "designs without a starting level: not-stated; "
                                              "add them under 'start' or 'context: designs'")]


def test_a_design_is_either_rated_or_context():
    text = RULES_YAML.replace("designs: [planned-trial,", "designs: [cohort, planned-trial,")
    assert problems(text) == [(12, "context", "designs both rated and context: cohort; keep each in one place")]


def test_a_start_level_must_be_a_level():
    text = RULES_YAML.replace("  cohort: low\n", "  cohort: medium\n")
    assert problems(text) == [(3, "start", "cohort: 'medium' is not a level (levels: high, moderate, low, very low)")]


def test_a_misspelt_design_gets_a_hint():
    with pytest.raises(RulesInvalid) as exc:
        load_rules_text(RULES_YAML.replace("  cohort: low\n", "  cohrot: low\n"))
    messages = [(d.line, d.hint) for d in exc.value.diagnostics]
    assert (6, "did you mean 'cohort'?") in messages


def test_levels_and_no_evidence_are_distinct():
    text = RULES_YAML.replace("levels: [high, moderate, low, very low]", "levels: [high, low, low]")
    assert problems(text)[0] == (1, "levels", "levels must be unique: low")
    text = RULES_YAML.replace("no_evidence: no evidence", "no_evidence: very low")
    assert problems(text) == [(2, "no_evidence", "'very low' is a level; "
                                                 "'no evidence' must be told apart from every level")]


def test_a_statement_may_use_only_its_placeholders():
    text = RULES_YAML.replace('against: "$level certainty that $contrary."', 'against: "$level certainty that $prediction."')
    assert problems(text) == [(17, "statements.against",
                               "unknown placeholder $prediction; this sentence can use $contrary, $level")]


def test_an_upgrade_names_one_of_grades_domains():
    text = RULES_YAML.replace("domain: dose-response", "domain: big effect")
    [(line, field, message)] = problems(text)
    assert (line, field, message) == (54, "upgrades.flags[0].domain", "'big effect' is not allowed")


def test_unknown_settings_and_missing_ones():
    text = RULES_YAML.replace("no_evidence: no evidence\n", "no_evidnce: no evidence\n")
    assert problems(text) == [(1, "no_evidence", "'no_evidence' is missing"), (2, "no_evidnce", "unknown setting 'no_evidnce'")]


def test_a_causal_verb_is_one_word():
    text = RULES_YAML.replace("causal_verbs: [cause,", "causal_verbs: [leads to,")
    assert [p[1] for p in problems(text)] == ["wording.causal_verbs[0]"]


def test_flags_remember_their_line(rules):
    assert rules.flag_line("doe2020#f2") == 35
    assert rules.flag_line("roe2021#f1") is None


def test_rank_and_lowering(rules):
    assert [rules.rank(x) for x in ("high", "very low", "no evidence")] == [0, 3, 4]
    assert (rules.lowered("high", 2), rules.lowered("low", 5), rules.lowered("low", -1), rules.lowered("high", -1)) == (
        "low", "very low", "moderate", "high")


def test_grade_symbols_fill_one_circle_per_level(rules):
    assert [rules.symbols(x) for x in ("high", "moderate", "low", "very low", "no evidence")] == [
        "⊕⊕⊕⊕", "⊕⊕⊕◯", "⊕⊕◯◯", "⊕◯◯◯", ""]


def test_a_work_is_evidence_only_as_a_primary_study_with_results(rules):
    from synthesis_fixtures import make_note

    assert rules.is_evidence(make_note("doe2020", design="cohort"))
    assert not rules.is_evidence(make_note("doe2020", design="narrative-review", source_type="review"))
    assert not rules.is_evidence(make_note("doe2020", design="rct", source_type="news"))
    assert not rules.is_evidence(make_note("doe2020", design="rct", source_type="trial-registration"))
