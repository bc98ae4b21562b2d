"""The schema of hypotheses and notes (pydantic). One file each under reviews/.

Only per-file rules live here (types, enums, required fields, one-of rules).
Rules that need the whole review (citation keys exist, hypothesis and prediction
ids exist, conditions and criteria are the review's own) live in :mod:`livingreview.notes.validate`;
the review's conditions, criteria and facets are declared in ``reviews/vocabulary.yml``
(:mod:`livingreview.vocabulary`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, model_validator

from ..bib.identifiers import CITATION_KEY
from ..schema_errors import FieldProblem
from .designs import Design

ID = r"^[a-z0-9][a-z0-9-]*$"
KEY = CITATION_KEY.pattern
PREDICTION_ID = r"^[A-Z][A-Z0-9]*-?[0-9]+$"
#: a finding of a work: ``<citation key>#f<n>``
FINDING_REF = KEY.removesuffix("$") + r"#f[0-9]+$"

#: a condition, as the review's vocabulary declares it
ConditionName = Annotated[StrictStr, Field(min_length=1)]
SourceType = Literal[
    "primary", "review", "trial-registration", "preprint", "news", "blog", "forum", "atlas-summary"
]
#: source types that report others' work; they never raise certainty and never count as a trial
SECONDARY: frozenset[str] = frozenset({"news", "blog", "forum", "atlas-summary"})
RANDOMIZED: frozenset[str] = frozenset({"rct", "crossover-rct"})
#: a case definition (diagnostic or inclusion criteria), as the review's vocabulary declares it
Criteria = Annotated[StrictStr, Field(min_length=1)]
Direction = Literal["supports", "contradicts", "mixed", "neutral"]
#: observed by the source; inferred (an interpretation); unsupported (a secondary source's claim with no
#: basis it names or that its primary work reports — shown, never evidence)
Kind = Literal["observed", "inferred", "unsupported"]


MeasureName = Literal[
    "mean difference", "standardized mean difference", "risk difference",
    "odds ratio", "risk ratio", "hazard ratio", "correlation",
]
#: a number as a note writes it (a whole number is read as a float; true/false, text, .nan and .inf are refused)
Number = Annotated[StrictFloat, Field(allow_inf_nan=False)]


@dataclass(frozen=True)
class Measure:
    """What an effect measure means: its value for "no effect", the scale it is pooled on, its words."""

    name: str
    #: the value that means no effect (0 for differences and correlations, 1 for ratios)
    null: float
    #: ``difference`` (pooled as it is), ``ratio`` (pooled on the log scale), ``correlation`` (via Fisher's z)
    scale: Literal["difference", "ratio", "correlation"]

    @property
    def ratio(self) -> bool:
        return self.scale == "ratio"

    def to_scale(self, value: float) -> float:
        """*value* on the scale estimates of this measure are pooled on."""
        if self.scale == "ratio":
            return math.log(value)
        if self.scale == "correlation":
            return math.atanh(value)
        return value

    def from_scale(self, value: float) -> float:
        """A value on the pooling scale back as this measure."""
        if self.scale == "ratio":
            return math.exp(value)
        if self.scale == "correlation":
            return math.tanh(value)
        return value

    def allows(self, value: float) -> bool:
        """Whether *value* can be an estimate of this measure (ratios are positive, correlations within ±1)."""
        if self.scale == "ratio":
            return value > 0
        if self.scale == "correlation":
            return -1 < value < 1
        return True


#: every measure an estimate may use, by name
MEASURES: dict[str, Measure] = {
    "mean difference": Measure("mean difference", 0.0, "difference"),
    "standardized mean difference": Measure("standardized mean difference", 0.0, "difference"),
    "risk difference": Measure("risk difference", 0.0, "difference"),
    "odds ratio": Measure("odds ratio", 1.0, "ratio"),
    "risk ratio": Measure("risk ratio", 1.0, "ratio"),
    "hazard ratio": Measure("hazard ratio", 1.0, "ratio"),
    "correlation": Measure("correlation", 0.0, "correlation"),
}
#: the name of the total in an estimate's ``n`` (otherwise its keys are the arms)
TOTAL = "total"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Prediction(_Strict):
    id: StrictStr = Field(pattern=PREDICTION_ID, description="e.g. DA1; unique in the review")
    statement: StrictStr = Field(min_length=1)
    contrary: StrictStr | None = Field(default=None, min_length=1,
                                       description="what it would mean for the prediction to fail, in words")
    critical: StrictBool = Field(default=False, description="a critical outcome (GRADE): the overall certainty is "
                                                            "the lowest among the critical predictions")


class Question(_Strict):
    """An open question. The id is stable: the same id in two files is the same question."""

    id: StrictStr = Field(pattern=r"^q-[a-z0-9-]+$")
    text: StrictStr = Field(min_length=1)
    hypotheses: list[StrictStr] = Field(default_factory=list, description="in a note: the hypotheses the question is "
                                        "about (default: those whose open questions list it, else those its findings bear on)")


class Hypothesis(_Strict):
    id: StrictStr = Field(pattern=ID)
    title: StrictStr = Field(min_length=1)
    claim: StrictStr = Field(min_length=1)
    mechanism: list[StrictStr] = Field(min_length=1, description="the proposed mechanism, step by step")
    predictions: list[Prediction] = Field(min_length=1)
    conditions: list[ConditionName] = Field(min_length=1, description="the conditions it is about, named as "
                                            "reviews/vocabulary.yml declares them")
    proposed_by: list[StrictStr] = Field(min_length=1, description="citation keys of the works proposing it")
    related: list[StrictStr] = Field(default_factory=list, description="ids of related hypotheses")
    open_questions: list[Question] = Field(default_factory=list)


class Population(_Strict):
    conditions: list[ConditionName] = Field(min_length=1, description="the conditions studied, named as "
                                            "reviews/vocabulary.yml declares them")
    patients: StrictInt | Literal["unknown"] = Field(default="unknown", description="number of patients")
    controls: StrictInt | Literal["unknown", "none"] = Field(default="unknown", description="number of controls")
    description: StrictStr | None = None

    @model_validator(mode="after")
    def _non_negative(self):
        for name in ("patients", "controls"):
            value = getattr(self, name)
            if isinstance(value, int) and value < 0:
                raise ValueError(f"{name} cannot be negative")
        return self


class Stated(_Strict):
    """What a source states about a result, for claim-drift comparison (all optional)."""

    population: StrictStr | None = None
    n: StrictInt | None = None
    outcome: StrictStr | None = None
    numbers: list[StrictStr] = Field(default_factory=list, description="numbers as written, e.g. '65%'")


def _number(value: float) -> str:
    """A number as a message shows it: as the note wrote it (``-1.2``, ``3``)."""
    return f"{value:g}"


class Estimate(_Strict):
    """The effect estimate a source states for a finding, with what it was measured on."""

    measure: MeasureName
    value: Number = Field(description="the point estimate as stated")
    ci: list[Number] | None = Field(default=None, description="the confidence interval as stated: [low, high]")
    ci_level: Number = Field(default=95.0, ge=50, lt=100,
                             description="the interval's level in per cent, e.g. 90 (default 95)")
    p: StrictStr | None = Field(default=None, min_length=1,
                                description="the p value as written, in quotes: '0.03', '< 0.001'")
    n: dict[StrictStr, Annotated[StrictInt, Field(ge=0)]] | None = Field(
        default=None, description="participants per arm as stated, e.g. {drug: 16, placebo: 15}, or {total: 31}")
    outcome: StrictStr = Field(min_length=1, description="what was measured, e.g. 'fatigue score (FIQ)'")

    @property
    def spec(self) -> Measure:
        """The measure's meaning: its null value and pooling scale."""
        return MEASURES[self.measure]

    @property
    def ci_low(self) -> float | None:
        return self.ci[0] if self.ci else None

    @property
    def ci_high(self) -> float | None:
        return self.ci[1] if self.ci else None

    @property
    def spans_no_effect(self) -> bool | None:
        """True when the confidence interval holds the measure's null value (0, or 1 for ratios);
        None when no interval is stated."""
        if not self.ci:
            return None
        return self.ci[0] <= self.spec.null <= self.ci[1]

    @property
    def total_n(self) -> int | None:
        """The participants the estimate stands on: the stated total, else the arms added up; None when not stated."""
        if not self.n:
            return None
        return self.n[TOTAL] if TOTAL in self.n else sum(self.n.values())

    @model_validator(mode="after")
    def _consistent(self):
        spec = self.spec
        if not spec.allows(self.value):
            raise FieldProblem("value", f"{_allowed(spec)}; the value is {_number(self.value)}")
        if self.ci is not None:
            if len(self.ci) != 2:
                raise FieldProblem("ci", f"a confidence interval is two numbers, [low, high]; {len(self.ci)} are given")
            low, high = self.ci
            if low > high:
                raise FieldProblem("ci", f"the lower limit {_number(low)} is above the upper limit {_number(high)}",
                                   "write the interval as [low, high]")
            for limit in (low, high):
                if not spec.allows(limit):
                    raise FieldProblem("ci", f"{_allowed(spec)}; the interval has {_number(limit)}")
            if not low <= self.value <= high:
                raise FieldProblem("value", f"the value {_number(self.value)} is outside its confidence interval "
                                   f"[{_number(low)}, {_number(high)}]", "check the value and the interval against the source")
        if self.n is not None and not self.n:
            raise FieldProblem("n", "no arm is named", "write the participants per arm, e.g. {drug: 16, placebo: 15}, "
                               "or {total: 31}")
        return self


