"""How long synthesis takes on a large generated review.

    .venv/bin/python benchmarks/bench_synthesis.py [--notes 2000] [--repeat 3]

Generates fictional notes (``synthetic: true``) and hypotheses in memory, then times, best of
``--repeat`` runs: certainty ratings for every hypothesis (all studies and the PEM-required
subset), the open-question register and its page, claim drift, and the wording lint. Writes the
figures under the "Synthesis" heading of benchmarks/RESULTS.md, leaving other sections alone.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import time
from pathlib import Path

import pandas as pd

from livingreview import atomic
from livingreview.notes.model import Hypothesis, Note
from livingreview import vocabulary as review_vocabulary
from livingreview.project import Project
from livingreview.synthesis import certainty, drift, questions, register_page, wording
from livingreview.synthesis.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]
#: the first review's vocabulary: the generated notes use its conditions, criteria and PEM facet
VOCABULARY = Project(ROOT).vocabulary
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
HEADING = "## Synthesis"
DESIGNS = ["rct", "cohort", "case-control", "cross-sectional", "uncontrolled-trial", "narrative-review"]
CRITERIA = [["CCC"], ["Fukuda"], ["not stated"], ["ICC"]]
DIRECTIONS = ["supports", "contradicts", "mixed", "neutral"]


def generate(n_notes: int, n_hypotheses: int) -> tuple[dict[str, Hypothesis], dict[str, Note]]:
    hypotheses = {
        f"h{h}": Hypothesis(id=f"h{h}", title=f"Generated {h}", claim="Generated.", mechanism=["step"],
                            predictions=[{"id": f"P{h}-{p}", "statement": "Generated."} for p in range(4)],
                            conditions=["ME/CFS", "FM"], proposed_by=["gen0"],
                            open_questions=[{"id": f"q-h{h}-{q}", "text": f"Generated question {h}-{q}?"} for q in range(3)])
        for h in range(n_hypotheses)
    }
    notes = {}
    for i in range(n_notes):
        secondary = i % 10 == 9
        findings = []
        for f in range(5):
            h = (i + f) % n_hypotheses
            extra = {}
            if secondary:
                extra = {"paraphrases": f"gen{i - 1}#f{f + 1}", "stated": {"n": i % 90, "numbers": [f"{i % 70}%"]}}
            findings.append({"id": f"f{f + 1}", "statement": "It causes fatigue." if i % 7 == 0 else "It was seen.",
                             "hypothesis": f"h{h}", "prediction": f"P{h}-{f % 4}", "direction": DIRECTIONS[(i + f) % 4],
                             "kind": "observed", "extracted_from": "generated", "addresses": [f"q-h{h}-0"] if i % 13 == 0 else [],
                             **extra})
        notes[f"gen{i}"] = Note(
            key=f"gen{i}", source_type="news" if secondary else "primary",
            design="summary" if secondary else DESIGNS[i % len(DESIGNS)],
            population={"conditions": ["ME/CFS"] if i % 2 else ["FM"], "patients": i % 60, "controls": i % 40},
            criteria=CRITERIA[i % len(CRITERIA)], quick_summary="Generated.", why_it_matters="Generated.",
            findings=findings, does_not_prove="" if i % 11 == 0 else "Generated.", synthetic=True,
            remaining_questions=[{"id": f"q-n{i}", "text": f"Generated note question {i}?"}])
    return hypotheses, notes


def evidence(notes: dict[str, Note]) -> pd.DataFrame:
    rows = [{"key": n.key, "finding_id": f.id, "hypothesis": f.hypothesis, "prediction": f.prediction,
             "direction": f.direction, "pem": review_vocabulary.derive(VOCABULARY, "pem", n.criteria)}
            for n in notes.values() for f in n.findings]
    return pd.DataFrame(rows)


def best(repeat: int, job) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(n_notes: int, repeat: int) -> list[tuple[str, float]]:
    n_hypotheses = max(5, n_notes // 40)
    hypotheses, notes = generate(n_notes, n_hypotheses)
    table = evidence(notes)
    pem_only = table[table["pem"] == "required"]
    rules = load_rules(Project(ROOT))
    sources = {k: wording.NoteSource(n, f"reviews/notes/{k}.yml", None) for k, n in notes.items()}

    def rate_all():
        for h in hypotheses.values():
            certainty.compare(certainty.rate(h, table, notes, rules, vocabulary=VOCABULARY),
                              certainty.rate(h, pem_only, notes, rules, vocabulary=VOCABULARY))

    return [
        (f"certainty: rate + PEM-only rate + compare, {n_hypotheses} hypotheses", best(repeat, rate_all)),
        ("open-question register + HTML page", best(repeat, lambda: register_page.register_html(questions.register(hypotheses, notes)))),
        ("claim drift over every paraphrase link", best(repeat, lambda: drift.drift_frame(drift.compare(notes)))),
        ("wording lint", best(repeat, lambda: wording.lint(sources, rules.wording))),
    ]


def section(n_notes: int, repeat: int, figures: list[tuple[str, float]]) -> str:
    lines = [HEADING, "",
             f"`.venv/bin/python benchmarks/bench_synthesis.py --notes {n_notes} --repeat {repeat}` — generated review of "
             f"{n_notes} notes ({n_notes * 5} findings, one in ten a news item paraphrasing a study); best of {repeat} runs; "
             f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores.", "",
             "| step | seconds |", "|---|---:|"]
    lines += [f"| {name} | {seconds:.3f} |" for name, seconds in figures]
    return "\n".join(lines) + "\n"


def write_section(text: str, heading: str = HEADING) -> None:
    """Replace the section under *heading* of RESULTS.md (or append it), atomically."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    new = pattern.sub(lambda _: text.rstrip("\n") + "\n\n", old) if pattern.search(old) else old.rstrip("\n") + "\n\n" + text
    atomic.write_text(RESULTS, new.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    figures = measure(args.notes, args.repeat)
    text = section(args.notes, args.repeat, figures)
    print(text)
    write_section(text)


if __name__ == "__main__":
    main()
