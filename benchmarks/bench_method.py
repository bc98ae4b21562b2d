"""How long the screening check, the PRISMA counts and the flow diagram take on a large screening record.

    .venv/bin/python benchmarks/bench_method.py [--records 20000] [--repeat 3]

Writes a fictional project into a temporary folder: a search log of three searches and a screening
record of ``--records`` rows (one in ten a duplicate, one in five of the rest excluded at
title/abstract, a few not retrieved or excluded at full text). Times, best of ``--repeat`` runs,
the check, the counts, the SVG diagram and the exclusions table, and writes the figures under the
"Method: search and screening" heading of benchmarks/RESULTS.md, leaving other sections alone.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_synthesis import best, write_section  # noqa: E402

from livingreview.method import prisma, screening, search  # noqa: E402
from livingreview.project import Project  # noqa: E402

HEADING = "## Method: search and screening"
SEARCHES = ("register", "handsearch", "citations")
REASONS = ("not about fatigue mechanisms", "wrong population", "duplicate publication")


def decisions(i: int) -> dict[str, str]:
    if i % 10 == 9:
        return {"duplicate_of": f"gen{i - 1}"}
    if i % 5 == 0:
        return {"title_abstract": "exclude", "exclusion_reason": REASONS[i % 3]}
    if i % 17 == 0:
        return {"title_abstract": "include", "full_text": "not-retrieved"}
    if i % 7 == 0:
        return {"title_abstract": "include", "full_text": "exclude", "exclusion_reason": REASONS[i % 3]}
    return {"title_abstract": "include", "full_text": "include"}


def generate(root: Path, n_records: int) -> tuple[Project, set[str]]:
    rows = [{"record": f"gen{i}", "search": SEARCHES[i % 3], "notes": "generated", **decisions(i)} for i in range(n_records)]
    (root / "reviews").mkdir(parents=True)
    (root / "reviews/build.yml").write_text("title: Generated\nauthors: [Jane Doe]\nvariants:\n  - name: all\n    title: All\n")
    searches = "".join(
        f"  - id: {name}\n    source: other\n    title: Generated search {name}\n    method: generated\n    date: 2020-01-01\n"
        f"    run_by: Jane Doe\n    records: {sum(r['search'] == name for r in rows)}\n" for name in SEARCHES)
    reasons = "".join(f"  - {reason}\n" for reason in REASONS)
    (root / "reviews/search.yml").write_text(f"exclusion_reasons:\n{reasons}searches:\n{searches}")
    with (root / "reviews/screening.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=screening.COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    included = {r["record"] for r in rows if r.get("full_text") == "include" and not r.get("duplicate_of")}
    return Project(root), included


def measure(n_records: int, repeat: int) -> list[tuple[str, float]]:
    with tempfile.TemporaryDirectory() as folder:
        project, included = generate(Path(folder) / "review", n_records)
        types = dict.fromkeys(included, "primary")
        found = screening.check(project, note_keys=included, bib_keys=included)
        assert found == [], found[:3]
        counts = screening.counts(project, source_types=types)
        log = search.load(project)
        return [
            ("check: read both files, every rule, notes and bibliography coverage",
             best(repeat, lambda: screening.check(project, note_keys=included, bib_keys=included))),
            ("counts from the rows", best(repeat, lambda: screening.counts(project, source_types=types))),
            ("flow diagram (SVG)", best(repeat, lambda: prisma.flow_svg(counts))),
            ("methods paragraph", best(repeat, lambda: prisma.methods_paragraph(counts, log.searches))),
            ("exclusions table (HTML)", best(repeat, lambda: prisma.excluded_table_html(project))),
        ]


def section(n_records: int, repeat: int, figures: list[tuple[str, float]]) -> str:
    lines = [HEADING, "",
             f"`.venv/bin/python benchmarks/bench_method.py --records {n_records} --repeat {repeat}` — generated screening "
             f"record of {n_records} rows from 3 searches; best of {repeat} runs; "
             f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores.", "",
             "| step | seconds |", "|---|---:|"]
    lines += [f"| {name} | {seconds:.3f} |" for name, seconds in figures]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = section(args.records, args.repeat, measure(args.records, args.repeat))
    print(text)
    write_section(text, HEADING)


if __name__ == "__main__":
    main()
