"""The synthesis rules, ``reviews/certainty.yml``, typed: certainty levels, starting levels by
design, downgrades with their reason sentences, and the wording lint's causal verbs.

The rules are data so that a reviewer can read and change them without touching code.
Reason sentences are :class:`string.Template` texts (``$works``); each sentence may use only
the placeholders documented next to it, which is checked when the file is read.
"""

from __future__ import annotations

from pathlib import Path
from string import Template
from typing import Annotated, ClassVar, Literal, get_args

from pydantic import (BaseModel, ConfigDict, Field, PrivateAttr, StrictInt, StrictStr, ValidationError,
                      ValidationInfo, field_validator)

from .. import yamlio
from ..diagnostics import error
from ..errors import InputError
from ..schema_errors import schema_diagnostics
from ..notes.model import FINDING_REF, ConditionName, Design, SourceType

RULES_FILE = Path("reviews") / "certainty.yml"


class RulesInvalid(InputError):
    """``reviews/certainty.yml`` is missing, not YAML, or does not follow its schema."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class _Templated(_Strict):
    """A rule whose reason sentences are templates; ``PLACEHOLDERS`` says which names each may use."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {}

    @field_validator("*")
    @classmethod
    def _placeholders(cls, value, info: ValidationInfo):
        allowed = cls.PLACEHOLDERS.get(info.field_name)
        if allowed is None:
            return value
        template = Template(value)
        if not template.is_valid():
            raise ValueError("a '$' must start a placeholder such as $works; write $$ for a dollar sign")
        unknown = sorted(set(template.get_identifiers()) - allowed)
        if unknown:
            names = ", ".join(f"${name}" for name in sorted(allowed))
            raise ValueError(f"unknown placeholder ${unknown[0]}; this sentence can use {names}")
        return value


class SmallSamples(_Templated):
    PLACEHOLDERS: ClassVar = {"reason": frozenset({"total", "works", "below"}),
                              "reason_unknown": frozenset({"works", "below"})}
    levels: StrictInt = Field(ge=1)
    below: StrictInt = Field(ge=1, description="a body with fewer participants in all is downgraded")
    reason: StrictStr = Field(min_length=1)
    reason_unknown: StrictStr = Field(min_length=1)


class Inconsistency(_Templated):
    PLACEHOLDERS: ClassVar = {"reason": frozenset({"supporting", "contradicting"})}
    levels: StrictInt = Field(ge=1)
    reason: StrictStr = Field(min_length=1)


class IndirectFlag(_Strict):
    """A reviewer's judgement that one finding is indirect evidence for its prediction."""

    finding: StrictStr = Field(pattern=FINDING_REF, description="<key>#f<n>")
    reason: StrictStr = Field(min_length=1)


class Indirectness(_Templated):
    PLACEHOLDERS: ClassVar = {"reason_population": frozenset({"works", "conditions"}),
                              "reason_criteria": frozenset({"condition", "works"}),
                              "reason_flag": frozenset({"finding", "reason"})}
    levels: StrictInt = Field(ge=1)
    reason_population: StrictStr = Field(min_length=1)
    pem_required_for: list[ConditionName] = Field(default_factory=list)
    reason_criteria: StrictStr = Field(min_length=1)
    flags: list[IndirectFlag] = Field(default_factory=list)
    reason_flag: StrictStr = Field(min_length=1)


class SingleUncontrolled(_Templated):
    PLACEHOLDERS: ClassVar = {"reason": frozenset({"work"})}
    levels: StrictInt = Field(ge=1)
    uncontrolled_designs: list[Design] = Field(default_factory=list)
    reason: StrictStr = Field(min_length=1)


class Downgrades(_Strict):
    small_samples: SmallSamples
    inconsistency: Inconsistency
    indirectness: Indirectness
    single_uncontrolled: SingleUncontrolled


class SetAside(_Strict):
    designs: list[Design] = Field(default_factory=list)
    source_types: list[SourceType] = Field(default_factory=list)


class Wording(_Strict):
    causal_verbs: list[Annotated[StrictStr, Field(pattern=r"^[^\W\d_][\w'-]*$")]] = Field(min_length=1)


