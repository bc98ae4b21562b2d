"""Time the evidence table and the PDF of one report as the review grows.

    .venv/bin/python benchmarks/bench_evidence.py [--sizes 100 1000 6100] [--repeat 3] [--src DIR]

For each size a synthetic review (:mod:`synthetic`) is written into a temporary folder and loaded;
its first hypothesis (variant ``all``) is selected. Then, best of ``--repeat`` (CPU seconds, steadier
than wall time on a shared machine; wall in brackets):

* the evidence section alone (``report.evidence_table``; the report's citation registry made first,
  and timed apart, since every section reads it);
* the whole report: its notebook's cells evaluated in-process (as :mod:`bench_report` does), the page
  rendered to HTML and printed to an A4 PDF (printed once; its pages counted with ``pdfinfo``).

The figures per 1,000 findings show whether the cost grows linearly. ``--src`` runs another checkout's
package (for a before/after comparison). The figures replace the "Evidence table and PDF at scale"
section of RESULTS.md (only when run on this checkout's code).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADING = "## Evidence table and PDF at scale"


def pages(pdf: bytes) -> str:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=False).stdout.decode()
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def measure(works: int, repeat: int, folder: Path) -> dict:
    import livingreview
    from bench_report import best, executed
    from livingreview import report
    from livingreview.report import citations
    from livingreview.pdf import render_pdf
    from livingreview.report.render import render_html
    from synthetic import generate, hypothesis_id

    root = generate(folder / f"review-{works}", works)
    review = livingreview.load(root)
    hid = hypothesis_id(0)
    sel = review.select(hid)
    _, registry_wall, registry_cpu = best(1, lambda: citations.references(sel))
    section, section_wall, section_cpu = best(repeat, lambda: report.evidence_table(sel))
    nb, cells_wall, cells_cpu = best(1, lambda: executed(root / "notebooks" / f"{hid}.ipynb", sel))
    html, html_wall, html_cpu = best(1, lambda: render_html(nb, title=hid))
    pdf, pdf_wall, pdf_cpu = best(1, lambda: render_pdf(html))
    return {"works": works, "findings": len(sel.evidence), "registry": (registry_cpu, registry_wall),
            "section": (section_cpu, section_wall), "section_kib": len(str(section).encode()) / 1024,
            "cells": (cells_cpu, cells_wall), "html": (html_cpu, html_wall), "pdf": (pdf_cpu, pdf_wall),
            "pages": pages(pdf), "html_kib": len(html.encode()) / 1024, "pdf_kib": len(pdf) / 1024}


def _pair(value: tuple[float, float]) -> str:
    return f"{value[0]:.2f} ({value[1]:.2f})"


def table(rows: list[dict], argv: str, repeat: int) -> str:
    lines = [
        HEADING,
        "",
        f"`.venv/bin/python benchmarks/bench_evidence.py {argv}` — a synthetic review (`benchmarks/synthetic.py`) per "
        "size, its first hypothesis (variant `all`): the evidence section alone (best of "
        f"{repeat}) after the report's citation registry (made once per report, timed apart), then the whole "
        "report's cells, HTML and A4 PDF (once). CPU seconds, wall in brackets; CPython "
        f"{platform.python_version()}, {os.cpu_count()} cores shared with other jobs.",
        "",
        "| works | findings | citation registry s | evidence section s | per 1,000 findings s | section KiB "
        "| report cells s | HTML s | PDF s | PDF per 1,000 findings s | pages | HTML KiB | PDF KiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        per = 1000 / max(r["findings"], 1)
        lines.append(
            f"| {r['works']:,} | {r['findings']:,} | {_pair(r['registry'])} | {_pair(r['section'])} | "
            f"{r['section'][0] * per:.3f} | {r['section_kib']:.0f} | {_pair(r['cells'])} | {_pair(r['html'])} | "
            f"{_pair(r['pdf'])} | {r['pdf'][0] * per:.2f} | {r['pages']} | {r['html_kib']:.0f} | {r['pdf_kib']:.0f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 6100])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the package's source folder to run")
    args = parser.parse_args()
    sys.path.insert(0, str(args.src.resolve()))
    sys.path.insert(1, str(ROOT / "benchmarks"))
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    rows = []
    with tempfile.TemporaryDirectory(prefix="livingreview-evidence-") as folder:
        for works in args.sizes:
            rows.append(measure(works, args.repeat, Path(folder)))
            print(rows[-1], file=sys.stderr, flush=True)
    argv = " ".join(sys.argv[1:])
    text = table(rows, argv, args.repeat)
    print(text)
    if args.src.resolve() == (ROOT / "src").resolve():
        from bench_synthesis import write_section

        write_section(text, HEADING)


if __name__ == "__main__":
    main()
