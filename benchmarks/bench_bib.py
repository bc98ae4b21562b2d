"""Load, lint and format a large, clearly synthetic bibliography.

    .venv/bin/python benchmarks/bench_bib.py [--sizes 1000 10000] [--repeat 3] [--references 100]

Writes N generated entries ("Synthetic00001, Author", DOIs under the 10.5555 example
prefix, a note saying they are not real works) into four .bib files in a temporary folder
(never into bib/): @string macros used across files, month macros, LaTeX accents, braces,
and every tenth entry a crossref child of a proceedings entry. Then times, best of
--repeat: bibtexparser's split alone (for comparison), load (split, macros, crossref), lint (every entry cited), reading every title and
author list for display (the LaTeX decoding, caches emptied first), and formatting
--references APA references (cold, then again from the cache). Peak memory is
tracemalloc's peak during one load + lint. The figures replace the "Bibliography"
section of benchmarks/RESULTS.md, leaving other sections alone.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import bibtexparser  # noqa: E402

from livingreview.bib import cite, latex, names  # noqa: E402
from livingreview.bib.cite import format_references  # noqa: E402
from livingreview.bib.lint import lint  # noqa: E402
from livingreview.bib.load import load_bibliography  # noqa: E402
from bench_synthesis import write_section  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
HEADING = "## Bibliography"
FILES = 4


def entry_text(i: int) -> str:
    if i % 10 == 9:
        return (f"@inproceedings{{synthetic{i:05d},\n  author = {{Synthetic{i:05d}, Author}},\n"
                f"  title = {{Synthetic talk {i}}},\n  crossref = {{proceedings{i // 10:05d}}},\n  pages = {{1--9}}\n}}\n\n"
                f"@proceedings{{proceedings{i // 10:05d},\n  title = {{Synthetic proceedings {i // 10}}},\n"
                f"  publisher = {{Synthetic Press}},\n  year = {{{2000 + i % 25}}}\n}}\n\n")
    return (f"@article{{synthetic{i:05d},\n"
            f"  author = {{Synthetic{i:05d}, Author and M{{\\\"u}}ller, J{{\\\"o}}rg and {{Synthetic Consortium}}}},\n"
            f"  title = {{Synthetic benchmark entry {i}: the {{DNA}} of nothing}},\n  journal = jsyn,\n"
            f"  year = {{{2000 + i % 25}}},\n  month = mar,\n  volume = {{{i % 50}}},\n  pages = {{1--10}},\n"
            f"  doi = {{10.5555/synthetic.{i}}},\n  pmid = {{{i + 1}}},\n"
            f"  keywords = {{synthetic, generated, benchmark, placeholder, fictional, example, nothing}},\n"
            f"  note = {{Generated for benchmarking; not a real work, and no finding of any study}}\n}}\n\n")


def write_bibliography(folder: Path, size: int) -> list[Path]:
    paths = [folder / f"synthetic{n}.bib" for n in range(FILES)]
    chunks: list[list[str]] = [["@string{jsyn = {Journal of Synthetic Examples}}\n\n"]] + [[] for _ in range(FILES - 1)]
    for i in range(size):
        chunks[i * FILES // size].append(entry_text(i))
    for path, chunk in zip(paths, chunks):
        path.write_text("".join(chunk), encoding="utf-8")
    return paths


def best(repeat: int, step) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result) of the fastest of *repeat* runs (CPU time is steadier on a shared machine)."""
    runs, result = [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = step()
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    return (*min(runs), result)


def display_all(bib) -> int:
    latex._parse.cache_clear()
    names.parse_names.cache_clear()
    return sum(len(entry.title or "") + len(entry.authors) for entry in bib.values())


def measure(size: int, repeat: int, references: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-bib-") as tmp:
        folder = Path(tmp)
        paths = write_bibliography(folder, size)
        megabytes = sum(p.stat().st_size for p in paths) / 1e6
        split, _, _ = best(repeat, lambda: [bibtexparser.parse_string(p.read_text(encoding="utf-8"), parse_stack=[]) for p in paths])
        load, load_cpu, (bib, problems) = best(repeat, lambda: load_bibliography(paths, root=folder))
        assert problems == [], problems[:3]
        cited = {key: [("reviews/notes/synthetic.yml", 1)] for key in bib}
        lint_wall, lint_cpu, found = best(repeat, lambda: lint(bib, cited))
        assert found == [], found[:3]
        display, _, _ = best(repeat, lambda: display_all(bib))
        keys = [key for key in bib if key.startswith("synthetic")][:references]
        cite._render.cache_clear()
        cold, _, _ = best(1, lambda: format_references(bib, keys, "apa"))
        warm, _, _ = best(repeat, lambda: format_references(bib, keys, "apa"))
        tracemalloc.start()
        lint(*load_bibliography(paths, root=folder)[:1], cited)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return {"entries": len(bib), "mb": megabytes, "split": split, "load": load, "lint": lint_wall, "display": display,
            "cpu": load_cpu + lint_cpu, "cold": cold, "warm": warm, "peak": peak}


def section(results: list[dict[str, float]], args, load: float) -> str:
    rows = "\n".join(
        f"| {r['entries']:,} | {r['mb']:.1f} MB | {r['load']:.2f} | {r['split']:.2f} | {r['lint']:.2f} | "
        f"**{r['load'] + r['lint']:.2f}** / {r['cpu']:.2f} | "
        f"{r['display']:.2f} | {r['peak']:.0f} MiB |" for r in results)
    refs = results[-1]
    return (f"{HEADING}\n\n`.venv/bin/python benchmarks/bench_bib.py --sizes {' '.join(map(str, args.sizes))} "
            f"--repeat {args.repeat} --references {args.references}` — generated entries in {FILES} .bib files (macros across "
            f"files, month macros, accents, braces, one in ten a crossref child); best of {args.repeat} runs; CPython "
            f"{platform.python_version()}, 2 cores shared with other work (load average {load:.1f} at the start).\n\n"
            "| entries | size | load (s) | bibtexparser's split alone (s) | lint (s) | load + lint, wall / CPU (s) | "
            "display every title and author list (s) | peak memory, load + lint |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n"
            f"{rows}\n\n"
            f"Formatting {args.references} APA references: {refs['cold']:.2f} s the first time (citeproc-py, "
            f"{refs['cold'] / max(args.references, 1) * 1000:.0f} ms each), {refs['warm']:.3f} s again from the cache. "
            "Load and lint decode no LaTeX; display values are decoded on first read (pylatexenc, cached).\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--references", type=int, default=100)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    results = [measure(size, args.repeat, args.references) for size in args.sizes]
    text = section(results, args, load)
    print(text)
    write_section(text, HEADING)


if __name__ == "__main__":
    main()
