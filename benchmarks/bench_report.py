"""Time the report cells, HTML rendering and PDF printing on the first review's content.

    .venv/bin/python benchmarks/bench_report.py [--repeat 3] [--scale 10]

For each hypothesis notebook (variant "all"), the report cells are evaluated in this process
(as a kernel would, without starting one) into an executed notebook, which is rendered to HTML
and printed to PDF twice (the two PDFs must be byte-identical). Then the same is timed for a
report whose evidence table is the largest real one repeated ``--scale`` times (keys suffixed,
a stress test only; nothing is written but the figures). Wall and CPU seconds, best of
``--repeat``. The figures replace the "Report: cells, HTML, PDF" section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
from IPython.core.formatters import DisplayFormatter  # noqa: E402

from bench_synthesis import write_section  # noqa: E402
import livingreview  # noqa: E402
from livingreview import report  # noqa: E402
from livingreview.pdf import render_pdf  # noqa: E402
from livingreview.report.render import render_html  # noqa: E402

HEADING = "## Report: cells, HTML, PDF"
SKIPPED = {"parameters", "load"}


def best(repeat: int, work):
    """(result, best wall seconds, best CPU seconds) of *repeat* runs of *work*."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return result, min(walls), min(cpus)


def executed(path: Path, sel) -> nbformat.NotebookNode:
    """The notebook with every report cell evaluated here and its display data as the output."""
    nb = nbformat.read(path, as_version=4)
    formatter = DisplayFormatter()
    names = {"report": report, "sel": sel, "citation_style": "apa"}
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.id not in SKIPPED:
            cell.outputs = []
            for line in cell.source.splitlines():
                data, _ = formatter.format(eval(line, names))  # noqa: S307 - the project's own notebook cells
                cell.outputs.append(nbformat.v4.new_output("display_data", data=data))
    return nb


def measure_one(name: str, path: Path, sel, repeat: int) -> dict:
    nb, cells_wall, cells_cpu = best(repeat, lambda: executed(path, sel))
    html, html_wall, html_cpu = best(repeat, lambda: render_html(nb, title=name))
    pdf, pdf_wall, pdf_cpu = best(repeat, lambda: render_pdf(html))
    pages = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=False).stdout.decode()
    count = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")
    return {
        "report": name, "findings": len(sel.evidence), "cells": (cells_wall, cells_cpu),
        "html": (html_wall, html_cpu), "pdf": (pdf_wall, pdf_cpu), "pages": count,
        "html_kib": len(html.encode()) / 1024, "pdf_kib": len(pdf) / 1024, "same_pdf": render_pdf(html) == pdf,
    }


def scaled(sel, times: int):
    """*sel* with its evidence repeated *times* (keys suffixed ``~n``), for a stress test."""
    copies = [sel.evidence.assign(key=sel.evidence["key"] + f"~{n}") for n in range(times)]
    return dataclasses.replace(sel, evidence=pd.concat(copies, ignore_index=True))


def section(rows: list[dict], repeat: int) -> str:
    lines = [
        HEADING,
        "",
        f"`.venv/bin/python benchmarks/bench_report.py --repeat {repeat}` — the five notebooks' report cells "
        "evaluated in-process on the first review (variant `all`), rendered to HTML and printed to an A4 PDF; "
        f"best of {repeat}; CPython {platform.python_version()}, {os.cpu_count()} cores shared with other jobs "
        "(wall time varies; CPU time is steadier). *Same PDF*: a second print is byte-identical.",
        "",
        "| report | findings | cells wall/CPU s | HTML wall/CPU s | PDF wall/CPU s | pages | HTML KiB | PDF KiB | same PDF |",
        "|---|---:|---:|---:|---:|---:|---:|---:|:-:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['report']} | {r['findings']} | {r['cells'][0]:.2f} / {r['cells'][1]:.2f} | "
            f"{r['html'][0]:.2f} / {r['html'][1]:.2f} | {r['pdf'][0]:.2f} / {r['pdf'][1]:.2f} | {r['pages']} | "
            f"{r['html_kib']:.0f} | {r['pdf_kib']:.0f} | {'yes' if r['same_pdf'] else 'NO'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    review = livingreview.load(ROOT)
    rows, largest = [], None
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        sel = review.select(path.stem)
        rows.append(measure_one(path.stem, path, sel, args.repeat))
        if largest is None or len(sel.evidence) > len(largest[1].evidence):
            largest = (path, sel)
    path, sel = largest
    rows.append(measure_one(f"{path.stem} evidence × {args.scale} (stress)", path, scaled(sel, args.scale), args.repeat))
    text = section(rows, args.repeat)
    print(text)
    write_section(text, HEADING)


if __name__ == "__main__":
    main()
