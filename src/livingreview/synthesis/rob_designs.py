"""The review's choice of risk-of-bias tool by study design, ``reviews/risk-of-bias.yml``, typed.

Every design of the note schema is listed once: under ``tools`` (design -> tool id of
:data:`~livingreview.synthesis.rob_tools.TOOLS`) or under ``not_assessed`` (designs that report no
results of their own: reviews, opinion, planned trials...; they are never assessed). A review
without the file assesses no risk of bias: no design has a tool.

Problems are ``ROB001`` diagnostics naming the line and field (see :mod:`.rob_checks`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from .. import yamlio
from ..diagnostics import Diagnostic, closest, error
from ..errors import InputError
from ..notes.designs import Design
from .rob_tools import TOOLS, Tool

CHOICE_FILE = Path("reviews") / "risk-of-bias.yml"
ToolId = Literal[tuple(TOOLS)]  # type: ignore[valid-type]


class ChoiceInvalid(InputError):
    """``reviews/risk-of-bias.yml`` is not YAML or does not follow its schema."""


class ToolChoice(BaseModel):
    """Which tool assesses each design (``None`` for a design that is never assessed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tools: dict[Design, ToolId] = Field(default_factory=dict, description="design -> tool id")
    not_assessed: list[Design] = Field(default_factory=list, description="designs that are never assessed")

    @field_validator("not_assessed")
    @classmethod
    def _every_design_once(cls, not_assessed: list[str], info: ValidationInfo) -> list[str]:
        tools = info.data.get("tools")
        if tools is None:
            return not_assessed
        both = sorted(set(tools) & set(not_assessed))
        if both:
            raise ValueError(f"designs both given a tool and not assessed: {', '.join(both)}; keep each in one place")
        twice = sorted({d for d in not_assessed if not_assessed.count(d) > 1})
        if twice:
            raise ValueError(f"designs listed twice: {', '.join(twice)}")
        missing = [d for d in get_args(Design) if d not in tools and d not in not_assessed]
        if missing:
            raise ValueError(f"designs without a tool: {', '.join(missing)}; add them under 'tools' or 'not_assessed'")
        return not_assessed

    @classmethod
    def none(cls) -> "ToolChoice":
        """The choice of a review without ``reviews/risk-of-bias.yml``: every design unassessed."""
        return cls(tools={}, not_assessed=list(get_args(Design)))

    def tool_for(self, design: str) -> Tool | None:
        """The tool that assesses *design*, or None when the design is never assessed."""
        tool_id = self.tools.get(design)
        return TOOLS[tool_id] if tool_id else None


def parse_choice(data, file: str = CHOICE_FILE.as_posix()) -> ToolChoice:
    """Validate parsed YAML *data* (from :mod:`livingreview.yamlio`); :class:`ChoiceInvalid` names lines."""
    if not isinstance(data, dict):
        raise ChoiceInvalid([error("ROB001", file, getattr(data, "line", 1),
                                   "risk-of-bias.yml must be a mapping with 'tools' and 'not_assessed'")])
    try:
        return ToolChoice(**data)
    except ValidationError as exc:
        raise ChoiceInvalid(_diagnostics(exc, file, data)) from None


def load_choice(project) -> ToolChoice:
    """Read and validate ``reviews/risk-of-bias.yml`` of *project* (:meth:`ToolChoice.none` when absent)."""
    file = CHOICE_FILE.as_posix()
    try:
        data = yamlio.load_file(project.root / CHOICE_FILE, file, scope=project.file_scope)
    except FileNotFoundError:
        return ToolChoice.none()
    except yamlio.YamlError as exc:
        raise ChoiceInvalid(exc.diagnostics) from None
    return parse_choice(data, file)


def _diagnostics(exc: ValidationError, file: str, data) -> list[Diagnostic]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if p != "[key]")
        where = ".".join(str(p) for p in loc)
        hint = None
        if err["type"] == "extra_forbidden":
            message = f"unknown setting '{where}'"
            hint = closest(str(loc[-1]), list(ToolChoice.model_fields)) or "the settings are: tools, not_assessed"
        elif err["type"] in ("literal_error", "enum"):
            choices = re.findall(r"'([^']*)'", err.get("ctx", {}).get("expected", ""))
            message = f"{where}: {err.get('input')!r} is not allowed"
            hint = closest(str(err.get("input")), choices) or f"one of: {', '.join(choices)}"
        else:
            message = f"{where}: {err['msg'].removeprefix('Value error, ')}"
        out.append(error("ROB001", file, yamlio.line_of(data, loc), message, field=where or None, hint=hint))
    return out