def _allowed(spec: Measure) -> str:
    if spec.ratio:
        return f"{'an' if spec.name[0] in 'aeiou' else 'a'} {spec.name} is positive"
    return "a correlation is between -1 and 1"


class Finding(_Strict):
    id: StrictStr = Field(pattern=r"^f[0-9]+$")
    statement: StrictStr = Field(min_length=1, description="the finding in the note author's words")
    hypothesis: StrictStr
    prediction: StrictStr | None = None
    direction: Direction
    kind: Kind = Field(description="observed by the source, or inferred (interpretation)")
    quote: StrictStr | None = Field(default=None, max_length=300, description="verbatim from the source text")
    locator: StrictStr | None = Field(default=None, description="where the quote is, e.g. 'paragraph 4'")
    extracted_from: StrictStr | None = Field(default=None, description="the bibliographic record it was extracted from")
    paraphrases: StrictStr | None = Field(default=None, pattern=FINDING_REF,
                                          description="'<key>#<finding id>' of the primary finding this reports")
    stated: Stated | None = None
    estimate: Estimate | None = Field(default=None, description="the effect estimate the source states, if it does")
    addresses: list[StrictStr] = Field(default_factory=list, description="ids of open questions this answers")

    @model_validator(mode="after")
    def _one_provenance(self):
        if (self.quote is None) == (self.extracted_from is None):
            raise ValueError("give exactly one of 'quote' (verbatim, with 'locator') or 'extracted_from'")
        if self.quote is not None and not self.locator:
            raise ValueError("a quote needs a 'locator' (e.g. 'paragraph 4')")
        if self.extracted_from is not None and self.locator:
            raise ValueError("'locator' belongs to a quote; an extracted finding has none")
        return self


