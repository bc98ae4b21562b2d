"""The review's own vocabulary, ``reviews/vocabulary.yml``, typed: the conditions its studies and
hypotheses name, the case definitions (diagnostic or inclusion criteria) a study may state and what
each one requires, and the *facets* derived from them that a report may filter on.

The package names no condition, criterion or facet of its own: every review declares its words here,
and the notes, hypotheses, certainty rules and report parameters are checked against them.

A facet is a requirement a case definition may impose on the patients it admits (e.g. "the criteria
require symptom X"). A study's status for a facet is derived, never typed (:func:`status`):
``required`` when the study's criteria require it (or the note records an explicit inclusion rule
that does, with its basis), ``not-required`` when every stated criterion is known not to, ``unknown``
otherwise. Each facet adds one typed report parameter, ``<facet>_required_only`` unless the facet
names another, that keeps only the studies whose criteria require it.

Problems are ``VOC001`` diagnostics naming the line and field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError, model_validator

from . import yamlio
from .diagnostics import error
from .errors import InputError
from .schema_errors import FieldProblem, schema_diagnostics

VOCABULARY_FILE = Path("reviews") / "vocabulary.yml"
#: the schema ``livingreview schema`` writes for the vocabulary file
SCHEMA_NAME = "vocabulary"
#: a facet's id and a report parameter's name: lower-case words joined by underscores
IDENTIFIER = r"^[a-z][a-z0-9_]*$"
#: a study's status for a facet
Status = Literal["required", "not-required", "unknown"]
STATUSES: tuple[str, ...] = ("required", "not-required", "unknown")
#: report parameters every review has; a facet's parameter may not take one of these names
RESERVED_PARAMETERS = frozenset({"hypothesis", "conditions", "year_from", "year_to", "citation_style"})


class VocabularyInvalid(InputError):
    """``reviews/vocabulary.yml`` is missing, not YAML, or does not follow its schema."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Criterion(_Strict):
    """A case definition a study may state, and which facets it settles."""

    name: StrictStr = Field(min_length=1, description="what it is, in full (e.g. its authors and year)")
    requires: list[StrictStr] = Field(default_factory=list, description="facets whose requirement it imposes")
    does_not_require: list[StrictStr] = Field(default_factory=list,
                                              description="facets it is known not to require")

    def verdict(self, facet: str) -> bool | None:
        """Does it require *facet*? True, False, or None (it does not say)."""
        if facet in self.requires:
            return True
        return False if facet in self.does_not_require else None


class Facet(_Strict):
    """A requirement a case definition may impose, which a report may filter on."""

    name: StrictStr = Field(min_length=1, description="the requirement in words, e.g. 'a symptom X'")
    short: StrictStr = Field(min_length=1, description="its short name for badges: '<short> required'")
    parameter: StrictStr | None = Field(default=None, pattern=IDENTIFIER,
                                        description="the report parameter that keeps only studies whose criteria "
                                                    "require it (default: <facet>_required_only)")

    def labels(self) -> dict[str, str]:
        """Each status's badge label, in display order."""
        return {"required": f"{self.short} required", "not-required": f"{self.short} not required",
                "unknown": f"{self.short} unknown"}


