"""The risk-of-bias API the certainty rating reads: assess() over the tiny review's fictional notes."""

from __future__ import annotations

import dataclasses

import livingreview
from livingreview.synthesis.risk_of_bias import Assessment, DomainJudgement, assess, assess_all, unassessed
from livingreview.synthesis.rob_designs import ToolChoice

ROE = "reviews/notes/roe2018.yml"


def test_assessments_are_computed_at_load_for_every_assessed_note(tiny_project):
    review = livingreview.load(tiny_project.root)
    assert sorted(review.risk_of_bias) == ["doe2020", "roe2018"]
    roe = review.risk_of_bias["roe2018"]
    assert (roe.key, roe.tool, roe.overall, roe.concern) == ("roe2018", "rob2", "some concerns", "some concerns")
    assert roe.tool_name.startswith("RoB 2")
    assert roe.domains[0] == DomainJudgement("D1", "Bias arising from the randomisation process", "some concerns",
                                             "some concerns", "Randomised; the method of allocation is not described.",
                                             "extracted")
    assert (roe.domains[4].judgement, roe.domains[4].concern, roe.domains[4].basis_kind) == (
        "no information", "no information", "none")
    doe = review.risk_of_bias["doe2020"]
    assert (doe.tool, doe.overall, doe.concern) == ("robins-e", "high", "high")
    assert [d.domain for d in doe.domains] == [f"D{i}" for i in range(1, 8)]


def test_the_shape_is_the_one_the_certainty_rating_uses():
    assert [f.name for f in dataclasses.fields(DomainJudgement)] == [
        "domain", "name", "judgement", "concern", "basis", "basis_kind"]
    assert [f.name for f in dataclasses.fields(Assessment)] == [
        "key", "tool", "tool_name", "domains", "overall", "concern"]
    assert DomainJudgement.__dataclass_params__.frozen and Assessment.__dataclass_params__.frozen


def test_a_quote_is_the_basis_and_missing_domains_are_no_information(tiny_project):
    tiny_project.edit("reviews/notes/doe2020.yml", """    D1:
      judgement: high
      fact: No adjustment for any confounder is reported.
      extracted_from: Doe 2020, methods
""", """    D1:
      judgement: high
      quote: the marker was "clearly higher"
      locator: paragraph 2
""")
    tiny_project.edit("reviews/notes/doe2020.yml", """    D7:
      judgement: low
      fact: The one outcome named in the methods is the one reported.
      extracted_from: Doe 2020, results
""", "")
    review = livingreview.load(tiny_project.root, sources=tiny_project.sources)
    doe = review.risk_of_bias["doe2020"]
    assert (doe.domains[0].basis, doe.domains[0].basis_kind) == ('the marker was "clearly higher"', "quote")
    assert (doe.domains[6].judgement, doe.domains[6].basis) == ("no information", None)
    assert review.quote_status[("doe2020", "risk_of_bias.D1")].status == "verified"


def test_no_block_or_no_tool_is_no_assessment(tiny_project):
    review = livingreview.load(tiny_project.root)
    roe = review.notes["roe2018"]
    assert assess(roe, ToolChoice.none()) is None
    bare = roe.model_copy(update={"risk_of_bias": None})
    assert assess(bare, review.rob_tools) is None
    assert unassessed(bare, review.rob_tools) and not unassessed(roe, review.rob_tools)
    assert assess_all({"roe2018": bare, "doe2020": review.notes["doe2020"]}, review.rob_tools).keys() == {"doe2020"}


def test_the_overall_judgement_moves_with_a_domain(tiny_project):
    tiny_project.edit(ROE, "      judgement: low\n      fact: Double-blind", "      judgement: high\n      fact: Double-blind")
    assert livingreview.load(tiny_project.root).risk_of_bias["roe2018"].overall == "high"


def test_the_design_chooses_the_tool(tiny_project):
    tiny_project.edit(ROE, "design: rct", "design: crossover-rct")
    roe = livingreview.load(tiny_project.root).risk_of_bias["roe2018"]
    assert roe.tool == "rob2-crossover"
    assert [(d.domain, d.judgement) for d in roe.domains][:2] == [("D1", "some concerns"), ("DS", "no information")]


def test_a_study_whose_record_informs_no_domain_weighs_as_no_information():
    from livingreview.notes.model import Note
    from livingreview.synthesis.risk_of_bias import assess
    from livingreview.synthesis.rob_designs import ToolChoice

    domains = {d: {"judgement": "no information"} for d in ("D1", "D2", "D3", "D4", "D5", "D6", "D7")}
    note = Note(key="doe2020", source_type="primary", design="case-control", population={"conditions": ["FM"]},
                criteria=["not stated"], quick_summary="A fictional study.", why_it_matters="Tests.",
                risk_of_bias={"domains": domains})
    choice = ToolChoice.model_validate({"tools": {"case-control": "robins-e"}})
    found = assess(note, choice)
    assert (found.overall, found.concern) == ("some concerns", "no information")  # the tool's rule; the rating's weight
