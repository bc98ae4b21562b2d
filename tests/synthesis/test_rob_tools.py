"""The published tools' overall algorithms, against tables of domain combinations taken from each
tool's guidance (the rows are data: change a rule only with the guidance in hand)."""

from __future__ import annotations

from typing import get_args

import pytest

from livingreview.notes.model import Design
from livingreview.synthesis.rob_tools import CONCERNS, TOOLS

L, S, H, NI = "low", "some concerns", "high", "no information"

#: RoB 2 (Sterne et al., BMJ 2019, "Approach to reaching an overall risk-of-bias judgement"):
#: low only if all domains low; high if any domain high; otherwise some concerns. "No information"
#: (no such domain level in RoB 2) counts as some concerns. D1..D5 in order.
ROB2 = [
    ((L, L, L, L, L), L),
    ((L, S, L, L, L), S),
    ((S, S, S, S, S), S),   # several some concerns: high only by the reviewer's judgement, never computed
    ((L, L, L, L, H), H),
    ((H, S, L, L, L), H),
    ((L, L, NI, L, L), S),
    ((NI, NI, NI, NI, NI), S),
    ((NI, H, L, L, L), H),
]

#: RoB 2 for crossover trials: the same rule over D1, DS, D2..D5.
ROB2_CROSSOVER = [
    ((L, L, L, L, L, L), L),
    ((L, S, L, L, L, L), S),
    ((L, H, L, L, L, L), H),
    ((L, NI, L, L, L, L), S),
]

M, SE, C = "moderate", "serious", "critical"
#: ROBINS-I (Sterne et al., BMJ 2016, Table 2): low if all low; moderate if all low or moderate;
#: serious if any serious and none critical; critical if any critical; no information if no domain
#: is serious or critical and information is lacking in one or more domains. D1..D7 in order.
ROBINS_I = [
    ((L,) * 7, L),
    ((L, M, L, L, L, L, L), M),
    ((M,) * 7, M),
    ((L, M, SE, L, L, L, L), SE),
    ((SE, SE, SE, L, L, L, L), SE),
    ((SE, C, L, L, L, L, L), C),
    ((L, L, L, L, NI, L, L), NI),
    ((M, L, L, L, NI, L, L), NI),
    ((L, L, L, L, NI, SE, L), SE),
    ((NI, L, L, L, L, L, C), C),
]

VH = "very high"
#: ROBINS-E (Higgins et al., Environment International 2024, overall judgement): low if all low; some
#: concerns if any some concerns but none high or very high; high if any high but none very high;
#: very high if any very high. "No information" counts as some concerns. D1..D7 in order.
ROBINS_E = [
    ((L,) * 7, L),
    ((S, L, L, L, L, L, L), S),
    ((L, L, H, L, L, L, S), H),
    ((H, H, H, L, L, L, L), H),  # several high: very high only by the reviewer's judgement
    ((L, VH, H, L, L, L, L), VH),
    ((L, L, L, NI, L, L, L), S),
]

CASES = ([("rob2", d, o) for d, o in ROB2] + [("rob2-crossover", d, o) for d, o in ROB2_CROSSOVER]
         + [("robins-i", d, o) for d, o in ROBINS_I] + [("robins-e", d, o) for d, o in ROBINS_E])


@pytest.mark.parametrize("tool_id, judgements, overall", CASES)
def test_overall_follows_the_tools_guidance(tool_id, judgements, overall):
    tool = TOOLS[tool_id]
    assert len(judgements) == len(tool.domains)
    assert tool.overall(dict(zip(tool.domain_ids, judgements))) == overall


def test_a_domain_not_given_counts_as_no_information():
    assert TOOLS["robins-i"].overall({"D1": "low"}) == "no information"
    assert TOOLS["rob2"].overall({d: "low" for d in ("D1", "D2", "D3", "D4")}) == "some concerns"


def test_unknown_domains_and_judgements_are_refused():
    with pytest.raises(ValueError, match="no domain D6"):
        TOOLS["rob2"].overall({"D6": "low"})
    with pytest.raises(ValueError, match="'moderate'"):
        TOOLS["rob2"].overall({"D1": "moderate"})


def test_the_tools_as_their_publications_name_them():
    assert TOOLS["rob2"].domain_ids == ("D1", "D2", "D3", "D4", "D5")
    assert TOOLS["rob2-crossover"].domain_ids == ("D1", "DS", "D2", "D3", "D4", "D5")
    assert TOOLS["rob2-crossover"].domain("DS").name == "Bias arising from period and carryover effects"
    assert TOOLS["robins-i"].domain_ids == TOOLS["robins-e"].domain_ids == tuple(f"D{i}" for i in range(1, 8))
    assert TOOLS["robins-i"].domain("D3").name == "Bias in classification of interventions"
    assert TOOLS["robins-e"].domain("D2").name == "Risk of bias arising from measurement of the exposure"
    assert TOOLS["robins-i"].scale == ("low", "moderate", "serious", "critical", "no information")


@pytest.mark.parametrize("tool", TOOLS.values(), ids=list(TOOLS))
def test_every_judgement_and_overall_maps_to_a_common_concern(tool):
    assert set(tool.concern) == set(tool.scale) >= set(tool.overall_scale)
    assert set(tool.concern.values()) <= set(CONCERNS)
    assert tool.concern[tool.scale[0]] == "low"


def test_robins_i_concerns():
    concern = TOOLS["robins-i"].concern
    assert [concern[j] for j in ("moderate", "serious", "critical", "no information")] == [
        "some concerns", "high", "high", "no information"]


def test_the_real_review_chooses_a_tool_for_every_design_with_results():
    from pathlib import Path

    from livingreview.project import Project
    from livingreview.synthesis.rob_designs import load_choice

    choice = load_choice(Project(Path(__file__).resolve().parents[2]))
    assert {d: (t.id if (t := choice.tool_for(d)) else None) for d in get_args(Design)} == {
        "rct": "rob2", "crossover-rct": "rob2-crossover", "pilot": "robins-i", "uncontrolled-trial": "robins-i",
        "cohort": "robins-e", "case-control": "robins-e", "cross-sectional": "robins-e",
        "narrative-review": None, "systematic-review": None, "opinion": None, "planned-trial": None,
        "commentary": None, "summary": None, "not-stated": None}
