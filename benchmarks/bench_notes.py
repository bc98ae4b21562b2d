"""Load, validate and tabulate a large, clearly synthetic review.

    .venv/bin/python benchmarks/bench_notes.py [--notes 10000] [--repeat 3]

Writes N notes (``synthetic: true``, three findings each, one quoted) and 20 hypotheses into a
temporary project, then times: parsing + schema validation of every file, the cross-file rules,
quote status from the record, and the Review's DataFrames (all findings, questions, one
selection). Peak memory is the process's peak resident set size. The figures replace the
"Notes" section of benchmarks/RESULTS.md, leaving other sections alone.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_synthesis import write_section  # noqa: E402
from livingreview.notes.load import load_hypotheses, load_notes  # noqa: E402
from livingreview.notes.quotes import verify_quotes  # noqa: E402
from livingreview.notes.validate import validate  # noqa: E402
from livingreview.project import Project  # noqa: E402
from livingreview.review import Review  # noqa: E402

HEADING = "## Notes"
HYPOTHESES = 20
CONDITIONS = ["ME/CFS", "MS", "FM", "FND"]
CRITERIA = ["CCC", "Fukuda", "not stated", "ICC"]


@dataclass(frozen=True)
class Entry:
    """A stand-in bibliography entry: the benchmark times notes, not BibTeX parsing."""

    key: str
    year: int
    title: str


def hypothesis_text(i: int) -> str:
    return f"""id: synthetic-{i}
title: Synthetic hypothesis {i}
claim: A generated claim for benchmarking.
mechanism: [Generated step one., Generated step two.]
predictions:
  - {{id: S{i}P1, statement: Generated prediction one.}}
  - {{id: S{i}P2, statement: Generated prediction two.}}
conditions: [ME/CFS, MS]
proposed_by: [synthetic00000]
open_questions:
  - {{id: q-synthetic-{i}, text: Generated open question {i}?}}
"""


def note_text(n: int) -> str:
    h = n % HYPOTHESES
    return f"""key: synthetic{n:05d}
synthetic: true
source_type: primary
design: cohort
population:
  conditions: [{CONDITIONS[n % 4]}]
  patients: {10 + n % 90}
  controls: {n % 50}
criteria: [{CRITERIA[n % 4]}]
source_text: synthetic{n:05d}.txt
quick_summary: A generated note for benchmarking only.
why_it_matters: It exercises the loader.
findings:
  - id: f1
    statement: Generated finding one.
    hypothesis: synthetic-{h}
    prediction: S{h}P1
    direction: supports
    kind: observed
    quote: generated words of the source
    locator: paragraph 1
  - id: f2
    statement: Generated finding two.
    hypothesis: synthetic-{h}
    prediction: S{h}P2
    direction: contradicts
    kind: observed
    extracted_from: generated record
  - id: f3
    statement: Generated finding three.
    hypothesis: synthetic-{(h + 1) % HYPOTHESES}
    direction: neutral
    kind: inferred
    extracted_from: generated record
remaining_questions:
  - id: q-synthetic-{h}
    text: Generated open question {h}?
does_not_prove: Generated text.
"""


def generate(root: Path, n_notes: int) -> Project:
    (root / "reviews" / "hypotheses").mkdir(parents=True)
    (root / "reviews" / "notes").mkdir()
    (root / "reviews" / "build.yml").write_text("title: Synthetic\nauthors: [Generated]\nvariants: []\n")
    for i in range(HYPOTHESES):
        (root / "reviews" / "hypotheses" / f"synthetic-{i}.yml").write_text(hypothesis_text(i))
    for n in range(n_notes):
        (root / "reviews" / "notes" / f"synthetic{n:05d}.yml").write_text(note_text(n))
    return Project(root)


def timed(job):
    """``((wall seconds, CPU seconds), value)``: on a shared machine the CPU time is the steadier figure."""
    start, cpu = time.perf_counter(), time.process_time()
    value = job()
    return (time.perf_counter() - start, time.process_time() - cpu), value


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(n_notes: int) -> tuple[list[tuple[str, float]], int, float]:
    with tempfile.TemporaryDirectory() as folder:
        project = generate(Path(folder), n_notes)
        bib = {f"synthetic{n:05d}": Entry(f"synthetic{n:05d}", 2000 + n % 25, f"Synthetic work {n}") for n in range(n_notes)}
        figures = []
        seconds, loaded = timed(lambda: (load_hypotheses(project), load_notes(project)))
        (hypotheses, hyp_problems), (notes, note_problems) = loaded
        assert hyp_problems + note_problems == [], (hyp_problems + note_problems)[:3]
        figures.append((f"parse + validate {n_notes} notes and {HYPOTHESES} hypotheses", seconds))
        seconds, problems = timed(lambda: validate(bib, hypotheses, notes, project.vocabulary))
        assert problems == [], problems[:3]
        figures.append(("cross-file rules", seconds))
        seconds, quotes = timed(lambda: verify_quotes(project, notes))
        figures.append((f"quote status from the record ({quotes.count('unverified')} unverified)", seconds))
        review = Review(project=project, config=None, vocabulary=project.vocabulary, bibliography=bib,
                        hypotheses={k: v.value for k, v in hypotheses.items()}, notes={k: v.value for k, v in notes.items()},
                        quote_status=quotes.checks)
        seconds, table = timed(review.findings)
        figures.append((f"findings DataFrame ({len(table)} rows)", seconds))
        seconds, table = timed(review.questions)
        figures.append((f"questions DataFrame ({len(table)} rows)", seconds))
        seconds, selection = timed(lambda: review.select("synthetic-0", pem_required_only=True))
        figures.append((f"select one hypothesis, PEM required ({len(selection.evidence)} findings kept)", seconds))
        return figures, sum(len(n.value.findings) for n in notes.values()), peak_mib()


def section(n_notes: int, repeat: int, figures: list[tuple[str, tuple[float, float]]], findings: int, peak: float) -> str:
    rows = "\n".join(f"| {name} | {wall:.3f} | {cpu:.3f} |" for name, (wall, cpu) in figures)
    wall, cpu = (sum(seconds[i] for _, seconds in figures) for i in (0, 1))
    return (f"{HEADING}\n\n`.venv/bin/python benchmarks/bench_notes.py --notes {n_notes} --repeat {repeat}` — {n_notes} "
            f"synthetic notes ({findings} findings) and {HYPOTHESES} hypotheses, one YAML file each; best of {repeat} "
            f"runs; CPython {platform.python_version()}, 2 cores shared with other jobs (so wall time varies; CPU time is "
            f"steadier).\n\n| step | wall s | CPU s |\n|---|---:|---:|\n{rows}\n"
            f"| **total** | **{wall:.3f}** | **{cpu:.3f}** |\n\nPeak memory (resident set of the whole process): {peak:.0f} MiB.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [measure(args.notes) for _ in range(args.repeat)]
    best = [(name, min((run[0][i][1] for run in runs), key=lambda seconds: seconds[1])) for i, (name, _) in enumerate(runs[0][0])]
    text = section(args.notes, args.repeat, best, runs[0][1], max(run[2] for run in runs))
    write_section(text, HEADING)
    print(text)


if __name__ == "__main__":
    main()
