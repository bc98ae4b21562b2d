"""How the report names the package's coded values (direction, design, provenance, source type...);
the review's own words (its conditions, criteria and facets) are its vocabulary
(:mod:`livingreview.vocabulary`).

One table per coded value, in display order. Each badge has a short CSS class (the colour)
and a text label, so no information is carried by colour alone.
"""

from __future__ import annotations

from typing import get_args

from ..notes.model import Direction

#: finding directions in display order (the label is the value; the css class is ``dir-<value>``)
DIRECTIONS: dict[str, str] = {d: d for d in get_args(Direction)}

#: provenance of a finding's wording -> badge label
PROVENANCE: dict[str, str] = {
    "verified": "quote verified",
    "extracted": "extracted",
    "unverified": "quote unverified",
    "failed": "quote not found",
}

#: what each provenance badge means, for the badge's title and the table's key
PROVENANCE_MEANING: dict[str, str] = {
    "verified": "the quote was found verbatim in the source text",
    "extracted": "taken from the bibliographic record and reported results, not quoted",
    "unverified": "the quote has not been checked against the source text",
    "failed": "the quote was not found in the source text; treat the finding with caution",
}

KIND: dict[str, str] = {"observed": "observed", "inferred": "inferred", "unsupported": "unsupported claim"}

DESIGNS: dict[str, str] = {
    "rct": "randomized controlled trial",
    "crossover-rct": "randomized crossover trial",
    "cohort": "cohort",
    "case-control": "case-control",
    "cross-sectional": "cross-sectional",
    "pilot": "pilot study",
    "uncontrolled-trial": "uncontrolled trial",
    "narrative-review": "narrative review",
    "systematic-review": "systematic review",
    "opinion": "opinion",
    "planned-trial": "planned trial",
    "commentary": "commentary",
    "summary": "summary",
    "not-stated": "design not stated",
}

SOURCE_TYPES: dict[str, str] = {
    "primary": "primary study",
    "review": "review",
    "trial-registration": "trial registration",
    "preprint": "preprint",
    "news": "news item",
    "blog": "blog post",
    "forum": "forum post",
    "atlas-summary": "research-atlas summary",
}

STYLES: dict[str, str] = {"apa": "APA", "vancouver": "Vancouver", "harvard": "Harvard"}

#: a question's status in the register (livingreview.synthesis.questions) -> badge label
QUESTION_STATUS: dict[str, str] = {"open": "open", "being-tested": "being tested", "addressed": "addressed"}

QUESTION_STATUS_MEANING: dict[str, str] = {
    "open": "no work in the review addresses or tests it yet",
    "being-tested": "a planned or registered trial in the review tests it",
    "addressed": "a finding in the review addresses it",
}

#: what claim drift compares (livingreview.synthesis.drift.ASPECTS) -> words
DRIFT_ASPECTS: dict[str, str] = {
    "population": "population",
    "n": "sample size",
    "outcome": "outcome",
    "direction": "direction",
    "numbers": "numbers",
}

def label(table: dict[str, str], value) -> str:
    """The display label of *value* in *table*; unknown values are shown as they are."""
    return table.get(str(value), str(value))


def ordered(table: dict[str, str], values) -> list[str]:
    """*values* in the table's display order, unknown ones last (sorted)."""
    present = {str(v) for v in values}
    known = [v for v in table if v in present]
    return known + sorted(present - set(table))

#: GRADE's domains, as a report names them (the rules' keys)
GRADE_DOMAINS: dict[str, str] = {
    "risk_of_bias": "risk of bias",
    "inconsistency": "inconsistency",
    "indirectness": "indirectness",
    "imprecision": "imprecision",
    "publication_bias": "publication bias",
    "upgrade": "rated up",
}
#: the direction of a body of evidence, in words (``synthesis.certainty.DIRECTIONS``)
EVIDENCE_DIRECTIONS: dict[str, str] = {
    "for": "for the prediction",
    "against": "against the prediction",
    "conflicting": "conflicting",
    "unclear": "no clear direction",
    "none": "no primary study",
}