class RobDomain(_Strict):
    """One domain's judgement in a note's risk-of-bias block, with its basis: an extracted fact naming
    its record, or a verbatim quote from the note's source text with a locator. Which judgements the
    tool allows, and that each one but "no information" has exactly one basis, is checked with the
    tool (:mod:`livingreview.synthesis.rob_checks`)."""

    judgement: StrictStr = Field(min_length=1, description="on the tool's scale, e.g. 'low', 'some concerns'")
    fact: StrictStr | None = Field(default=None, min_length=1, description="an extracted fact (with 'extracted_from')")
    extracted_from: StrictStr | None = Field(default=None, min_length=1, description="the record the fact is from")
    quote: StrictStr | None = Field(default=None, min_length=1, max_length=300,
                                    description="verbatim from the note's source text (with 'locator')")
    locator: StrictStr | None = Field(default=None, min_length=1, description="where the quote is, e.g. 'abstract'")
    note: StrictStr | None = Field(default=None, description="the assessor's remark, e.g. why there is no information")


class RiskOfBias(_Strict):
    """A note's risk-of-bias block: the tool (optional: derived from the design through
    ``reviews/risk-of-bias.yml``) and the judgement of each domain. The overall judgement is computed."""

    #: fields that are computed, never typed: the hint a note that types one gets
    COMPUTED: ClassVar[dict[str, str]] = {
        "overall": "the overall judgement is computed from the domains by the tool's published algorithm; remove it",
    }

    tool: StrictStr | None = Field(default=None, description="optional; derived from the design, an error if it disagrees")
    domains: dict[StrictStr, RobDomain] = Field(default_factory=dict, description="domain id (D1, D2, ...) -> judgement")


