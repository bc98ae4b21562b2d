"""Time ``livingreview build`` on the real review against a plain papermill + nbconvert loop.

    .venv/bin/python benchmarks/bench_build.py

Copies the project's inputs (bib/, reviews/, notebooks/, the lock) into a temporary folder and
times, each as a fresh command the way a user runs it:

* cold build (every report: execute, HTML, PDF, data), and the same without PDF;
* no-op build (nothing changed: no kernel should start);
* one-note rebuild (one note edited: only the reports that read it);
* the same work as the cold build without PDF done by a plain loop of ``papermill`` and
  ``jupyter nbconvert --to html --no-input`` calls, one report after another.

The figures replace the "Build" section of benchmarks/RESULTS.md, leaving other sections alone.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_synthesis import write_section  # noqa: E402
from livingreview import fingerprint, load  # noqa: E402
from livingreview.build.plan import make_plan  # noqa: E402
from livingreview.project import Project  # noqa: E402

HEADING = "## Build"
#: a note that only one hypothesis reads, and the edit made to it
NOTE, OLD, NEW = "younger2009.yml", "quick_summary: >-\n", "quick_summary: >-\n  (Benchmark edit.)\n"
SOURCES = ROOT.parent / "shared" / "seeds"
NOTE = ("Wall-clock seconds on a machine shared with other work: they vary by about a third between runs. "
        "A no-op build is interpreter start-up, imports (pandas; matplotlib for the index's PRISMA diagram), "
        "loading and selecting the review, and hashing inputs and outputs: about 1.5 s of CPU. The plain loop "
        "starts a papermill and an nbconvert process per report, one after another; the build runs a report per "
        "core and renders in-process.")


def copy_project(dest: Path) -> Project:
    for folder in ("bib", "reviews", "notebooks"):
        shutil.copytree(ROOT / folder, dest / folder)
    (dest / "requirements").mkdir()
    shutil.copy2(ROOT / "requirements" / "constraints.txt", dest / "requirements")
    return Project(dest)


def run(command: list[str], env: dict[str, str]) -> None:
    """Run *command*; on failure, stop with its output (a benchmark of a failing build means nothing)."""
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    run(command, env)
    return time.perf_counter() - start


def build(project: Project, env: dict[str, str], *extra: str) -> tuple[float, dict]:
    """One ``livingreview build`` command: seconds taken and its build report."""
    sources = ["--sources", str(SOURCES)] if SOURCES.is_dir() else []
    seconds = timed([str(BIN / "livingreview"), "--root", str(project.root), "build", *sources, *extra], env)
    return seconds, json.loads((project.outputs_dir / "build-report.json").read_text(encoding="utf-8"))


def plain_loop(project: Project, env: dict[str, str], work: Path) -> float:
    """Every report by hand: papermill, then nbconvert to HTML without code, one after another."""
    targets = make_plan(project, load(project).hypotheses)
    start = time.perf_counter()
    for i, target in enumerate(targets):
        executed = work / f"{i}.ipynb"
        run([str(BIN / "papermill"), str(target.notebook), str(executed), "-k", "livingreview", "--cwd",
             str(project.root), "-y", json.dumps(target.parameters.model_dump()), "--no-progress-bar"], env)
        run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], env)
    return time.perf_counter() - start


def built(report: dict) -> int:
    return sum(r["status"] == "built" for r in report["reports"].values())


def noop(project: Project, env: dict[str, str], attempts: int = 3) -> tuple[str, float, int, int]:
    """A build with nothing changed. Edits to the package's code by others while this runs change every
    report's key; such a build is repeated (up to *attempts*) and the row says so."""
    for attempt in range(1, attempts + 1):
        seconds, report = build(project, env)
        code_changed = all("livingreview code" in " ".join(r.get("reasons", [])) for r in report["reports"].values())
        if not report["kernels_started"] or not code_changed:
            break
    note = f" (after {attempt - 1} rebuild(s) for package code edited meanwhile)" if attempt > 1 else ""
    return f"no-op build (nothing changed){note}", seconds, built(report), report["kernels_started"]


def measure() -> tuple[list[tuple[str, float, int, int]], int]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": fingerprint.source_date_epoch(ROOT), "PATH": f"{BIN}:{os.environ['PATH']}"}
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        project = copy_project(Path(tmp) / "review")
        seconds, report = build(project, env, "--no-pdf")
        rows.append(("cold build, no PDF", seconds, built(report), report["kernels_started"]))
        seconds, report = build(project, env, "--force")
        rows.append(("cold build (--force), with PDF", seconds, built(report), report["kernels_started"]))
        rows.append(noop(project, env))
        note = project.notes_dir / NOTE
        note.write_text(note.read_text(encoding="utf-8").replace(OLD, NEW, 1), encoding="utf-8")
        seconds, report = build(project, env)
        rows.append((f"one note edited ({NOTE})", seconds, built(report), report["kernels_started"]))
        reports = len(report["reports"])
        work = Path(tmp) / "loop"
        work.mkdir()
        seconds = plain_loop(project, env, work)
        rows.append(("plain loop: papermill + nbconvert --to html, no PDF", seconds, reports, reports))
    return rows, reports


def section(rows: list[tuple[str, float, int, int]], reports: int) -> str:
    lines = [
        HEADING, "",
        f"`.venv/bin/python benchmarks/bench_build.py` — the real review ({reports} reports: every hypothesis x "
        f"every variant), each step a fresh `livingreview build` command; CPython {platform.python_version()}, "
        f"{os.cpu_count()} cores (`-j` default: one report per core).", "",
        "| step | seconds | reports built | kernels started |", "|---|---:|---:|---:|",
    ]
    lines += [f"| {name} | {seconds:.1f} | {n} | {kernels} |" for name, seconds, n, kernels in rows]
    lines += ["", NOTE]
    return "\n".join(lines) + "\n"


def main() -> None:
    rows, reports = measure()
    text = section(rows, reports)
    print(text)
    write_section(text, HEADING)


if __name__ == "__main__":
    main()
