"""Write docs/BAD_INPUTS.md: every case of the bad-input corpus with the error it gets.

Run from the repository root: ``.venv/bin/python tests/bad_inputs/make_table.py``. Each case is
run as the test runner runs it, so the table shows the messages the tool prints today.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import corpus

OUT = Path(__file__).resolve().parents[2] / "docs" / "BAD_INPUTS.md"

INTRO = """\
# Bad inputs and the errors they get

Every row is one case of the bad-input corpus in `tests/bad_inputs/cases/`: a minimal valid project
(`tests/bad_inputs/base/`) with one thing broken. `tests/bad_inputs/test_bad_inputs.py` runs each
case through `livingreview check` or `livingreview build` and requires exit status 2, the error
below as the first error (same code, file and line), no traceback, the outputs folder untouched
and no input file changed. Some inputs cause follow-on errors (a bibliography that cannot be read
leaves the notes citing keys that have no entry); the *errors* column counts them all.

To add a case: make a folder in `tests/bad_inputs/cases/` with an `expected.yml` (its format is
described in `tests/bad_inputs/corpus.py`), run the tests, then regenerate this page with
`.venv/bin/python tests/bad_inputs/make_table.py`.

| case | what is wrong | command | error | where | errors | message |
| --- | --- | --- | --- | --- | ---: | --- |
"""


def _cell(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|").replace("\n", " ")


def row(case: corpus.Case) -> str:
    with tempfile.TemporaryDirectory() as folder:
        root, sources = corpus.materialise(case, Path(folder))
        result = corpus.run_case(case, root, sources)
        first = result.errors[0] if result.errors else None
        if first is None:
            return f"| `{case.name}` | {_cell(case.expected['about'])} | {case.command} | — | — | 0 | exit {result.exit}, no error |"
        message = first.text.split(f" {first.code} ", 1)[1].replace(str(root), "<project>").replace(str(sources), corpus.SOURCES_SHOWN)
        file = first.file.replace(str(sources), corpus.SOURCES_SHOWN)
    where = f"{file}:{first.line}" if first.line else file
    return (f"| `{case.name}` | {_cell(case.expected['about'])} | {case.command} | {first.code} | `{_cell(where)}` | "
            f"{len(result.errors)} | {_cell(message)} |")


def main() -> int:
    rows = [row(case) for case in corpus.cases()]
    OUT.write_text(INTRO + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(rows)} cases)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
