"""The first review built cold against the loop a user scripts by hand, interleaved in one run.

    .venv/bin/python benchmarks/bench_loop.py [--rounds 2]

Each round runs, one after the other on a copy of the project's inputs:

* ``livingreview build --force``: every report executed, rendered to HTML and PDF, its data written,
  the index, register and changelog;
* the hand-written loop: for each report, ``papermill`` (with the report's parameters), then
  ``jupyter nbconvert --to html --no-input``, then ``weasyprint`` on that HTML, one command after another.

The rounds alternate the two, so a change in the machine's load shows in both. Each command runs under
GNU time: wall seconds, CPU seconds (user + system, with the kernels and printers it waited for) and the
peak resident memory of its largest process. Where the CPU goes is shown too: the loop's by command, the
build's by phase (its ``build-report.json``), and from that the fastest any build printing the same PDFs
could be on these cores. The figures replace the "Against the hand-written loop" section of
benchmarks/RESULTS.md.
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


#: the loop's commands, in the order it runs them for each report
STEPS = ("papermill", "nbconvert", "weasyprint")


@dataclass(frozen=True)
class Built:
    cost: Cost
    phases: dict[str, float]  # CPU seconds: kernels (the template and each report's cells), html, pdf, the rest


def build(root: Path, env: dict[str, str]) -> Built:
    cost = timed([str(BIN / "livingreview"), "--root", str(root), "build", "--force"], env)
    return Built(cost, phases(json.loads((root / "outputs" / "build-report.json").read_text(encoding="utf-8"))))


def phases(report: dict) -> dict[str, float]:
    """The build's CPU seconds by what spent them, from its ``build-report.json``."""
    def spent(phase: str) -> float:
        return sum(r["time"].get(phase, {}).get("cpu_s", 0.0) for r in report["reports"].values())

    kernels = spent("execute") + report["time"].get("kernel template", {}).get("cpu_s", 0.0)
    html, pdf = spent("html"), spent("pdf")
    return {"kernels": kernels, "html": html, "pdf": pdf, "rest": report["time"]["total"]["cpu_s"] - kernels - html - pdf}


def loop(root: Path, targets, env: dict[str, str], work: Path) -> dict[str, Cost]:
    """Every report by hand, one command after another; the cost of each of :data:`STEPS`."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    total = {step: Cost(0.0, 0.0, 0.0) for step in STEPS}
    for i, target in enumerate(targets):
        executed, page, pdf = work / f"{i}.ipynb", work / f"{i}.html", work / f"{i}.pdf"
        total["papermill"] += timed([str(BIN / "papermill"), str(target.notebook), str(executed), "-k", "livingreview",
                                     "--cwd", str(root), "-y", json.dumps(target.parameters.model_dump()),
                                     "--no-progress-bar"], env)
        total["nbconvert"] += timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], env)
        total["weasyprint"] += timed([str(BIN / "weasyprint"), str(page), str(pdf)], env)
    return total


def summed(costs: dict[str, Cost]) -> Cost:
    return sum(costs.values(), Cost(0.0, 0.0, 0.0))


def measure(rounds: int) -> tuple[list[tuple[int, Built, dict[str, Cost]]], int]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": fingerprint.source_date_epoch(ROOT), "PATH": f"{BIN}:{os.environ['PATH']}"}
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-loop-") as tmp:
        project = copy_project(Path(tmp) / "review")
        targets = make_plan(project, load(project).hypotheses)
        for n in range(1, rounds + 1):
            ours = build(project.root, env)
            theirs = loop(project.root, targets, env, Path(tmp) / "loop")
            print(f"round {n}: build {ours.cost.wall:.1f} s wall, {ours.cost.cpu:.1f} s CPU; loop "
                  f"{summed(theirs).wall:.1f} s wall, {summed(theirs).cpu:.1f} s CPU", file=sys.stderr)
            results.append((n, ours, theirs))
    return results, len(targets)


def section(results: list[tuple[int, Built, dict[str, Cost]]], reports: int) -> str:
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
    for n, built, costs in results:
        ours, theirs = built.cost, summed(costs)
        lines.append(f"| {n} | {ours.wall:.1f} | {ours.cpu:.1f} | {ours.cpu / ours.wall / cores:.0%} | {ours.peak_mib:.0f} | "
                     f"{theirs.wall:.1f} | {theirs.cpu:.1f} | {theirs.peak_mib:.0f} | {theirs.wall / ours.wall:.2f}× |")
    lines += [
        "", "Where the CPU seconds go: the build's by phase (`build-report.json`: *kernels* is the kernel template and "
        "each report's cells, *rest* the build process's own work and the kernels' start), the loop's by command. "
        "*Bound*: the loop's wall time over the build's PDF CPU divided by the cores, the largest ratio any build that "
        "prints these PDFs with WeasyPrint could reach here.", "",
        "| round | build: kernels | html | pdf | rest | loop: papermill | nbconvert | weasyprint | bound |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, built, costs in results:
        p = built.phases
        bound = summed(costs).wall / (p["pdf"] / cores) if p["pdf"] else float("inf")
        lines.append(f"| {n} | {p['kernels']:.1f} | {p['html']:.1f} | {p['pdf']:.1f} | {p['rest']:.1f} | "
                     + " | ".join(f"{costs[step].cpu:.1f}" for step in STEPS) + f" | {bound:.2f}× |")
    builds = [built for _, built, _ in results]
    pdf = sum(b.phases["pdf"] for b in builds) / len(builds)
    total = sum(b.cost.cpu for b in builds) / len(builds)
    target = sum(summed(costs).wall for *_, costs in results) / len(results) / 5
    lines += ["", f"On average the PDFs took {pdf:.1f} of the build's {total:.1f} CPU-s. Five times the loop's speed "
                  f"means a build of {target:.1f} s: at most {target * cores:.1f} CPU-s on {cores} cores, all of them busy.",
              ""]
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
