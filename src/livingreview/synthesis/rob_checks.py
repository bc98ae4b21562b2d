"""What ``livingreview check`` asks of risk of bias: ``reviews/risk-of-bias.yml`` and each note's
``risk_of_bias`` block, judged against the tool its design gets (:mod:`.rob_tools`).

=======  ========  ==========================================================================
code     severity  meaning
=======  ========  ==========================================================================
ROB001   error     ``reviews/risk-of-bias.yml`` is not YAML or breaks its schema (see :mod:`.rob_designs`)
ROB002   error     the block's ``tool`` disagrees with the tool the design gets (or is no tool)
ROB003   error     a block on a note whose design gets no tool (it is never assessed)
ROB004   error     a domain the tool does not have
ROB005   error     a judgement outside the tool's scale
ROB006   error     a judgement without its basis (``fact`` + ``extracted_from``, or ``quote`` +
                   ``locator``), half a basis, or two bases
ROB007   warning   a primary study whose design has a tool has no block: not assessed
ROB008   warning   domains of the tool missing from the block: they count as "no information"
=======  ========  ==========================================================================

The overall judgement is computed, never typed: an ``overall`` key is a schema error (NOTE001) with
that hint. Quotes in the block are verified with the findings' quotes (:mod:`livingreview.notes.quotes`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, closest, error, warning
from .risk_of_bias import unassessed
from .rob_designs import CHOICE_FILE, ToolChoice
from .rob_tools import NO_INFORMATION, TOOLS, Tool

_CHOICE = CHOICE_FILE.as_posix()


def _at(make, code: str, item, loc: tuple, message: str, hint: str | None) -> Diagnostic:
    return make(code, item.file, item.line(*loc), message, key=item.value.key, field=item.field(*loc), hint=hint)


def check_notes(notes, choice: ToolChoice) -> list[Diagnostic]:
    """Every risk-of-bias problem of *notes* (the loader's records, with file and lines)."""
    out: list[Diagnostic] = []
    for item in notes.values_sorted():
        out += _check_note(item, choice)
    return sorted(out)


def _check_note(item, choice: ToolChoice) -> Iterator[Diagnostic]:
    note = item.value
    tool = choice.tool_for(note.design)
    block = note.risk_of_bias
    if block is None:
        if unassessed(note, choice):
            yield _at(warning, "ROB007", item, ("design",), f"not assessed: the design '{note.design}' is assessed "
                      f"with {tool.id}, and this note has no risk_of_bias block", f"add a risk_of_bias block judging each {tool.id} domain "
                      f"({', '.join(tool.domain_ids)}) from the source")
        return
    if tool is None:
        yield _at(error, "ROB003", item, ("risk_of_bias",), f"the design '{note.design}' is never assessed for risk "
                  f"of bias ({_CHOICE} gives it no tool)", "remove the risk_of_bias block, or correct 'design'")
        return
    if block.tool is not None and block.tool != tool.id:
        known = block.tool in TOOLS
        message = (f"the tool is '{block.tool}', but the design '{note.design}' is assessed with '{tool.id}' ({_CHOICE})" if known
                   else f"there is no risk-of-bias tool '{block.tool}'")
        hint = (None if known else closest(block.tool, TOOLS)) or f"remove 'tool' (it is derived from the design) or write '{tool.id}'"
        yield _at(error, "ROB002", item, ("risk_of_bias", "tool"), message, hint)
        return
    yield from _domains(item, tool)


def _domains(item, tool: Tool) -> Iterator[Diagnostic]:
    block = item.value.risk_of_bias
    for domain_id, entry in block.domains.items():
        loc = ("risk_of_bias", "domains", domain_id)
        if tool.domain(domain_id) is None:
            yield _at(error, "ROB004", item, loc, f"{tool.id} has no domain '{domain_id}'",
                      closest(domain_id, tool.domain_ids) or f"its domains: {', '.join(tool.domain_ids)}")
            continue
        if entry.judgement not in tool.scale:
            yield _at(error, "ROB005", item, (*loc, "judgement"),
                      f"'{entry.judgement}' is not a judgement of {tool.id}",
                      closest(entry.judgement, tool.scale) or f"one of: {', '.join(tool.scale)}")
            continue
        problem = _basis_problem(entry)
        if problem:
            yield _at(error, "ROB006", item, loc, f"{domain_id} ({entry.judgement}): {problem}",
                      "give `fact` with `extracted_from` (the record it is from), or a verbatim `quote` from the "
                      "source text with `locator`")
    missing = [d for d in tool.domain_ids if d not in block.domains]
    if missing:
        yield _at(warning, "ROB008", item, ("risk_of_bias", "domains") if "domains" in (item.data.get("risk_of_bias") or {})
                  else ("risk_of_bias",), f"{tool.id} domains not judged: {', '.join(missing)}; they count as "
                  f"'{NO_INFORMATION}'", "judge each domain, writing `judgement: no information` where the source does not say")


def _basis_problem(entry) -> str | None:
    """What is wrong with a domain's basis, or None."""
    extracted = entry.fact is not None or entry.extracted_from is not None
    quoted = entry.quote is not None or entry.locator is not None
    if extracted and quoted:
        return "give one basis, a fact or a quote, not both"
    if entry.fact is not None and entry.extracted_from is None:
        return "a fact needs `extracted_from`, the record it is from"
    if entry.extracted_from is not None and entry.fact is None:
        return "`extracted_from` needs the `fact` extracted"
    if entry.quote is not None and entry.locator is None:
        return "a quote needs a `locator` (e.g. 'abstract')"
    if entry.locator is not None and entry.quote is None:
        return "`locator` belongs to a quote, and there is none"
    if entry.judgement != NO_INFORMATION and not (extracted or quoted):
        return "the judgement has no basis"
    return None


def check_risk_of_bias(ctx) -> list[Diagnostic]:
    """The risk-of-bias checks for ``livingreview check`` (a loader ``Context``)."""
    choice, problems = ctx._rob_choice
    if choice is None:
        return list(problems)
    return check_notes(ctx.notes, choice)
