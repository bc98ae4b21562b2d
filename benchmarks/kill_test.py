"""Kill ``livingreview build --force`` at random moments; outputs/ must always be the last complete build.

    .venv/bin/python benchmarks/kill_test.py [--runs 20] [--publish-runs 5] [--pdf] [--seed 1]

A copy of the first review (bib/, reviews/, notebooks/) is built once in a temporary folder, by a
copy of the package's code (edits to src/ meanwhile change nothing). Then,
``--runs`` times, ``livingreview build --force`` starts as a subprocess in its own process group and
is killed with SIGKILL (the whole group, and the kernels it started in sessions of their own) at a
random moment: run i is killed at a time drawn uniformly from the i-th of ``--runs`` equal slices of
the time a complete forced build takes, so the kills cover starting, executing and publishing;
``--publish-runs`` more runs are killed 0-4 ms after the build starts publishing, the short
window the random moments rarely hit.
After each kill, before anything repairs it, outputs/ must hold exactly the files of the last
complete build, byte for byte: every file in ``manifest.json`` with its SHA-256, nothing else but
the manifest, ``build-report.json`` (the record of the last build attempt, which says why each
report was built, so it is left out of the comparison) and the killed build's ``.staging-*``
folder, which the manifest never names. Then ``livingreview build`` (not forced) must succeed and leave outputs/
exactly as before. The figures replace the "Kill test" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from bench_synthesis import write_section  # noqa: E402
from scale import frozen_code, machine  # noqa: E402

LIVINGREVIEW = str(Path(sys.executable).parent / "livingreview")
PROJECT_PARTS = ("bib", "reviews", "notebooks")
STAGING, TRASH = ".staging-", ".trash"
UNLISTED = {"manifest.json", "build-report.json"}  # written by every build, never in the manifest's file list
#: what the last build *attempt* did (built/reused, and why): it differs between builds by design
ATTEMPT_RECORD = "build-report.json"


@dataclass(frozen=True)
class Kill:
    at: float  # seconds after the start
    phase: str  # what the killed build had reached, read from what it left
    problems: tuple[str, ...]
    next_build_ok: bool


def tree(outputs: Path) -> dict[str, str]:
    """SHA-256 of every file under *outputs*, but for staging folders (a killed build's leftovers) and
    the record of the last build attempt."""
    return {p.relative_to(outputs).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(outputs.rglob("*")) if p.is_file() and not p.relative_to(outputs).parts[0].startswith(STAGING)
            and p.relative_to(outputs).as_posix() != ATTEMPT_RECORD}


def problems(outputs: Path, complete: dict[str, str]) -> list[str]:
    """How *outputs* differs from the last complete build (*complete*, its tree); empty when it does not."""
    found = []
    try:
        manifest = json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"manifest.json unreadable: {exc}"]
    now = tree(outputs)
    for path, digest in manifest["files"].items():
        if path.startswith(STAGING) or "/" + STAGING in path:
            found.append(f"the manifest names a staging file: {path}")
        elif now.get(path) != digest:
            found.append(f"{path}: {'missing' if path not in now else 'hash differs from the manifest'}")
    found += [f"not in the manifest: {path}" for path in sorted(set(now) - set(manifest["files"]) - UNLISTED)]
    found += [f"differs from the last complete build: {path}" for path in sorted(set(now) | set(complete))
              if now.get(path) != complete.get(path)]
    return found


def phase(outputs: Path, code: int | None, seen_publishing: bool) -> str:
    """What the build had reached, from what it left (its staging folder and trash) and what was seen."""
    if code is not None:
        return "finished before the kill"
    staging = sorted(outputs.glob(STAGING + "*"))
    if any((s / TRASH).exists() for s in staging):
        return "publishing"
    if staging:
        return "executing"
    return "done publishing, not yet exited" if seen_publishing else "before staging"


def descendants(pid: int) -> list[int]:
    """Every process below *pid* (kernels run in sessions of their own, so the group kill misses them)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def build(root: Path, env: dict[str, str], *extra: str, pdf: bool) -> subprocess.CompletedProcess:
    argv = [LIVINGREVIEW, "--root", str(root), "build", "--jobs", "2", *([] if pdf else ["--no-pdf"]), *extra]
    return subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True)


def _publishing(outputs: Path) -> bool:
    return any((staging / TRASH).exists() for staging in outputs.glob(STAGING + "*"))


def _kill_tree(process: subprocess.Popen) -> None:
    below = descendants(process.pid)
    os.killpg(process.pid, signal.SIGKILL)
    for pid in below:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()


