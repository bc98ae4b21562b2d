"""The first review built cold against the loop a user scripts by hand, interleaved in one run.

    .venv/bin/python benchmarks/bench_loop.py [--rounds 2]

Each round runs, one after the other on a copy of the project's inputs:

* ``livingreview build --force``: every report executed, rendered to HTML and PDF, its data written,
  the index, register and changelog;
* the hand-written loop: for each report, ``papermill`` (with the report's parameters), then
  ``jupyter nbconvert --to html --no-input``, then ``weasyprint`` on that HTML, one command after another.

The rounds alternate the two, so a change in the machine's load shows in both. Each command runs under
GNU time: wall seconds, CPU seconds (user + system, with the kernels and printers it waited for) and the
peak resident memory of its largest process. The figures replace the "Against the hand-written loop"
section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_build import copy_project  # noqa: E402
from bench_synthesis import write_section  # noqa: E402
from livingreview import fingerprint, load  # noqa: E402
from livingreview.build.plan import make_plan  # noqa: E402

HEADING = "## Against the hand-written loop"
TIME = "/usr/bin/time"


@dataclass(frozen=True)
class Cost:
    wall: float
    cpu: float
    peak_mib: float

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.wall + other.wall, self.cpu + other.cpu, max(self.peak_mib, other.peak_mib))


def timed(command: list[str], env: dict[str, str]) -> Cost:
    """Run *command* under GNU time; stop the benchmark with its output when it fails."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        done = subprocess.run([TIME, "-f", "%e %U %S %M", "-o", report.name, *command], env=env,
                              capture_output=True, text=True)
        figures = report.read().split()
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    wall, user, system, kib = figures[-4:]
    return Cost(float(wall), float(user) + float(system), int(kib) / 1024)


def build(root: Path, env: dict[str, str]) -> Cost:
    return timed([str(BIN / "livingreview"), "--root", str(root), "build", "--force"], env)


def loop(root: Path, targets, env: dict[str, str], work: Path) -> Cost:
    """Every report by hand, one command after another."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    total = Cost(0.0, 0.0, 0.0)
    for i, target in enumerate(targets):
        executed, page, pdf = work / f"{i}.ipynb", work / f"{i}.html", work / f"{i}.pdf"
        total += timed([str(BIN / "papermill"), str(target.notebook), str(executed), "-k", "livingreview", "--cwd",
                        str(root), "-y", json.dumps(target.parameters.model_dump()), "--no-progress-bar"], env)
        total += timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], env)
        total += timed([str(BIN / "weasyprint"), str(page), str(pdf)], env)
    return total


def measure(rounds: int) -> tuple[list[tuple[int, Cost, Cost]], int]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": fingerprint.source_date_epoch(ROOT), "PATH": f"{BIN}:{os.environ['PATH']}"}
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-loop-") as tmp:
        project = copy_project(Path(tmp) / "review")
        targets = make_plan(project, load(project).hypotheses)
        for n in range(1, rounds + 1):
            ours = build(project.root, env)
            theirs = loop(project.root, targets, env, Path(tmp) / "loop")
            print(f"round {n}: build {ours.wall:.1f} s wall, {ours.cpu:.1f} s CPU; loop {theirs.wall:.1f} s wall, "
                  f"{theirs.cpu:.1f} s CPU", file=sys.stderr)
            results.append((n, ours, theirs))
    return results, len(targets)


def section(results: list[tuple[int, Cost, Cost]], reports: int) -> str:
    cores = os.cpu_count() or 1
    lines = [
        HEADING, "",
        f"`.venv/bin/python benchmarks/bench_loop.py --rounds {len(results)}` — the first review ({reports} reports: every "
        f"hypothesis x every variant) built cold with `livingreview build --force` (HTML, PDF, data, index) against the "
        f"loop a user scripts by hand (`papermill`, `jupyter nbconvert --to html --no-input`, `weasyprint`, per report, "
        f"one after another), alternating in one run; CPython {platform.python_version()}, {cores} cores. CPU: user + "
        f"system of each command with the kernels and printers it waited for. *Busy*: the build's CPU divided by its "
        f"wall time and the cores.", "",
        "| round | build: wall s | CPU s | busy | peak MiB | loop: wall s | CPU s | peak MiB | loop / build (wall) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, ours, theirs in results:
        lines.append(f"| {n} | {ours.wall:.1f} | {ours.cpu:.1f} | {ours.cpu / ours.wall / cores:.0%} | {ours.peak_mib:.0f} | "
                     f"{theirs.wall:.1f} | {theirs.cpu:.1f} | {theirs.peak_mib:.0f} | {theirs.wall / ours.wall:.2f}× |")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="build / loop pairs to run (default 2)")
    args = parser.parse_args()
    results, reports = measure(args.rounds)
    write_section(section(results, reports), HEADING)
    print(section(results, reports))


if __name__ == "__main__":
    main()
