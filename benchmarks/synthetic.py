"""A complete, clearly synthetic review of any size, for the scale and kill benchmarks.

    .venv/bin/python benchmarks/synthetic.py DIR --works 1000 [--hypotheses 5]

Writes into DIR (which must not exist; benchmarks pass a temporary folder, never the real
review): ``bib/synthetic.bib`` with one entry per work (titles start with "SYNTHETIC"), a note per
work (``synthetic: true``, three findings on the hypotheses, one in three observed in a patient
group that requires PEM), the hypotheses, ``reviews/build.yml`` (every hypothesis x two
variants), the repository's certainty rules, and one report notebook per hypothesis copied from
the first review's (its parameters cell is set by the build). The result passes
``livingreview check`` with no error. Generation is deterministic: same arguments, same files.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: the report notebook every synthetic hypothesis gets (the first review's, whose cells are generic)
TEMPLATE = ROOT / "notebooks" / "neuroinflammation.ipynb"
CERTAINTY = ROOT / "reviews" / "certainty.yml"
VOCABULARY = ROOT / "reviews" / "vocabulary.yml"
CONDITIONS = ("ME/CFS", "MS", "FM", "FND")
CRITERIA = ("CCC", "Fukuda", "ICC", "not stated")
DESIGNS = ("case-control", "cohort", "cross-sectional", "rct")
DIRECTIONS = ("supports", "contradicts", "mixed", "neutral")


def key(n: int) -> str:
    return f"synthetic{n:05d}"


def hypothesis_id(h: int) -> str:
    return f"synthetic-{h + 1:02d}"


def bib_entry(n: int) -> str:
    return (f"@article{{{key(n)},\n  author = {{Synthetic, Author{n} and Example, Coauthor}},\n"
            f"  title = {{SYNTHETIC study {n} of an invented fatigue marker}},\n"
            f"  journal = {{Journal of Synthetic Examples}},\n  year = {{{2000 + n % 25}}},\n  volume = {{{1 + n % 40}}},\n"
            f"  pages = {{{n % 900 + 1}--{n % 900 + 9}}},\n}}\n")


def hypothesis_text(h: int, proposer: int) -> str:
    hid = hypothesis_id(h)
    return f"""id: {hid}
title: SYNTHETIC hypothesis {h + 1}
claim: An invented marker goes with fatigue in synthetic hypothesis {h + 1}.
mechanism:
  - An invented marker rises.
  - The marker slows an invented pathway.
predictions:
  - id: S{h + 1}P1
    statement: Patients have more of marker {h + 1} than controls.
  - id: S{h + 1}P2
    statement: Lowering marker {h + 1} goes with less fatigue.
conditions: [ME/CFS, MS, FM, FND]
proposed_by: [{key(proposer)}]
open_questions:
  - id: q-{hid}-dose
    text: Which dose of the invented drug {h + 1} matters?
"""


def note_text(n: int, hypotheses: int) -> str:
    design = DESIGNS[n % len(DESIGNS)]
    findings = "".join(f"""  - id: f{i + 1}
    statement: SYNTHETIC finding {i + 1} of work {n} on marker {(n + i) % hypotheses + 1}.
    hypothesis: {hypothesis_id((n + i) % hypotheses)}
    prediction: S{(n + i) % hypotheses + 1}P{i % 2 + 1}
    direction: {DIRECTIONS[(n + i) % len(DIRECTIONS)]}
    kind: {"observed" if i < 2 else "inferred"}
    extracted_from: SYNTHETIC study {n}, results
""" for i in range(3))
    return f"""key: {key(n)}
synthetic: true
source_type: primary
design: {design}
population:
  conditions: [{CONDITIONS[n % len(CONDITIONS)]}]
  patients: {10 + n % 90}
  controls: {n % 50}
criteria: [{CRITERIA[n % len(CRITERIA)]}]
quick_summary: SYNTHETIC work {n}, generated for benchmarks.
why_it_matters: It makes the review large.
does_not_prove: An invented association does not show that the marker produces fatigue.
findings:
{findings}remaining_questions:
  - id: q-{key(n)}
    text: Does synthetic marker {n} follow fatigue?
"""


def build_yml(hypotheses: int) -> str:
    return f"""title: SYNTHETIC review for benchmarks
authors: [Synthetic Author]
hypotheses: [{", ".join(hypothesis_id(h) for h in range(hypotheses))}]
defaults:
  conditions: all
  pem_required_only: false
  citation_style: apa
variants:
  - name: all
    title: All studies
  - name: pem-required
    title: Only studies whose criteria require PEM
    parameters:
      pem_required_only: true
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


#: the cells a light notebook keeps: the parameters, the load, and three short sections
LIGHT_CELLS = ("parameters", "load", "title", "summary", "provenance")


def notebook(hid: str, light: bool = False) -> str:
    """The template notebook with its parameters cell set to *hid* (the build overrides it anyway), without
    the real review's written synthesis, whose citations name works the synthetic review does not hold.
    *light*: only :data:`LIGHT_CELLS` (for benchmarks of what a build does around the notebooks)."""
    nb = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    nb["cells"] = [cell for cell in nb["cells"] if cell.get("id") != "synthesis" and (not light or cell.get("id") in LIGHT_CELLS)]
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            cell["source"] = [line.replace("neuroinflammation", hid) for line in cell["source"]]
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def generate(root: Path, works: int, hypotheses: int = 5, light: bool = False) -> Path:
    """Write the synthetic review into *root* (a new folder) and return it (*light*: light notebooks)."""
    if root.exists():
        raise FileExistsError(f"{root} exists; the generator writes only into a new folder")
    if works < hypotheses:
        raise ValueError("need at least one work per hypothesis")
    _write(root / "reviews" / "build.yml", build_yml(hypotheses))
    shutil.copyfile(CERTAINTY, root / "reviews" / "certainty.yml")
    shutil.copyfile(VOCABULARY, root / "reviews" / "vocabulary.yml")
    _write(root / "bib" / "synthetic.bib", "\n".join(bib_entry(n) for n in range(works)))
    for h in range(hypotheses):
        _write(root / "reviews" / "hypotheses" / f"{hypothesis_id(h)}.yml", hypothesis_text(h, proposer=h))
        _write(root / "notebooks" / f"{hypothesis_id(h)}.ipynb", notebook(hypothesis_id(h), light))
    for n in range(works):
        _write(root / "reviews" / "notes" / f"{key(n)}.yml", note_text(n, hypotheses))
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic review into a new folder.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--works", type=int, default=1000)
    parser.add_argument("--hypotheses", type=int, default=5)
    parser.add_argument("--light-notebooks", action="store_true", help="notebooks with only a few short sections")
    args = parser.parse_args()
    generate(args.folder, args.works, args.hypotheses, args.light_notebooks)
    print(f"wrote a synthetic review of {args.works} works and {args.hypotheses} hypotheses into {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