def kill_once(root: Path, env: dict[str, str], complete: dict[str, str], pdf: bool, *, at: float | None = None,
              into_publishing: float | None = None) -> Kill:
    """Start a forced build and kill it *at* seconds, or *into_publishing* seconds after it starts publishing."""
    outputs = root / "outputs"
    argv = [LIVINGREVIEW, "--root", str(root), "build", "--force", "--jobs", "2", *([] if pdf else ["--no-pdf"])]
    process = subprocess.Popen(argv, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    start, published_at, killed_at = time.perf_counter(), None, None
    while process.poll() is None:
        now = time.perf_counter() - start
        if into_publishing is not None and published_at is None and _publishing(outputs):
            published_at = now
        if (at is not None and now >= at) or (published_at is not None and now >= published_at + into_publishing):
            _kill_tree(process)
            killed_at = now
            break
        time.sleep(0.0005)
    code = None if killed_at is not None else process.returncode
    reached = phase(outputs, code, published_at is not None)
    found = problems(outputs, complete)
    after = build(root, env, pdf=pdf)
    next_ok = after.returncode == 0 and tree(outputs) == complete
    return Kill(killed_at if killed_at is not None else time.perf_counter() - start, reached, tuple(found), next_ok)


def copy_project(where: Path) -> Path:
    root = where / "review"
    for part in PROJECT_PARTS:
        shutil.copytree(REPO / part, root / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root


def section(runs: list[Kill], full: float, pdf: bool, seed: int, command: str, random_runs: int) -> str:
    phases = {}
    for r in runs:
        phases[r.phase] = phases.get(r.phase, 0) + 1
    passed = sum(not r.problems and r.next_build_ok for r in runs)
    rows = [f"| {i} | {r.at:.2f} | {r.phase} | {'; '.join(r.problems) or 'exactly the last complete build'} | "
            f"{'yes' if r.next_build_ok else 'NO'} |" for i, r in enumerate(runs, 1)]
    return "\n".join([
        "## Kill test",
        "",
        command,
        "",
        f"Machine: {machine()}.",
        "",
        f"The first review, copied to a temporary folder and built once ({'with' if pdf else 'without'} PDF); a complete forced "
        f"build took {full:.1f} s. Run *i* starts `livingreview build --force` and sends SIGKILL to its process group and "
        f"the kernels it started at a moment drawn from the *i*-th of {random_runs} equal slices of that time (seed {seed}); "
        f"runs {random_runs + 1} to {len(runs)} are killed 0-4 ms after the build starts publishing (its first report folder "
        "moved aside). "
        "Outputs are checked before anything repairs them; then a normal build must succeed and leave them unchanged.",
        "",
        f"**{passed} of {len(runs)} runs passed.** Killed while: "
        + ", ".join(f"{name} {count}" for name, count in sorted(phases.items())) + ".",
        "",
        "| run | killed at (s) | the build was | outputs/ after the kill | next build succeeds, outputs unchanged |",
        "|---:|---:|---|---|---|",
        *rows,
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--publish-runs", type=int, default=5,
                        help="more runs, each killed 0-4 ms after the build starts publishing")
    parser.add_argument("--pdf", action="store_true", help="render PDFs too (each build takes longer)")
    parser.add_argument("--no-write", action="store_true", help="print the section; leave RESULTS.md alone")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="livingreview-kill-") as folder:
        root = copy_project(Path(folder))
        env = frozen_code(Path(folder) / "code")
        first = build(root, env, pdf=args.pdf)
        if first.returncode != 0:
            print(first.stdout + first.stderr, file=sys.stderr)
            return 1
        complete = tree(root / "outputs")
        start = time.perf_counter()
        forced = build(root, env, "--force", pdf=args.pdf)
        full = time.perf_counter() - start
        if forced.returncode != 0 or tree(root / "outputs") != complete:
            print("a forced build of unchanged inputs did not reproduce the outputs byte for byte", file=sys.stderr)
            return 1
        print(f"complete forced build: {full:.1f} s; {len(complete)} output files", flush=True)
        runs = []
        plan = [dict(at=rng.uniform(i * full / args.runs, (i + 1) * full / args.runs)) for i in range(args.runs)]
        plan += [dict(into_publishing=rng.uniform(0, 0.004)) for _ in range(args.publish_runs)]
        for i, when in enumerate(plan, 1):
            result = kill_once(root, env, complete, args.pdf, **when)
            runs.append(result)
            verdict = "ok" if not result.problems and result.next_build_ok else "FAILED: " + "; ".join(result.problems)
            print(f"run {i:2d}: killed at {result.at:6.2f} s while {result.phase}: {verdict}", flush=True)
    command = "`" + " ".join([".venv/bin/python benchmarks/kill_test.py", "--runs", str(args.runs), "--publish-runs",
                              str(args.publish_runs), "--seed", str(args.seed),
                              *(["--pdf"] if args.pdf else [])]) + "`"
    text = section(runs, full, args.pdf, args.seed, command, args.runs)
    print(text)
    if not args.no_write:
        write_section(text, "## Kill test")
    return 0 if all(not r.problems and r.next_build_ok for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
