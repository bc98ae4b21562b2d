"""The published risk-of-bias tools, as data: for each tool its id, full name, domains (as its
publication names them), its judgement scale, how each judgement maps to the common *concern* the
certainty rating reads, and which algorithm computes the overall judgement from the domains.

This is the one table of tools; the review's choice of tool per design is ``reviews/risk-of-bias.yml``
(:mod:`.rob_designs`), a note's judgements are its ``risk_of_bias`` block (:mod:`.risk_of_bias`).

Sources (the tools' own guidance, read for the domain names, scales and overall rules):

* RoB 2 — Sterne JAC et al. RoB 2: a revised tool for assessing risk of bias in randomised trials.
  BMJ 2019;366:l4898, Table 1 (domains) and the overall judgement table of the RoB 2 guidance
  (riskofbias.info, version of 22 August 2019).
* RoB 2 for crossover trials — Higgins JPT et al., "Revised Cochrane risk of bias tool for randomized
  trials (RoB 2): additional considerations for crossover trials" (riskofbias.info, 2021): adds
  "Domain S" (period and carryover effects), assessed after domain 1.
* ROBINS-I — Sterne JAC et al. ROBINS-I: a tool for assessing risk of bias in non-randomised studies
  of interventions. BMJ 2016;355:i4919, Table 1 (domains) and Table 2 (judgements, overall).
* ROBINS-E — Higgins JPT et al. A tool to assess risk of bias in non-randomized follow-up studies of
  exposure effects (ROBINS-E). Environment International 2024;186:108602 (launch version 2023).

Overall rules, and what is *not* computed:

* **RoB 2** (and its crossover variant): low only if every domain is low; high if any domain is high;
  otherwise some concerns. The guidance also lets a reviewer judge a trial high overall when *several*
  domains have some concerns "in a way that substantially lowers confidence in the result": that is a
  reviewer's judgement and is never computed here.
* **ROBINS-I**: critical if any domain is critical; else serious if any is serious; else *no
  information* if any domain has no information (Table 2: "no clear indication that the study is at
  serious or critical risk of bias and a lack of information in one or more key domains"; which
  domains are *key* is a reviewer's judgement — here every domain counts); else moderate if any is
  moderate; else low.
* **ROBINS-E**: very high if any domain is very high; else high if any is high; else some concerns if
  any has some concerns; else low. ROBINS-E's own wording for domain 1's lowest level is "low risk of
  bias (except for concerns about uncontrolled confounding)"; it is written ``low`` here. Whether
  ROBINS-E's overall rule also raises *several* high domains to very high could not be confirmed from
  the guidance found; it is left to the reviewer and never computed.

"No information" in tools without that domain level (RoB 2, RoB 2 crossover, ROBINS-E): a domain
may still be judged ``no information`` (the record does not say). It is *shown* as no information and
*counts* as "some concerns" for the overall judgement: missing information is a concern, but not
evidence of high risk. A domain missing from a note's block is treated the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

#: the common concern every tool's judgements map to (best first); the certainty rating reads these
CONCERNS: tuple[str, ...] = ("low", "some concerns", "high", "no information")
NO_INFORMATION = "no information"


@dataclass(frozen=True)
class Domain:
    id: str
    name: str


@dataclass(frozen=True)
class Tool:
    id: str
    name: str
    #: the publication the domains, scale and overall rule follow
    source: str
    domains: tuple[Domain, ...]
    #: the domain judgements, least concern first, then ``no information``
    scale: tuple[str, ...]
    #: each judgement's common concern (:data:`CONCERNS`)
    concern: Mapping[str, str]
    #: the overall judgements the algorithm can give, least concern first
    overall_scale: tuple[str, ...]
    #: the name of the algorithm in :data:`ALGORITHMS` that computes the overall judgement
    algorithm: str

    @property
    def domain_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.domains)

    def domain(self, domain_id: str) -> Domain | None:
        return next((d for d in self.domains if d.id == domain_id), None)

    def overall(self, judgements: Mapping[str, str]) -> str:
        """The overall judgement from *judgements* (domain id -> judgement); a domain not given counts
        as ``no information``. ValueError for a domain or judgement the tool does not have."""
        unknown = sorted(set(judgements) - set(self.domain_ids))
        if unknown:
            raise ValueError(f"{self.id} has no domain {', '.join(unknown)}")
        bad = sorted({j for j in judgements.values() if j not in self.scale})
        if bad:
            raise ValueError(f"{self.id} has no judgement {', '.join(map(repr, bad))}")
        values = [judgements.get(d, NO_INFORMATION) for d in self.domain_ids]
        return ALGORITHMS[self.algorithm](values)


def _rob2(values: list[str]) -> str:
    """RoB 2: low only if all low; high if any high; otherwise some concerns (no information counts as
    some concerns; "several some concerns → high" is the reviewer's, never computed)."""
    if any(v == "high" for v in values):
        return "high"
    if all(v == "low" for v in values):
        return "low"
    return "some concerns"


def _robins_i(values: list[str]) -> str:
    """ROBINS-I (2016), Table 2: critical > serious > no information > moderate > low."""
    for level in ("critical", "serious", NO_INFORMATION, "moderate"):
        if level in values:
            return level
    return "low"


def _robins_e(values: list[str]) -> str:
    """ROBINS-E (2023): very high > high > some concerns (no information counts as some concerns) > low."""
    for level in ("very high", "high"):
        if level in values:
            return level
    if all(v == "low" for v in values):
        return "low"
    return "some concerns"


ALGORITHMS: dict[str, Callable[[list[str]], str]] = {"rob2": _rob2, "robins-i": _robins_i, "robins-e": _robins_e}

_ROB2_SCALE = ("low", "some concerns", "high", NO_INFORMATION)
_ROB2_CONCERN = {"low": "low", "some concerns": "some concerns", "high": "high", NO_INFORMATION: NO_INFORMATION}
_ROB2_DOMAINS = (
    Domain("D1", "Bias arising from the randomisation process"),
    Domain("D2", "Bias due to deviations from intended interventions"),
    Domain("D3", "Bias due to missing outcome data"),
    Domain("D4", "Bias in measurement of the outcome"),
    Domain("D5", "Bias in selection of the reported result"),
)

TOOLS: dict[str, Tool] = {tool.id: tool for tool in (
    Tool(
        id="rob2",
        name="RoB 2: Cochrane risk-of-bias tool for randomised trials (parallel-group)",
        source="Sterne et al., BMJ 2019;366:l4898",
        domains=_ROB2_DOMAINS,
        scale=_ROB2_SCALE,
        concern=_ROB2_CONCERN,
        overall_scale=("low", "some concerns", "high"),
        algorithm="rob2",
    ),
    Tool(
        id="rob2-crossover",
        name="RoB 2 for crossover trials",
        source="Higgins et al., RoB 2: additional considerations for crossover trials (2021)",
        domains=(_ROB2_DOMAINS[0], Domain("DS", "Bias arising from period and carryover effects"), *_ROB2_DOMAINS[1:]),
        scale=_ROB2_SCALE,
        concern=_ROB2_CONCERN,
        overall_scale=("low", "some concerns", "high"),
        algorithm="rob2",
    ),
    Tool(
        id="robins-i",
        name="ROBINS-I: Risk Of Bias In Non-randomised Studies - of Interventions (2016)",
        source="Sterne et al., BMJ 2016;355:i4919",
        domains=(
            Domain("D1", "Bias due to confounding"),
            Domain("D2", "Bias in selection of participants into the study"),
            Domain("D3", "Bias in classification of interventions"),
            Domain("D4", "Bias due to deviations from intended interventions"),
            Domain("D5", "Bias due to missing data"),
            Domain("D6", "Bias in measurement of outcomes"),
            Domain("D7", "Bias in selection of the reported result"),
        ),
        scale=("low", "moderate", "serious", "critical", NO_INFORMATION),
        concern={"low": "low", "moderate": "some concerns", "serious": "high", "critical": "high",
                 NO_INFORMATION: NO_INFORMATION},
        overall_scale=("low", "moderate", "serious", "critical", NO_INFORMATION),
        algorithm="robins-i",
    ),
    Tool(
        id="robins-e",
        name="ROBINS-E: Risk Of Bias In Non-randomized Studies - of Exposures (2023)",
        source="Higgins et al., Environment International 2024;186:108602",
        domains=(
            Domain("D1", "Risk of bias due to confounding"),
            Domain("D2", "Risk of bias arising from measurement of the exposure"),
            Domain("D3", "Risk of bias in selection of participants into the study (or into the analysis)"),
            Domain("D4", "Risk of bias due to post-exposure interventions"),
            Domain("D5", "Risk of bias due to missing data"),
            Domain("D6", "Risk of bias arising from measurement of the outcome"),
            Domain("D7", "Risk of bias in selection of the reported result"),
        ),
        scale=("low", "some concerns", "high", "very high", NO_INFORMATION),
        concern={"low": "low", "some concerns": "some concerns", "high": "high", "very high": "high",
                 NO_INFORMATION: NO_INFORMATION},
        overall_scale=("low", "some concerns", "high", "very high"),
        algorithm="robins-e",
    ),
)}