class Rules(_Strict):
    levels: list[StrictStr] = Field(min_length=2, description="best first")
    no_evidence: StrictStr = Field(min_length=1)
    overall: Literal["highest", "lowest"]
    start: dict[Design, StrictStr]
    set_aside: SetAside
    studies: list[Design] = Field(min_length=1, description="designs that study participants themselves")
    downgrades: Downgrades
    wording: Wording

    _flag_lines: dict[str, int | None] = PrivateAttr(default_factory=dict)

    @field_validator("levels")
    @classmethod
    def _unique_levels(cls, levels: list[str]) -> list[str]:
        dupes = sorted({level for level in levels if levels.count(level) > 1})
        if dupes:
            raise ValueError(f"levels must be unique: {', '.join(dupes)}")
        return levels

    @field_validator("no_evidence")
    @classmethod
    def _not_a_level(cls, label: str, info: ValidationInfo) -> str:
        if label in info.data.get("levels", []):
            raise ValueError(f"'{label}' is a level; 'no evidence' must be told apart from every level")
        return label

    @field_validator("start")
    @classmethod
    def _known_levels(cls, start: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        levels = info.data.get("levels", [])
        for design, level in start.items():
            if levels and level not in levels:
                raise ValueError(f"{design}: '{level}' is not a level (levels: {', '.join(levels)})")
        return start

    @field_validator("set_aside")
    @classmethod
    def _every_design_once(cls, set_aside: SetAside, info: ValidationInfo) -> SetAside:
        start = info.data.get("start")
        if start is None:
            return set_aside
        both = sorted(set(start) & set(set_aside.designs))
        if both:
            raise ValueError(f"designs both rated and set aside: {', '.join(both)}; keep each in one place")
        missing = [d for d in get_args(Design) if d not in start and d not in set_aside.designs]
        if missing:
            raise ValueError(f"designs without a starting level: {', '.join(missing)}; "
                             "add them under 'start' or 'set_aside: designs'")
        return set_aside

    @field_validator("studies")
    @classmethod
    def _rated_studies(cls, studies: list[str], info: ValidationInfo) -> list[str]:
        aside = sorted(set(studies) & set(getattr(info.data.get("set_aside"), "designs", [])))
        if aside:
            raise ValueError(f"designs set aside cannot be studies: {', '.join(aside)}")
        return studies

    def rank(self, level: str) -> int:
        """0 for the best level; ``no_evidence`` ranks below the last level."""
        return self.levels.index(level) if level in self.levels else len(self.levels)

    def lowered(self, level: str, by: int) -> str:
        """*level* lowered by *by* steps, never below the last level."""
        return self.levels[min(self.rank(level) + by, len(self.levels) - 1)]

    def flag_line(self, finding: str) -> int | None:
        """The line of the indirectness flag for *finding* (``<key>#f<n>``) in the rules file."""
        return self._flag_lines.get(finding)


def parse_rules(data, file: str = RULES_FILE.as_posix()) -> Rules:
    """Validate parsed YAML *data* (from :mod:`livingreview.yamlio`) as rules; :class:`RulesInvalid` names lines."""
    if not isinstance(data, dict):
        raise RulesInvalid([error("CERT001", file, getattr(data, "line", 1),
                                  "certainty.yml must be a mapping with levels, start, downgrades and wording")])
    try:
        rules = Rules(**data)
    except ValidationError as exc:
        raise RulesInvalid(schema_diagnostics(exc, data, Rules, file, "CERT001", noun="setting")) from None
    flags = data["downgrades"]["indirectness"].get("flags") or []
    rules._flag_lines = {flag.finding: yamlio.line_of(flags, (i,))
                         for i, flag in enumerate(rules.downgrades.indirectness.flags)}
    return rules


def load_rules(project) -> Rules:
    """Read and validate ``reviews/certainty.yml`` of *project*."""
    path = project.root / RULES_FILE
    file = RULES_FILE.as_posix()
    try:
        data = yamlio.load_file(path, file, scope=project.file_scope)
    except FileNotFoundError:
        raise RulesInvalid([error("CERT001", file, None, "the certainty rules are missing",
                                  hint="write reviews/certainty.yml (levels, start, set_aside, downgrades, wording)")]) from None
    except yamlio.YamlError as exc:
        raise RulesInvalid(exc.diagnostics) from None
    return parse_rules(data, file)
