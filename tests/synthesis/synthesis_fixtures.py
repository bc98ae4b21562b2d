"""Small typed builders for the synthesis tests. Every work here is fictional."""

from __future__ import annotations

import pandas as pd

from livingreview import yamlio
from livingreview.notes.model import Hypothesis, Note
from first_review import VOCABULARY
from livingreview.synthesis import certainty
from livingreview.vocabulary import derive
from livingreview.synthesis.rules import Rules, parse_rules

RULES_YAML = """\
levels: [high, moderate, low, very low]
no_evidence: no evidence
start:
  rct: high
  crossover-rct: high
  cohort: low
  case-control: low
  cross-sectional: low
  pilot: low
  uncontrolled-trial: very low
  not-stated: very low
context:
  designs: [planned-trial, narrative-review, systematic-review, opinion, commentary, summary]
  source_types: [trial-registration]
statements:
  for: "$level certainty that $prediction."
  against: "$level certainty that $contrary."
  conflicting: "$level certainty: the studies disagree on whether $prediction."
  unclear: "$level certainty, without a clear direction, on whether $prediction."
  none: "No primary study bears on whether $prediction."
downgrades:
  risk_of_bias:
    levels: 1
    concerns: [high, not assessed]
    reason: "Bias: $works."
  inconsistency:
    levels: 1
    reason: "Inconsistent: for $supporting, against $contradicting."
  indirectness:
    levels: 1
    reason_population: "Population: $works outside $conditions."
    required_for: {pem: [ME/CFS]}
    reason_criteria: "Criteria: $condition in $works without PEM."
    flags:
      - finding: "doe2020#f2"
        reason: a blood measure for a brain prediction
    reason_flag: "Flag: $finding, $reason."
  imprecision:
    levels: 1
    below: 50
    reason: "Small: $total in all ($works), under $below."
    reason_unknown: "Size unknown: $works."
    reason_interval: "Interval: $works."
  publication_bias:
    levels: 1
    suspected:
      - prediction: P2
        reason: only small positive studies are published.
    reason: "Publication bias: $reason"
upgrades:
  levels: 1
  flags:
    - prediction: P3
      domain: dose-response
      reason: a gradient with dose.
  reason: "Up for $domain: $reason"
  reason_not_applied: "Not up for $domain."
wording:
  causal_verbs: [cause, causes, caused, prove, proves, cure, cures, reverses]
"""


def load_rules_text(text: str = RULES_YAML, file: str = "reviews/certainty.yml") -> Rules:
    return parse_rules(yamlio.loads(text, file), file)


def make_note(key: str, *, design: str = "case-control", source_type: str = "primary",
              conditions=("ME/CFS",), patients=40, controls=40, criteria=("CCC",), findings=(), **extra) -> Note:
    """A fictional note; *findings* are (id, prediction, direction) triples or finding dicts."""
    items = [f if isinstance(f, dict) else finding(*f) for f in findings]
    return Note(key=key, source_type=source_type, design=design,
                population={"conditions": list(conditions), "patients": patients, "controls": controls},
                criteria=list(criteria), quick_summary=f"Summary of {key}.", why_it_matters="For the tests.",
                findings=items, does_not_prove=extra.pop("does_not_prove", "An association only."), **extra)


def finding(fid: str, prediction: str | None = "P1", direction: str = "supports", hypothesis: str = "h-test",
            **extra) -> dict:
    return {"id": fid, "statement": f"Finding {fid}.", "hypothesis": hypothesis, "prediction": prediction,
            "direction": direction, "kind": "observed", "extracted_from": "Journal of Examples", **extra}


def make_hypothesis(hid: str = "h-test", predictions=("P1", "P2"), conditions=("ME/CFS",), questions=(),
                    critical=(), contrary=None) -> Hypothesis:
    """A fictional hypothesis; *critical* names its critical predictions, *contrary* maps an id to its contrary."""
    contrary = contrary or {}
    return Hypothesis(id=hid, title=f"Hypothesis {hid}", claim="A fictional claim.", mechanism=["step one"],
                      predictions=[{"id": p, "statement": f"Prediction {p} holds.", "critical": p in critical,
                                    **({"contrary": contrary[p]} if p in contrary else {})} for p in predictions],
                      conditions=list(conditions), proposed_by=["doe2020"],
                      open_questions=[{"id": q, "text": t} for q, t in questions])


def evidence(notes: dict[str, Note]) -> pd.DataFrame:
    """The columns of the review's evidence table that synthesis reads, one row per finding."""
    rows = [{"key": n.key, "finding_id": f.id, "hypothesis": f.hypothesis, "prediction": f.prediction,
             "direction": f.direction, "source_type": n.source_type, "design": n.design, "pem": derive(VOCABULARY, "pem", n.criteria)}
            for n in notes.values() for f in n.findings]
    columns = ["key", "finding_id", "hypothesis", "prediction", "direction", "source_type", "design", "pem"]
    return pd.DataFrame(rows, columns=columns)


def rate(*args, **kwargs):
    """:func:`livingreview.synthesis.certainty.rate` under the first review's vocabulary (its PEM facet)."""
    return certainty.rate(*args, vocabulary=VOCABULARY, **kwargs)


def by_key(*notes: Note) -> dict[str, Note]:
    return {n.key: n for n in notes}
