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
from ..notes.designs import Design
from ..notes.model import FINDING_REF, PREDICTION_ID, ConditionName, SourceType
from ..schema_errors import schema_diagnostics

#: a study's overall risk of bias, as the certainty rating weighs it (each tool's scale maps onto it)
Concern = Literal["low", "some concerns", "high", "no information", "not assessed"]

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


class RiskOfBias(_Templated):
    PLACEHOLDERS: ClassVar = {"reason": frozenset({"works"})}
    levels: StrictInt = Field(ge=1)
    concerns: list[Concern] = Field(min_length=1, description="a study's overall concerns that count against the body")
    reason: StrictStr = Field(min_length=1)


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
    required_for: dict[StrictStr, list[ConditionName]] = Field(
        default_factory=dict, description="facet of reviews/vocabulary.yml -> the conditions for which a study whose "
                                          "criteria do not require it is indirect evidence")
    reason_criteria: StrictStr = Field(min_length=1)
    flags: list[IndirectFlag] = Field(default_factory=list)
    reason_flag: StrictStr = Field(min_length=1)


class Imprecision(_Templated):
    PLACEHOLDERS: ClassVar = {"reason": frozenset({"total", "works", "below"}),
                              "reason_unknown": frozenset({"works", "below"}),
                              "reason_interval": frozenset({"works"})}
    levels: StrictInt = Field(ge=1)
    below: StrictInt = Field(ge=1, description="a body with fewer participants in all is downgraded")
    reason: StrictStr = Field(min_length=1)
    reason_unknown: StrictStr = Field(min_length=1)
    reason_interval: StrictStr = Field(min_length=1)


class Suspicion(_Strict):
    """A reviewer's suspicion of publication bias for one prediction, with its reason."""

    prediction: StrictStr = Field(pattern=PREDICTION_ID)
    reason: StrictStr = Field(min_length=1)


class PublicationBias(_Templated):
    PLACEHOLDERS: ClassVar = {"reason": frozenset({"reason"})}
    levels: StrictInt = Field(ge=1)
    suspected: list[Suspicion] = Field(default_factory=list)
    reason: StrictStr = Field(min_length=1)


class Downgrades(_Strict):
    """GRADE's five domains for rating down, in GRADE's order."""

    risk_of_bias: RiskOfBias
    inconsistency: Inconsistency
    indirectness: Indirectness
    imprecision: Imprecision
    publication_bias: PublicationBias


class UpgradeFlag(_Strict):
    prediction: StrictStr = Field(pattern=PREDICTION_ID)
    domain: Literal["large effect", "dose-response", "plausible confounding"]
    reason: StrictStr = Field(min_length=1)


class Upgrades(_Templated):
    PLACEHOLDERS: ClassVar = {"reason": frozenset({"domain", "reason"}), "reason_not_applied": frozenset({"domain"})}
    levels: StrictInt = Field(ge=1)
    flags: list[UpgradeFlag] = Field(default_factory=list)
    reason: StrictStr = Field(min_length=1)
    reason_not_applied: StrictStr = Field(min_length=1)


class Context(_Strict):
    """Works that are not evidence for a rating: listed beside it, counted apart."""

    designs: list[Design] = Field(default_factory=list)
    source_types: list[SourceType] = Field(default_factory=list)


class Statements(_Templated):
    """How a certainty statement says the direction of the evidence."""

    PLACEHOLDERS: ClassVar = {"for_": frozenset({"level", "prediction"}), "against": frozenset({"level", "contrary"}),
                              "conflicting": frozenset({"level", "prediction"}),
                              "unclear": frozenset({"level", "prediction"}), "none": frozenset({"prediction"})}
    for_: StrictStr = Field(alias="for", min_length=1)
    against: StrictStr = Field(min_length=1)
    conflicting: StrictStr = Field(min_length=1)
    unclear: StrictStr = Field(min_length=1)
    none: StrictStr = Field(min_length=1)

    def template(self, direction: str) -> str:
        return self.for_ if direction == "for" else getattr(self, direction)


class Wording(_Strict):
    causal_verbs: list[Annotated[StrictStr, Field(pattern=r"^[^\W\d_][\w'-]*$")]] = Field(min_length=1)


