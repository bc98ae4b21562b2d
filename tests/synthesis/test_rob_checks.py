"""What `check` says about risk of bias: each rule names the file, line and domain (ROB001-ROB008)."""

from __future__ import annotations

from livingreview import check

DOE = "reviews/notes/doe2020.yml"
ROE = "reviews/notes/roe2018.yml"
CHOICE = "reviews/risk-of-bias.yml"


def _rob(tiny) -> list[str]:
    _, found = check.collect(tiny.project)
    return [d.format() for d in found if d.code.startswith("ROB") or "risk_of_bias" in (d.field or "")]


def test_the_tiny_review_is_clean(tiny_project):
    assert _rob(tiny_project) == []


def test_an_unknown_domain(tiny_project):
    tiny_project.edit(ROE, "    D5:\n", "    D6:\n")
    assert _rob(tiny_project) == [
        f"{ROE}:20: warning ROB008 [roe2018.risk_of_bias.domains] rob2 domains not judged: D5; they count as 'no "
        "information' — judge each domain, writing `judgement: no information` where the source does not say",
        f"{ROE}:37: error ROB004 [roe2018.risk_of_bias.domains.D6] rob2 has no domain 'D6' — did you mean 'D5'?"]


def test_a_judgement_outside_the_scale_with_did_you_mean(tiny_project):
    tiny_project.edit(ROE, "      judgement: low\n      fact: Double-blind", "      judgement: moderate\n      fact: Double-blind")
    tiny_project.edit(DOE, "      judgement: some concerns", "      judgement: some concern")
    assert _rob(tiny_project) == [
        f"{DOE}:43: error ROB005 [doe2020.risk_of_bias.domains.D3.judgement] 'some concern' is not a judgement of "
        "robins-e — did you mean 'some concerns'?",
        f"{ROE}:26: error ROB005 [roe2018.risk_of_bias.domains.D2.judgement] 'moderate' is not a judgement of rob2 — "
        "one of: low, some concerns, high, no information"]


def test_a_missing_or_half_basis(tiny_project):
    tiny_project.edit(ROE, "      fact: Double-blind and placebo-controlled.\n", "")
    tiny_project.edit(ROE, "      extracted_from: Roe 2018, Journal of Examples, methods\n    D3:",
                      "      extracted_from: Roe 2018, Journal of Examples, methods\n      locator: methods\n    D3:")
    tiny_project.edit(ROE, "      fact: Outcome data for all 40 patients.\n      extracted_from: Roe 2018, Journal of Examples, results\n", "")
    tiny_project.edit(ROE, "      fact: Fatigue was self-rated by blinded participants.\n", "")
    lines = _rob(tiny_project)
    assert [line.split(" — ")[0] for line in lines] == [
        f"{ROE}:25: error ROB006 [roe2018.risk_of_bias.domains.D2] D2 (low): give one basis, a fact or a quote, not both",
        f"{ROE}:29: error ROB006 [roe2018.risk_of_bias.domains.D3] D3 (low): the judgement has no basis",
        f"{ROE}:31: error ROB006 [roe2018.risk_of_bias.domains.D4] D4 (low): `extracted_from` needs the `fact` extracted"]
    assert lines[0].endswith("— give `fact` with `extracted_from` (the record it is from), or a verbatim `quote` from "
                             "the source text with `locator`")


def test_a_tool_that_disagrees_with_the_design(tiny_project):
    tiny_project.edit(DOE, "  tool: robins-e", "  tool: rob2")
    tiny_project.edit(ROE, "risk_of_bias:\n", "risk_of_bias:\n  tool: robins_i\n")
    assert _rob(tiny_project) == [
        f"{DOE}:32: error ROB002 [doe2020.risk_of_bias.tool] the tool is 'rob2', but the design 'case-control' is "
        f"assessed with 'robins-e' ({CHOICE}) — remove 'tool' (it is derived from the design) or write 'robins-e'",
        f"{ROE}:20: error ROB002 [roe2018.risk_of_bias.tool] there is no risk-of-bias tool 'robins_i' — did you mean "
        "'robins-i'?"]


def test_a_block_on_a_design_that_is_never_assessed(tiny_project):
    tiny_project.edit(ROE, "design: rct", "design: opinion")
    assert _rob(tiny_project) == [
        f"{ROE}:19: error ROB003 [roe2018.risk_of_bias] the design 'opinion' is never assessed for risk of bias "
        f"({CHOICE} gives it no tool) — remove the risk_of_bias block, or correct 'design'"]


def test_a_primary_study_without_a_block_is_not_assessed(tiny_project):
    text = (tiny_project.root / ROE).read_text(encoding="utf-8")
    tiny_project.write(ROE, text[:text.index("risk_of_bias:")])
    assert _rob(tiny_project) == [
        f"{ROE}:3: warning ROB007 [roe2018.design] not assessed: the design 'rct' is assessed with rob2, and this note "
        "has no risk_of_bias block — add a risk_of_bias block judging each rob2 domain (D1, D2, D3, D4, D5) from the source"]
    tiny_project.edit(ROE, "source_type: primary", "source_type: preprint")
    assert _rob(tiny_project) == []


def test_overall_is_computed_never_typed(tiny_project):
    tiny_project.edit(ROE, "risk_of_bias:\n", "risk_of_bias:\n  overall: low\n")
    assert _rob(tiny_project) == [
        f"{ROE}:20: error NOTE001 [roe2018.risk_of_bias.overall] 'overall' is computed, never typed — the overall "
        "judgement is computed from the domains by the tool's published algorithm; remove it"]


def test_the_review_file_is_checked_with_its_lines(tiny_project):
    original = (tiny_project.root / CHOICE).read_text(encoding="utf-8")
    tiny_project.edit(CHOICE, "  rct: rob2 ", "  rct: rob3 ")
    assert _rob(tiny_project) == [
        f"{CHOICE}:15: error ROB001 [tools.rct] tools.rct: 'rob3' is not allowed — did you mean 'rob2'?"]
    tiny_project.write(CHOICE, original.replace("  - opinion\n", ""))
    assert _rob(tiny_project) == [
        f"{CHOICE}:23: error ROB001 [not_assessed] not_assessed: designs without a tool: opinion; add them under "
        "'tools' or 'not_assessed'"]


def test_without_the_review_file_nothing_is_assessed_and_a_block_is_an_error(tiny_project):
    (tiny_project.root / CHOICE).unlink()
    assert [line.split(" [")[0] for line in _rob(tiny_project)] == [f"{DOE}:31: error ROB003", f"{ROE}:19: error ROB003"]
