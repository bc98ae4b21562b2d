"""Coverage-guided fuzzing of the loaders with atheris: any exception other than the project's own is a crash.

    .venv/bin/pip install atheris==2.3.0     # a benchmark-only tool: not a dependency of the package
    .venv/bin/python benchmarks/fuzz_loaders.py [--seconds 300]

One input feeds one of four targets, chosen by its first byte: the bibliography loader and lint
(the bytes as a .bib file), safe YAML plus the note schema, safe YAML plus the hypothesis schema,
and quote matching (half the bytes as a source text, half as a quote). The fuzzer starts from the
valid files of the bad-input corpus and runs in child processes (libFuzzer stops at the first
crash, keeping the input in a temporary folder; an input whose crash does not repeat without the
instrumentation is counted as an artefact and fuzzing resumes) and runs a copy of the package's code taken at
the start, as the other benchmarks do; this script reads its figures and replaces the "Fuzz" section of
benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BASE = REPO / "tests" / "bad_inputs" / "base"
TARGETS = ("bibliography", "note", "hypothesis", "quote")
SEEDS = {
    "bibliography": ["bib/references.bib"],
    "note": ["reviews/notes/doe2020.yml", "reviews/notes/roe2018.yml"],
    "hypothesis": ["reviews/hypotheses/example-fatigue.yml"],
    "quote": ["_sources/doe2020.txt"],
}


def _child(libfuzzer_args: list[str], replay: list[Path]) -> None:
    """Fuzz (instrumented), or with *replay* run those inputs once, uninstrumented, and raise on a crash."""
    import contextlib

    import atheris

    instrumented = contextlib.nullcontext() if replay else atheris.instrument_imports(include=["livingreview"])
    with instrumented:
        from livingreview import textfile, yamlio
        from livingreview.bib.lint import lint
        from livingreview.bib.load import load_bibliography
        from livingreview.errors import LivingReviewError
        from livingreview.notes.load import validate_data
        from livingreview.notes.model import Hypothesis, Note
        from livingreview.notes.quotes import Source

    folder = Path(tempfile.mkdtemp(prefix="livingreview-fuzz-"))
    bib = folder / "refs.bib"

    def bibliography(data: bytes) -> None:
        bib.write_bytes(data)
        entries, _ = load_bibliography([bib], root=folder)
        for entry in entries.values():
            dict(entry.fields), entry.authors, entry.year, entry.doi
        list(lint(entries, {key: [("x.yml", 1)] for key in entries}))

    yml = folder / "x.yml"

    def schema(model):
        def target(data: bytes) -> None:
            yml.write_bytes(data)  # read as a file is read: UTF-8 or an error, NUL bytes refused
            try:
                parsed = yamlio.load_file(yml, "x.yml", scope=textfile.Scope.of(folder, 4))
            except LivingReviewError:
                return
            validate_data(parsed, model, "x.yml", "X001", "x")
        return target

    def quote(data: bytes) -> None:
        half = len(data) // 2
        try:
            source = Source.from_bytes(data[:half])
        except UnicodeDecodeError:
            return
        needle = data[half:].decode("utf-8", errors="replace")
        source.find(needle)
        source.nearest(needle)

    run = [bibliography, schema(Note), schema(Hypothesis), quote]

    def one_input(data: bytes) -> None:
        if not data:
            return
        try:
            run[data[0] % len(run)](data[1:])
        except LivingReviewError:
            pass

    if replay:
        for path in replay:
            one_input(path.read_bytes())
        return
    atheris.Setup([sys.argv[0], *libfuzzer_args], one_input)
    atheris.Fuzz()


def _seed_corpus(folder: Path) -> None:
    for index, target in enumerate(TARGETS):
        for n, relative in enumerate(SEEDS[target]):
            data = (BASE / relative).read_bytes()
            if target == "quote":
                data = data + b'the marker was "clearly higher" in'
            (folder / f"{target}-{n}").write_bytes(bytes([index]) + data)


@dataclass
class Session:
    runs: int
    seconds: float
    coverage: str
    crash: str | None = None
    data: bytes = b""
    reproduced: bool = False


def _fuzz(folder: Path, corpus: Path, artifacts: Path, env: dict[str, str], budget: float) -> list[Session]:
    """Fuzz for *budget* seconds in sessions, resuming after each crash the uninstrumented replay does not repeat."""
    sessions: list[Session] = []
    while budget - sum(s.seconds for s in sessions) >= 5:
        shutil.rmtree(artifacts, ignore_errors=True)
        artifacts.mkdir()
        left = int(budget - sum(s.seconds for s in sessions))
        start = time.perf_counter()
        done = subprocess.run([sys.executable, __file__, "--child", f"-max_total_time={left}", "-max_len=4096",
                               "-print_final_stats=1", f"-artifact_prefix={artifacts}/", str(corpus)],
                              cwd=folder, env=env, capture_output=True, text=True)
        log = done.stdout + done.stderr
        runs = re.search(r"stat::number_of_executed_units:\s*(\d+)", log) or re.search(r"Done (\d+) runs", log)
        coverage = re.findall(r"cov: (\d+)", log)
        session = Session(int(runs.group(1)) if runs else 0, time.perf_counter() - start, coverage[-1] if coverage else "?")
        sessions.append(session)
        crash_files = sorted(artifacts.iterdir())
        if done.returncode == 0 or not crash_files:
            break
        trace = re.search(r"(=== Uncaught Python exception: ===\n(?:.*\n){1,14})", log)
        session.crash, session.data = (trace.group(1) if trace else log[-1500:]), crash_files[0].read_bytes()
        replay = subprocess.run([sys.executable, __file__, "--child", "--replay", str(crash_files[0])], cwd=folder, env=env,
                                capture_output=True, text=True)
        session.reproduced = replay.returncode != 0
        if session.reproduced:
            break
    return sessions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--replay", type=Path, nargs="*", default=[], help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="print the section; leave RESULTS.md alone")
    args, rest = parser.parse_known_args()
    if args.child:
        _child(rest, args.replay)
        return 0
    try:
        import atheris  # noqa: F401
    except ImportError:
        print("atheris is not installed: .venv/bin/pip install atheris==2.3.0", file=sys.stderr)
        return 2
    sys.path.insert(0, str(HERE))
    from bench_synthesis import write_section
    from scale import frozen_code, machine

    with tempfile.TemporaryDirectory(prefix="livingreview-fuzz-") as folder:
        corpus, artifacts = Path(folder) / "corpus", Path(folder) / "crashes"
        corpus.mkdir()
        _seed_corpus(corpus)
        env = frozen_code(Path(folder) / "code")  # the code as it is now, whatever is edited meanwhile
        sessions = _fuzz(Path(folder), corpus, artifacts, env, args.seconds)
    executed = sum(s.runs for s in sessions)
    wall = sum(s.seconds for s in sessions)
    real = [s for s in sessions if s.crash is not None and s.reproduced]
    artefacts = [s for s in sessions if s.crash is not None and not s.reproduced]
    lines = [
        "## Fuzz",
        "",
        f"`.venv/bin/python benchmarks/fuzz_loaders.py --seconds {args.seconds}` (atheris 2.3.0, libFuzzer, coverage-guided; "
        "seeds: the valid files of the bad-input corpus).",
        "",
        f"Machine: {machine()}.",
        "",
        "| targets | runs | time | runs per second | edges covered | crashes | instrumentation artefacts |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| {', '.join(TARGETS)} | {executed:,} | {wall:.0f} s | {executed / max(wall, 1):,.0f} | {sessions[-1].coverage} | "
        f"{len(real)} | {len(artefacts)} |",
        "",
        "libFuzzer stops at a crash; the script replays the input once without atheris's bytecode instrumentation. "
        "A crash that does not repeat there is counted as an instrumentation artefact (under atheris 2.3.0's instrumented "
        "bytecode the loaders raised errors their code cannot raise, such as a local variable unbound on a path that "
        "assigns it) and fuzzing resumes from the corpus built so far; a crash that repeats ends the run.",
    ]
    for label, found in (("Crash", real[:1]), ("First artefact", artefacts[:1])):
        for session in found:
            lines += ["", f"{label}:", "", "```", session.crash.rstrip(), "```", "",
                      f"Input (target byte, then up to 300 bytes): `{session.data[:300]!r}`"]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(text, "## Fuzz")
    return 1 if real else 0


if __name__ == "__main__":
    sys.exit(main())