class Vocabulary(_Strict):
    """The review's conditions, criteria and facets."""

    conditions: dict[StrictStr, StrictStr] = Field(min_length=1, description="condition -> what it is, in full")
    criteria: dict[StrictStr, Criterion] = Field(min_length=1, description="criteria as studies state them -> "
                                                 "what they are and what they require")
    facets: dict[StrictStr, Facet] = Field(default_factory=dict,
                                           description="facet id -> its words; derived from the criteria")

    @model_validator(mode="after")
    def _consistent(self):
        for fid in self.facets:
            if not re.fullmatch(IDENTIFIER, fid):
                raise FieldProblem(("facets", fid), f"facet id '{fid}' must be lower-case words joined by underscores")
            name = self.parameter(fid)
            if name in RESERVED_PARAMETERS:
                raise FieldProblem(("facets", fid, "parameter"), f"'{name}' is a parameter every report already has",
                                   "choose another name")
        parameters = [self.parameter(f) for f in self.facets]
        twice = sorted({p for p in parameters if parameters.count(p) > 1})
        if twice:
            raise FieldProblem(("facets",), f"two facets have the parameter {', '.join(twice)}", "give each its own 'parameter'")
        for cid, criterion in self.criteria.items():
            for field in ("requires", "does_not_require"):
                for fid in getattr(criterion, field):
                    if fid not in self.facets:
                        known = ", ".join(self.facets) or "none declared"
                        raise FieldProblem(("criteria", cid, field), f"'{fid}' is not a facet (facets: {known})")
            both = sorted(set(criterion.requires) & set(criterion.does_not_require))
            if both:
                raise FieldProblem(("criteria", cid), f"'{cid}' both requires and does not require {', '.join(both)}")
        return self

    def parameter(self, facet: str) -> str:
        """The report parameter of *facet*."""
        return self.facets[facet].parameter or f"{facet}_required_only"


def derive(vocabulary: Vocabulary, facet: str, criteria: Iterable[str], *, any_of: bool = False) -> str:
    """*facet*'s status from the stated *criteria*: ``required`` if the patients met criteria that
    require it; ``not-required`` if every stated criterion is known not to; otherwise ``unknown``
    (never guessed; a criterion the vocabulary does not declare says nothing).

    With *any_of* (the patients met any one of the criteria, an either/or) it is required only when
    every alternative requires it: one alternative that does not admits patients without it."""
    verdicts = [vocabulary.criteria[c].verdict(facet) if c in vocabulary.criteria else None for c in criteria]
    if verdicts and (all(v is True for v in verdicts) if any_of else any(v is True for v in verdicts)):
        return "required"
    if verdicts and all(v is False for v in verdicts):
        return "not-required"
    if any_of and any(v is False for v in verdicts):
        return "not-required"
    return "unknown"


def status(vocabulary: Vocabulary, facet: str, note) -> str:
    """A note's status for *facet*: ``required`` by an explicit inclusion rule (the note's
    ``requires``, with its basis), else derived from its criteria (either/or when ``criteria_any_of``)."""
    if facet in note.requires:
        return "required"
    return derive(vocabulary, facet, note.criteria, any_of=note.criteria_any_of)


def basis(vocabulary: Vocabulary, facet: str, note) -> str | None:
    """Why a note's status for *facet* is ``required`` when an explicit inclusion rule makes it so."""
    rule = note.requires.get(facet)
    if rule is None:
        return None
    return f"{vocabulary.facets[facet].short} was an explicit inclusion rule: {rule.fact} (extracted from {rule.extracted_from})"


def parse(data, file: str = VOCABULARY_FILE.as_posix()) -> Vocabulary:
    """Validate parsed YAML *data* (from :mod:`livingreview.yamlio`); :class:`VocabularyInvalid` names lines."""
    if not isinstance(data, dict):
        raise VocabularyInvalid([error("VOC001", file, getattr(data, "line", 1),
                                       "vocabulary.yml must be a mapping with 'conditions', 'criteria' and 'facets'")])
    try:
        return Vocabulary(**data)
    except ValidationError as exc:
        raise VocabularyInvalid(schema_diagnostics(exc, data, Vocabulary, file, "VOC001", noun="setting")) from None


def load(root: Path, scope) -> Vocabulary:
    """Read and validate ``reviews/vocabulary.yml`` under *root* (read within *scope*)."""
    file = VOCABULARY_FILE.as_posix()
    try:
        data = yamlio.load_file(root / VOCABULARY_FILE, file, scope=scope)
    except FileNotFoundError:
        raise VocabularyInvalid([error("VOC001", file, None, "the review's vocabulary is missing",
                                       hint="write reviews/vocabulary.yml: its conditions, criteria and facets "
                                            "(`livingreview init` writes one with examples)")]) from None
    except yamlio.YamlError as exc:
        raise VocabularyInvalid(exc.diagnostics) from None
    return parse(data, file)
