"""`check` against merely parsing the notes, and the no-op build on every path, at several sizes.

    .venv/bin/python benchmarks/bench_loading.py [--sizes 1000 6100 10000] [--repeat 3] [--hypotheses 2] [--before REV]

For each size a synthetic review (:mod:`synthetic`, ``--hypotheses`` x 2 variants, light notebooks: the parameters, the load and
three short sections — a no-op build never runs them, and a cold build only has to exist) is written
into a temporary folder. Every command is a fresh subprocess; in each of ``--repeat`` rounds, one
after the other (so the machine's load falls on all of them alike):

* *bare parse*: a Python process that reads every ``reviews/notes/*.yml`` and parses it with
  ``yaml.load(text, Loader=yaml.CSafeLoader)``, nothing else (the floor the target names);
* ``livingreview check`` of the code at ``--before`` (default: the commit before the load cache);
* ``livingreview check`` with no load cache (*cold*: the cache folder removed first) and from it (*warm*).

Then the whole matrix is built once (``build --no-pdf --jobs 2``) and, in each round, a no-op build
on each path: plain, ``--only synthetic-01/all``, ``--explain`` and ``plan --no-pdf``. Medians;
ratios are per round, then the median. Both checks run copies of the code taken at the start.
The figures replace the "Loading and no-op builds" section of benchmarks/RESULTS.md. Targets
(recorded, not asserted): ``check`` no slower than the bare parse; every no-op within 1 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_synthesis import write_section  # noqa: E402
from scale import machine  # noqa: E402
from synthetic import generate, hypothesis_id  # noqa: E402

HEADING = "## Loading and no-op builds"
CACHE = ".livingreview-cache"
BARE = """import pathlib, sys, yaml
for path in sorted(pathlib.Path(sys.argv[1], "reviews", "notes").glob("*.yml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""
CLI = "import sys\nfrom livingreview.cli import main\nsys.exit(main())\n"
BEFORE = "9bf61f0"  # the main branch before the load cache and the manifest's answers


def code_at(rev: str | None, folder: Path) -> dict[str, str]:
    """The package's code (the working tree's, or *rev*'s) copied into *folder*; the environment that runs it."""
    if rev is None:
        shutil.copytree(HERE.parent / "src" / "livingreview", folder / "livingreview", ignore=shutil.ignore_patterns("__pycache__"))
    else:
        folder.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", rev, "src/livingreview"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "--strip-components=1", "-C", str(folder)], input=archive, check=True)
    env = {**os.environ, "PYTHONPATH": str(folder), "PYTHONHASHSEED": "0"}
    env.pop("LIVINGREVIEW_SOURCES", None)
    env.pop(("LIVINGREVIEW_CACHE"), None)
    return env


def timed(argv: list[str], env: dict[str, str], ok=(0, 1)) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(argv[:6])}... exited {done.returncode}: {done.stderr[-800:]}")
    return seconds


def measure(works: int, repeat: int, before: str, hypotheses: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="livingreview-loading-") as folder:
        base = Path(folder)
        now, then = code_at(None, base / "now"), code_at(before, base / "then")
        root = generate(base / "review", works, hypotheses, light=True)
        cli = [sys.executable, "-c", CLI, "--root", str(root)]
        times: dict[str, list[float]] = {}

        def add(name: str, seconds: float) -> None:
            times.setdefault(name, []).append(seconds)

        for _ in range(repeat):
            add("bare parse", timed([sys.executable, "-c", BARE, str(root)], now))
            add("check before", timed([*cli, "check"], then))
            shutil.rmtree(root / CACHE, ignore_errors=True)
            add("check cold", timed([*cli, "check"], now))
            add("check warm", timed([*cli, "check"], now))
        add("cold build", timed([*cli, "build", "--no-pdf", "--jobs", "2"], now))
        time.sleep(2.5)  # as a person would come back to it: the outputs have settled (livingreview.filehashes)
        add("no-op: first", timed([*cli, "build", "--no-pdf", "--jobs", "2"], now))
        paths = {"no-op: plain": ["build", "--no-pdf", "--jobs", "2"],
                 "no-op: --only": ["build", "--no-pdf", "--jobs", "2", "--only", f"{hypothesis_id(0)}/all"],
                 "no-op: --explain": ["build", "--no-pdf", "--explain"], "no-op: plan": ["plan", "--no-pdf"]}
        for _ in range(repeat):
            for name, args in paths.items():
                add(name, timed([*cli, *args], now))
    return times


#: where the time goes (profiled by hand with cProfile on the 10,000-work review; update when the code changes)
PROFILE = """\
Where the time goes (cProfile, 10,000 works, shares of one run on the shared machine):

* `check` without the cache: parsing and validating the notes is about half (libyaml's events and building
  the data from them, then the schema), the bibliography (bibtexparser's split) a fifth, saving the cache a
  tenth (pickled in chunks of 500 entries, so an edit re-pickles one chunk), the rules across files, the
  bibliography lint, the synthesis checks and imports the rest. `check` no longer imports pandas (asking
  for the retraction file did, a second under load).
* `check` from the cache (4.4 s, profiled alone): unpickling the notes a third (1.5 s); then the same rules,
  lint and synthesis checks as without it (the bibliography lint 0.8 s, the question register 0.6 s, the
  wording lint 0.6 s, the rules across files 0.6 s), reading and hashing every note 0.4 s, imports 0.4 s.
* Parsing in forked processes was tried and left out: on this machine, shared and loaded (load average
  4 to 5 on 2 cores), it was no faster (9.1 and 10.6 s against 9.0 s sequential for the notes).
* A no-op build on any path (0.75 s, profiled alone): interpreter start-up and imports (0.36 s, most of it
  pydantic and `reviews/build.yml`'s model), the tree fingerprint (0.26 s: a stat of each of the 10,000
  files, their hashes taken from `.livingreview-cache/hashes.json`), reading the manifest (0.08 s); the
  review is not loaded. Before the hashes were remembered the fingerprint read and hashed 40 MB (1.05 s),
  and before the parser stopped importing the note models (for `new --design`), every command paid 0.4 s."""


def section(sizes: list[int], results: dict[int, dict[str, list[float]]], command: str, before: str, hypotheses: int) -> str:
    def med(values: list[float]) -> float:
        return statistics.median(values)

    def ratio(f: dict, name: str) -> float:
        return med([a / b for a, b in zip(f[name], f["bare parse"])])

    check_rows, build_rows = [], []
    for works in sizes:
        f = results[works]
        check_rows.append(f"| {works:,} | {med(f['bare parse']):.2f} | {med(f['check before']):.2f} ({ratio(f, 'check before'):.2f}×) | "
                          f"{med(f['check cold']):.2f} ({ratio(f, 'check cold'):.2f}×) | "
                          f"{med(f['check warm']):.2f} ({ratio(f, 'check warm'):.2f}×) |")
        build_rows.append(f"| {works:,} | {med(f['cold build']):.1f} | {med(f['no-op: first']):.2f} | " + " | ".join(
            f"{med(f[name]):.2f}" for name in ("no-op: plain", "no-op: --only", "no-op: --explain", "no-op: plan")) + " |")
    biggest = results[max(sizes)]
    noops = [med(v) for k, v in biggest.items() if k.startswith("no-op") and k != "no-op: first"]
    verdict = (f"At {max(sizes):,} works: `check` from the cache {ratio(biggest, 'check warm'):.2f}× the bare parse, without it "
               f"{ratio(biggest, 'check cold'):.2f}× (target: at most 1×); the slowest no-op {max(noops):.2f} s "
               f"({'within' if max(noops) <= 1 else 'outside'} the 1 s target).")
    rounds = ", ".join(f"{w / b:.2f}×" for w, b in zip(biggest["check warm"], biggest["bare parse"]))
    verdict += (f" Per round, `check` from the cache against the bare parse: {rounds}. At small sizes `check` is above the bare"
                " parse: its fixed costs (imports, about half a second) are most of it.")
    return "\n".join([
        HEADING, "", command, "", f"Machine: {machine()}.", "",
        "Median wall seconds of fresh processes, interleaved rounds; in brackets the median per-round ratio to the bare "
        "parse (a Python process parsing every note with `yaml.load(text, Loader=yaml.CSafeLoader)`, nothing else). "
        f"*Before*: the code at {before}; *cold*: no load cache (`.livingreview-cache/` removed first); *warm*: "
        f"from it. Synthetic reviews (`benchmarks/synthetic.py --light-notebooks`: {hypotheses} hypotheses × 2 variants, light notebooks; "
        "3 findings per work).",
        "",
        "| works | bare parse (s) | `check` before | `check` cold | `check` warm |",
        "|---:|---:|---:|---:|---:|",
        *check_rows,
        "",
        f"No-op builds after a complete build of the matrix (`build --no-pdf --jobs 2`, {2 * hypotheses} reports), seconds; the "
        "first no-op reads and hashes the new outputs once (`.livingreview-cache/hashes.json`), the others are medians of the rounds:",
        "",
        "| works | cold build | first no-op `build` | no-op `build` | `build --only synthetic-01/all` | `build --explain` | `plan --no-pdf` |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        *build_rows,
        "",
        verdict,
        "",
        PROFILE,
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 6100, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--hypotheses", type=int, default=2)
    parser.add_argument("--before", default=BEFORE, help="the commit whose check is measured as 'before'")
    parser.add_argument("--no-write", action="store_true", help="print the section; leave RESULTS.md alone")
    args = parser.parse_args()
    results = {}
    for works in args.sizes:
        print(f"{works} works...", flush=True)
        results[works] = measure(works, args.repeat, args.before, args.hypotheses)
        for name, values in results[works].items():
            print(f"  {name}: {', '.join(f'{v:.2f}' for v in values)}", flush=True)
    command = (f"`.venv/bin/python benchmarks/bench_loading.py --sizes {' '.join(map(str, args.sizes))} "
               f"--repeat {args.repeat} --hypotheses {args.hypotheses}`")
    text = section(args.sizes, results, command, args.before, args.hypotheses)
    print(text)
    if not args.no_write:
        write_section(text, HEADING)
    return 0


if __name__ == "__main__":
    sys.exit(main())
