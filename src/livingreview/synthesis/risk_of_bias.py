"""Per-study risk of bias, as data: a note's ``risk_of_bias`` block judged with the published tool
its design gets (``reviews/risk-of-bias.yml``), the overall judgement computed by the tool's
algorithm (:mod:`.rob_tools`), never typed. Pure: no file is read here.

    assessment = assess(note, choice)        # None: the design gets no tool, or the note has no block
    assessment.overall, assessment.concern   # e.g. "serious", "high"
    review.risk_of_bias["doe2020"]           # every assessed note, computed when the review is loaded

Each domain of the tool is in ``Assessment.domains``, in the tool's order. A domain missing from the
block is ``no information`` (``basis_kind == "none"``); the check reports it. In RoB 2 and ROBINS-E,
whose domains have no "no information" level, such a domain is shown as no information and counts
as "some concerns" for the overall judgement (see :mod:`.rob_tools`).

``concern`` is the common scale the certainty rating reads: ``low``, ``some concerns``, ``high``,
``no information`` (ROBINS-I moderate → some concerns, serious and critical → high; ROBINS-E very
high → high).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .rob_designs import ToolChoice
from .rob_tools import NO_INFORMATION, Tool


@dataclass(frozen=True)
class DomainJudgement:
    domain: str
    name: str
    judgement: str
    concern: str
    basis: str | None
    basis_kind: str  # "quote" | "extracted" | "none"


@dataclass(frozen=True)
class Assessment:
    key: str
    tool: str
    tool_name: str
    domains: tuple[DomainJudgement, ...]
    overall: str
    concern: str  # in {"low", "some concerns", "high", "no information"}


def tool_of(note, tools: ToolChoice) -> Tool | None:
    """The tool that assesses *note* (by its design), or None."""
    return tools.tool_for(note.design)


def assess(note, tools: ToolChoice) -> Assessment | None:
    """*note*'s risk of bias by the tool its design gets; None when the design gets no tool or the note
    has no ``risk_of_bias`` block. ValueError for a block the check rejects (a judgement the tool does
    not have, a domain it does not have): a loaded review has none."""
    block = getattr(note, "risk_of_bias", None)
    tool = tool_of(note, tools)
    if block is None or tool is None:
        return None
    if block.tool is not None and block.tool != tool.id:
        raise ValueError(f"{note.key}: the block names {block.tool}, the design {note.design} gets {tool.id}")
    given = dict(block.domains)
    judgements = {d: entry.judgement for d, entry in given.items()}
    overall = tool.overall(judgements)  # raises for unknown domains or judgements
    domains = []
    for domain in tool.domains:
        entry = given.get(domain.id)
        judgement = entry.judgement if entry else NO_INFORMATION
        basis, kind = _basis(entry)
        domains.append(DomainJudgement(domain.id, domain.name, judgement, tool.concern[judgement], basis, kind))
    # where the record informs no domain at all, the certainty rating weighs the study as "no information"
    # whatever the tool's overall rule makes of it (RoB 2 and ROBINS-E count it as some concerns)
    uninformed = all(d.judgement == NO_INFORMATION for d in domains)
    return Assessment(key=note.key, tool=tool.id, tool_name=tool.name, domains=tuple(domains), overall=overall,
                      concern=NO_INFORMATION if uninformed else tool.concern[overall])


def _basis(entry) -> tuple[str | None, str]:
    if entry is None:
        return None, "none"
    if entry.quote is not None:
        return entry.quote, "quote"
    if entry.fact is not None:
        return entry.fact, "extracted"
    return None, "none"


def assess_all(notes: Mapping[str, object], tools: ToolChoice) -> dict[str, Assessment]:
    """key -> :class:`Assessment` for every assessed note of *notes*, sorted by key."""
    out = {}
    for key in sorted(notes):
        assessment = assess(notes[key], tools)
        if assessment is not None:
            out[key] = assessment
    return out


def unassessed(note, tools: ToolChoice) -> bool:
    """Whether *note* is a primary study whose design has a tool but which has no block: "not assessed"."""
    return note.source_type == "primary" and tool_of(note, tools) is not None and note.risk_of_bias is None