class InclusionRule(_Strict):
    """An explicit inclusion rule that required a facet of the vocabulary (whatever the stated
    criteria), with the record that states it."""

    fact: StrictStr = Field(min_length=1, description="the rule, in our words")
    extracted_from: StrictStr = Field(min_length=1, description="the record that states it")


class Note(_Strict):
    key: StrictStr = Field(pattern=KEY, description="citation key; the file is reviews/notes/<key>.yml")
    source_type: SourceType
    design: Design
    population: Population
    criteria: list[Criteria] = Field(min_length=1, description="the diagnostic criteria as stated, named as "
                                     "reviews/vocabulary.yml declares them")
    criteria_any_of: StrictBool = Field(default=False, description="true when patients met any one of the listed "
                                        "criteria (an either/or), not all of them")
    requires: dict[StrictStr, InclusionRule] = Field(default_factory=dict, description="facet -> an explicit inclusion "
                                                     "rule that required it, with its basis (a facet's status is "
                                                     "otherwise derived from the criteria)")
    source_text: StrictStr | None = Field(default=None, description="file name of the source text quotes come from")
    reports: list[StrictStr] = Field(default_factory=list, description="keys of primary works a secondary source reports")
    tests_questions: list[StrictStr] = Field(default_factory=list, description="question ids a planned/registered trial tests")
    quick_summary: StrictStr = Field(min_length=1)
    why_it_matters: StrictStr = Field(min_length=1)
    findings: list[Finding] = Field(default_factory=list)
    remaining_questions: list[Question] = Field(default_factory=list)
    does_not_prove: StrictStr = ""
    discrepancies: list[StrictStr] = Field(default_factory=list,
                                           description="where this source's claims differ from the work it reports")
    risk_of_bias: RiskOfBias | None = Field(default=None, description="per-domain judgements with their basis")
    synthetic: StrictBool = Field(default=False, description="true only in generated benchmark data")

    @property
    def is_secondary(self) -> bool:
        return self.source_type in SECONDARY

    @model_validator(mode="after")
    def _rules(self):
        ids = [f.id for f in self.findings]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"finding ids must be unique in a note: {', '.join(dupes)}")
        unsupported = [f.id for f in self.findings if f.kind == "unsupported"]
        if unsupported and not self.is_secondary:
            raise ValueError(f"'unsupported' is for a secondary source's claim without a basis; {self.key} is a "
                             f"{self.source_type} source (findings {', '.join(unsupported)}): use observed or inferred")
        if any(f.quote for f in self.findings) and not self.source_text:
            raise ValueError("findings with quotes need 'source_text' (the file the quotes come from)")
        if self.risk_of_bias and any(d.quote for d in self.risk_of_bias.domains.values()) and not self.source_text:
            raise ValueError("risk-of-bias quotes need 'source_text' (the file the quotes come from)")
        return self