class Rules(_Strict):
    levels: list[StrictStr] = Field(min_length=2, description="best first")
    no_evidence: StrictStr = Field(min_length=1)
    start: dict[Design, StrictStr]
    context: Context
    statements: Statements
    downgrades: Downgrades
    upgrades: Upgrades
    wording: Wording

    _flag_lines: dict[str, int | None] = PrivateAttr(default_factory=dict)
    _prediction_lines: dict[tuple[str, int], int | None] = PrivateAttr(default_factory=dict)

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

    @field_validator("context")
    @classmethod
    def _every_design_once(cls, context: Context, info: ValidationInfo) -> Context:
        start = info.data.get("start")
        if start is None:
            return context
        both = sorted(set(start) & set(context.designs))
        if both:
            raise ValueError(f"designs both rated and context: {', '.join(both)}; keep each in one place")
        missing = [d for d in get_args(Design) if d not in start and d not in context.designs]
        if missing:
            raise ValueError(f"designs without a starting level: {', '.join(missing)}; "
                             "add them under 'start' or 'context: designs'")
        return context

    def is_evidence(self, note) -> bool:
        """Whether *note* is a primary study with results of its own (rated), not context."""
        return not (note.is_secondary or note.design in self.context.designs
                    or note.source_type in self.context.source_types)

    def rank(self, level: str) -> int:
        """0 for the best level; ``no_evidence`` ranks below the last level."""
        return self.levels.index(level) if level in self.levels else len(self.levels)

    def lowered(self, level: str, by: int) -> str:
        """*level* lowered by *by* steps (raised when *by* is negative), within the levels."""
        return self.levels[max(0, min(self.rank(level) + by, len(self.levels) - 1))]

    def symbols(self, level: str) -> str:
        """GRADE's symbols for *level*: ⊕⊕⊕⊕ for the best of four levels, ⊕◯◯◯ for the last; "" for no evidence."""
        if level not in self.levels:
            return ""
        filled = len(self.levels) - self.rank(level)
        return "⊕" * filled + "◯" * (len(self.levels) - filled)

    def prediction_flags(self) -> list[tuple[str, str, int | None]]:
        """``(field, prediction id, line)`` of every rule that names a prediction (publication bias, upgrades)."""
        named = [("downgrades.publication_bias.suspected", s.prediction) for s in self.downgrades.publication_bias.suspected]
        named += [("upgrades.flags", f.prediction) for f in self.upgrades.flags]
        counts: dict[str, int] = {}
        out = []
        for where, prediction in named:
            index = counts[where] = counts.get(where, -1) + 1
            out.append((where, prediction, self._prediction_lines.get((where, index))))
        return out

    def required_line(self, facet: str) -> int | None:
        """The line of *facet* under the indirectness rule's ``required_for`` in the rules file."""
        return getattr(self, "_required_lines", {}).get(facet)

    def flag_line(self, finding: str) -> int | None:
        """The line of the indirectness flag for *finding* (``<key>#f<n>``) in the rules file."""
        return self._flag_lines.get(finding)


def parse_rules(data, file: str = RULES_FILE.as_posix()) -> Rules:
    """Validate parsed YAML *data* (from :mod:`livingreview.yamlio`) as rules; :class:`RulesInvalid` names lines."""
    if not isinstance(data, dict):
        raise RulesInvalid([error("CERT001", file, getattr(data, "line", 1),
                                  "certainty.yml must be a mapping with levels, start, context, statements, downgrades, upgrades and wording")])
    try:
        rules = Rules.model_validate(data)
    except ValidationError as exc:
        raise RulesInvalid(schema_diagnostics(exc, data, Rules, file, "CERT001", noun="setting")) from None
    flags = data["downgrades"]["indirectness"].get("flags") or []
    rules._flag_lines = {flag.finding: yamlio.line_of(flags, (i,))
                         for i, flag in enumerate(rules.downgrades.indirectness.flags)}
    required = data["downgrades"]["indirectness"].get("required_for") or {}
    rules._required_lines = {facet: yamlio.line_of(required, (facet,)) for facet in rules.downgrades.indirectness.required_for}
    rules._prediction_lines = {
        (where, i): yamlio.line_of(items, (i,))
        for where, items in (("downgrades.publication_bias.suspected", data["downgrades"]["publication_bias"].get("suspected") or []),
                             ("upgrades.flags", data["upgrades"].get("flags") or []))
        for i in range(len(items))}
    return rules


def load_rules(project) -> Rules:
    """Read and validate ``reviews/certainty.yml`` of *project*."""
    path = project.root / RULES_FILE
    file = RULES_FILE.as_posix()
    try:
        data = yamlio.load_file(path, file, scope=project.file_scope)
    except FileNotFoundError:
        raise RulesInvalid([error("CERT001", file, None, "the certainty rules are missing",
                                  hint="write reviews/certainty.yml (levels, start, context, statements, downgrades, upgrades, wording)")]) from None
    except yamlio.YamlError as exc:
        raise RulesInvalid(exc.diagnostics) from None
    return parse_rules(data, file)
