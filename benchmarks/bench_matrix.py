"""The whole report matrix of a large synthetic review built cold, against the first review's cold build, in one run.

    .venv/bin/python benchmarks/bench_matrix.py [--works 6100] [--rounds 1]

Each round builds, as fresh commands under GNU time: the first review (``livingreview build --force``, a copy of
its inputs), then a synthetic review of ``--works`` works (:mod:`synthetic`: 5 hypotheses x 2 variants), cold
(no outputs, no load cache), with PDFs. From the synthetic build's ``build-report.json`` (:mod:`livingreview.build.timing`)
come the phases; from ``pdfinfo`` the pages of each PDF. The figures replace the "The whole matrix of a large review"
section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_build import copy_project  # noqa: E402
from bench_loop import Cost, build, timed  # noqa: E402
from bench_synthesis import write_section  # noqa: E402
from livingreview import fingerprint  # noqa: E402
from synthetic import generate  # noqa: E402

HEADING = "## The whole matrix of a large review"


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def matrix(root: Path, env: dict[str, str]) -> tuple[Cost, dict, list[int]]:
    cost = timed([str(BIN / "livingreview"), "--root", str(root), "build"], env)
    report = json.loads((root / "outputs" / "build-report.json").read_text(encoding="utf-8"))
    return cost, report, sorted(pages(pdf) for pdf in (root / "outputs").glob("*/*/report.pdf"))


def measure(works: int, rounds: int) -> list[dict]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": fingerprint.source_date_epoch(ROOT), "PATH": f"{BIN}:{os.environ['PATH']}"}
    env.pop("LIVINGREVIEW_SOURCES", None)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-matrix-") as tmp:
        first = copy_project(Path(tmp) / "first")
        for n in range(1, rounds + 1):
            ours = build(first.root, env)
            large = generate(Path(tmp) / f"large-{n}", works=works)
            cost, report, printed = matrix(large, env)
            phases = [r["time"] for r in report["reports"].values()]
            rows.append({"round": n, "first": ours, "large": cost, "reports": len(phases), "time": report["time"],
                         "kernel_cpu": sum(p["execute"]["cpu_s"] for p in phases),
                         "pdf_cpu": sum(p["pdf"]["cpu_s"] for p in phases), "pages": printed})
            print(f"round {n}: first review {ours.wall:.1f} s; {works:,} works {cost.wall:.1f} s "
                  f"({cost.wall / ours.wall:.2f}x), peak {cost.peak_mib:.0f} MiB, pages {printed}", file=sys.stderr)
    return rows


def section(rows: list[dict], works: int) -> str:
    lines = [
        HEADING, "",
        f"`.venv/bin/python benchmarks/bench_matrix.py --works {works} --rounds {len(rows)}` — the first review's cold "
        f"build (`build --force`, 10 reports with PDFs) and then, cold, the whole matrix of a synthetic review of "
        f"{works:,} works (5 hypotheses x 2 variants, 3,660 findings in each `all` report) with PDFs, in one run; "
        f"CPython {platform.python_version()}, {os.cpu_count()} cores. Peak: the resident memory of the largest process "
        f"(the build, a kernel or a printer). Phases from the large build's `build-report.json`.", "",
        "| round | first review: wall s | large: wall s | CPU s | ratio | peak MiB | load s | plan s | references s | "
        "kernels CPU s | PDFs CPU s | PDF pages |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        t = r["time"]
        lines.append(f"| {r['round']} | {r['first'].wall:.1f} | {r['large'].wall:.1f} | {r['large'].cpu:.1f} | "
                     f"{r['large'].wall / r['first'].wall:.2f}× | {r['large'].peak_mib:.0f} | {t['load']['wall_s']:.1f} | "
                     f"{t['plan']['wall_s']:.1f} | {t['references']['wall_s']:.1f} | {r['kernel_cpu']:.1f} | "
                     f"{r['pdf_cpu']:.1f} | {min(r['pages'])}–{max(r['pages'])} |")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=6100, help="works in the synthetic review (default 6100)")
    parser.add_argument("--rounds", type=int, default=1, help="first review / large review pairs (default 1)")
    args = parser.parse_args()
    rows = measure(args.works, args.rounds)
    write_section(section(rows, args.works), HEADING)
    print(section(rows, args.works))


if __name__ == "__main__":
    main()
