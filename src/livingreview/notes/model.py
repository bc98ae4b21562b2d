"""The schema of hypotheses and notes (pydantic). One file each under reviews/.

Only per-file rules live here (types, enums, required fields, one-of rules).
Rules that need the whole review (citation keys exist, hypothesis and prediction
ids exist, PEM agrees with criteria) live in :mod:`livingreview.notes.validate`.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator

from ..bib.identifiers import CITATION_KEY

ID = r"^[a-z0-9][a-z0-9-]*$"
KEY = CITATION_KEY.pattern
#: a finding of a work: ``<citation key>#f<n>``
FINDING_REF = KEY.removesuffix("$") + r"#f[0-9]+$"

ConditionName = Literal[
    "ME/CFS", "MS", "FM", "FND", "long COVID", "Q fever fatigue syndrome", "TBI", "cancer", "other"
]
SourceType = Literal[
    "primary", "review", "trial-registration", "preprint", "news", "blog", "forum", "atlas-summary"
]
#: source types that report others' work; they never raise certainty and never count as a trial
SECONDARY: frozenset[str] = frozenset({"news", "blog", "forum", "atlas-summary"})
Design = Literal[
    "rct", "crossover-rct", "cohort", "case-control", "cross-sectional", "pilot", "uncontrolled-trial",
    "narrative-review", "systematic-review", "opinion", "planned-trial", "commentary", "summary",
    "not-stated",  # the record does not say; never guessed
]
RANDOMIZED: frozenset[str] = frozenset({"rct", "crossover-rct"})
Criteria = Literal["Fukuda", "CCC", "ICC", "IOM", "Oxford", "other", "not stated"]
Pem = Literal["required", "not-required", "unknown"]
Direction = Literal["supports", "contradicts", "mixed", "neutral"]
Kind = Literal["observed", "inferred"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Prediction(_Strict):
    id: StrictStr = Field(pattern=r"^[A-Z][A-Z0-9]*-?[0-9]+$", description="e.g. DA1; unique in the review")
    statement: StrictStr = Field(min_length=1)


class Question(_Strict):
    """An open question. The id is stable: the same id in two files is the same question."""

    id: StrictStr = Field(pattern=r"^q-[a-z0-9-]+$")
    text: StrictStr = Field(min_length=1)


class Hypothesis(_Strict):
    id: StrictStr = Field(pattern=ID)
    title: StrictStr = Field(min_length=1)
    claim: StrictStr = Field(min_length=1)
    mechanism: list[StrictStr] = Field(min_length=1, description="the proposed mechanism, step by step")
    predictions: list[Prediction] = Field(min_length=1)
    conditions: list[ConditionName] = Field(min_length=1)
    proposed_by: list[StrictStr] = Field(min_length=1, description="citation keys of the works proposing it")
    related: list[StrictStr] = Field(default_factory=list, description="ids of related hypotheses")
    open_questions: list[Question] = Field(default_factory=list)


class Population(_Strict):
    conditions: list[ConditionName] = Field(min_length=1)
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


class Note(_Strict):
    key: StrictStr = Field(pattern=KEY, description="citation key; the file is reviews/notes/<key>.yml")
    source_type: SourceType
    design: Design
    population: Population
    criteria: list[Criteria] = Field(min_length=1, description="diagnostic criteria as stated")
    pem: Pem | None = Field(default=None, description="optional; derived from criteria, an error if it disagrees")
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
        if any(f.quote for f in self.findings) and not self.source_text:
            raise ValueError("findings with quotes need 'source_text' (the file the quotes come from)")
        if self.risk_of_bias and any(d.quote for d in self.risk_of_bias.domains.values()) and not self.source_text:
            raise ValueError("risk-of-bias quotes need 'source_text' (the file the quotes come from)")
        return self
