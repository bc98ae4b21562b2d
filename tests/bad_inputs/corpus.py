"""The bad-input corpus as data: a minimal valid project (``base/``) and one folder per case (``cases/``).

A case folder holds ``expected.yml`` and, optionally, files that replace or add to the project's
(``_sources/`` replaces or adds source texts instead). ``expected.yml``::

    about: one line saying what is malformed (shown in docs/BAD_INPUTS.md)
    command: check            # or build
    sources: false            # true: pass --sources <the case's source texts>
    args: []                  # more command-line arguments
    edit:                     # replace the first occurrence of `old` by `new` in a project file
      - {path: reviews/notes/doe2020.yml, old: "design: case-control", new: "design: case-controll"}
    write:                    # files made here rather than stored (encodings, huge or binary content)
      - path: bib/references.bib
        text: "...@@FILL@@..."  # `fill` replaces @@FILL@@ with `times` copies of `unit`
        fill: {unit: "a", times: 1048576}
        encoding: latin-1     # default utf-8; or `hex: "00ff..."` for raw bytes
    copy: {reviews/notes/doe2020.yml: reviews/notes/extra.yml}     # also: rename
    delete: [notebooks/example-fatigue.ipynb]                      # paths under _sources/ are source texts
    fifo: [reviews/notes/doe2020.yml]     # replaced by (or made as) named pipes
    symlink:                              # replaced by (or made as) symbolic links to the target as written:
      reviews/notes/doe2020.yml: /dev/zero                         # absolute, or relative to the link's folder
    not_printed: ["root:x:"]              # text that must appear nowhere in what the command prints
    changes: [reviews/quote-record.json]  # files the command may rewrite (tool-written records)
    exit: 2
    code: BIB002              # the first error diagnostic...
    file: bib/references.bib  # ...names this file
    line: 8                   # ...and this 1-based line (null: the whole file)
    message: is not closed    # ...and says this (in its message or hint); `<sources>` in `file` stands
                              # for the source texts' folder (a source text is named by its path)
    errors: 1                 # how many error diagnostics (default 1)

Paths starting with ``_outside/`` are in a folder next to the project's copy, outside it (what a
link can point to: ``../../outside/notes.yml`` from ``reviews/notes/``).

:func:`run_case` copies ``base/`` into a folder, applies the case, seeds ``outputs/`` with a
sentinel tree, and runs ``livingreview.cli.main`` in-process, returning what it printed and the
diagnostics parsed from it. A case that makes named pipes or links (which, read carelessly, block
forever or fill memory) runs in a child process instead, limited to :data:`CHILD_SECONDS` and
:data:`CHILD_MEMORY` bytes of address space, so that a regression fails instead of hanging.
The test runner and ``make_table.py`` both use it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
BASE = HERE / "base"
CASES = HERE / "cases"
SOURCES = "_sources"
OUTSIDE = "_outside"
SOURCES_SHOWN = "<sources>"  # how expected.yml and docs/BAD_INPUTS.md name the source texts' folder
FILL = "@@FILL@@"
#: a case run in a child process fails when the command takes longer or needs more address space
CHILD_SECONDS = 90
CHILD_MEMORY = 2 * 1024**3

#: what the outputs folder holds before each case runs; it must hold exactly this afterwards
SENTINEL_OUTPUTS = {
    "sentinel.txt": b"written before the case ran; must survive it byte for byte\n",
    "manifest.json": b'{"schema": "livingreview/manifest@1", "files": {}, "reports": {}}\n',
    "example-fatigue/all/report.html": b"<html><body>a previous report</body></html>\n",
}

_DIAGNOSTIC_LINE = re.compile(
    r"^(?P<file>\S.*?)(?::(?P<line>\d+))?: (?P<severity>error|warning) (?P<code>[A-Z]+[0-9]+)"
    r"(?: \[(?:[^\[\]]|\[[^\]]*\])*\])? (?P<message>.*?)(?: — (?P<hint>.*))?$"
)


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    expected: dict

    @property
    def command(self) -> str:
        return self.expected.get("command", "check")

    @property
    def isolated(self) -> bool:
        """Whether the case runs in a child process (it makes named pipes or links)."""
        return bool(self.expected.get("fifo") or self.expected.get("symlink"))


@dataclass(frozen=True)
class Found:
    """One diagnostic as the command printed it."""

    severity: str
    code: str
    file: str
    line: int | None
    message: str
    text: str  # the whole printed line (message, field and hint)


@dataclass
class Result:
    exit: int
    stdout: str
    stderr: str
    diagnostics: list[Found] = field(default_factory=list)

    @property
    def errors(self) -> list[Found]:
        return [d for d in self.diagnostics if d.severity == "error"]


def cases() -> list[Case]:
    """Every case, in name order."""
    out = []
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        expected = yaml.safe_load((folder / "expected.yml").read_text(encoding="utf-8"))
        out.append(Case(folder.name, folder, expected))
    return out


def _overlay(source: Path, target: Path) -> None:
    for path in sorted(source.rglob("*")):
        if path.is_file():
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)


def _content(spec: dict) -> bytes:
    if "hex" in spec:
        return bytes.fromhex(spec["hex"])
    text = spec["text"]
    if "fill" in spec:
        text = text.replace(FILL, spec["fill"]["unit"] * spec["fill"]["times"])
    return text.encode(spec.get("encoding", "utf-8"))


def _place(root: Path, sources: Path, relative: str) -> Path:
    """A path of the case: under the project, under the source texts when it starts with ``_sources/``,
    or next to the project when it starts with ``_outside/``."""
    head, _, rest = relative.partition("/")
    if head == SOURCES:
        return sources / rest
    if head == OUTSIDE:
        return root.parent / "outside" / rest
    return root / relative


def _make_special(case: Case, place) -> None:
    """The case's named pipes and links, each replacing the file (or link) at its path."""
    for relative in case.expected.get("fifo", []):
        target = place(relative)
        target.unlink(missing_ok=True)
        os.mkfifo(target)
    for relative, points_to in case.expected.get("symlink", {}).items():
        target = place(relative)
        target.unlink(missing_ok=True)
        target.symlink_to(points_to)


def materialise(case: Case, where: Path) -> tuple[Path, Path]:
    """Make the case's project (and its source texts) under *where*: ``(root, sources)``."""
    root, sources = where / "project", where / "sources"
    shutil.copytree(BASE, root, ignore=shutil.ignore_patterns(SOURCES))
    shutil.copytree(BASE / SOURCES, sources)
    for path in sorted(case.folder.iterdir()):
        if path.name == SOURCES:
            _overlay(path, sources)
        elif path.is_dir():
            _overlay(path, root / path.name)
        elif path.name != "expected.yml":
            shutil.copyfile(path, root / path.name)
    place = functools.partial(_place, root, sources)
    for old, new in case.expected.get("copy", {}).items():
        shutil.copyfile(place(old), place(new))
    for old, new in case.expected.get("rename", {}).items():
        place(new).parent.mkdir(parents=True, exist_ok=True)
        place(old).rename(place(new))
    for spec in case.expected.get("edit", []):
        target = place(spec["path"])
        text = target.read_text(encoding="utf-8")
        if spec["old"] not in text:
            raise ValueError(f"{case.name}: {spec['old']!r} is not in {spec['path']}")
        target.write_text(text.replace(spec["old"], spec["new"], 1), encoding="utf-8")
    for spec in case.expected.get("write", []):
        target = place(spec["path"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_content(spec))
    for relative in case.expected.get("delete", []):
        place(relative).unlink()
    _make_special(case, place)
    for relative, data in SENTINEL_OUTPUTS.items():
        target = root / "outputs" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root, sources


def tree_hashes(folder: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file below *folder* (hidden ones too)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def argv(case: Case, root: Path, sources: Path) -> list[str]:
    args = ["--root", str(root), case.command]
    if case.command == "check":
        args += ["--format", "json"]
    if case.expected.get("sources"):
        args += ["--sources", str(sources)]
    return args + [str(a) for a in case.expected.get("args", [])]


def parse_text(text: str) -> list[Found]:
    """Diagnostics printed one per line as ``file:line: severity CODE ...``."""
    out = []
    for raw in text.splitlines():
        match = _DIAGNOSTIC_LINE.match(raw.removeprefix("livingreview: "))
        if match:
            line = int(match["line"]) if match["line"] else None
            out.append(Found(match["severity"], match["code"], match["file"], line, match["message"], raw))
    return out


def parse_json(text: str) -> list[Found]:
    """Diagnostics of ``check --format json``."""
    from livingreview.diagnostics import Diagnostic, Severity

    out = []
    for d in json.loads(text)["diagnostics"]:
        shown = Diagnostic(file=d["file"], line=d["line"], code=d["code"], message=d["message"],
                           severity=Severity(d["severity"]), key=d["key"], field=d["field"], hint=d["hint"])
        out.append(Found(d["severity"], d["code"], d["file"], d["line"], d["message"], shown.format()))
    return out


def run_case(case: Case, root: Path, sources: Path) -> Result:
    """Run the case's command against *root* (in-process, or in a child for an isolated case);
    stdout and stderr are captured."""
    result = _in_child(case, root, sources) if case.isolated else _in_process(case, root, sources)
    return _parsed(case, result)


def _in_process(case: Case, root: Path, sources: Path) -> Result:
    from livingreview.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    saved = os.environ.pop("LIVINGREVIEW_SOURCES", None)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(argv(case, root, sources))
    finally:
        if saved is not None:
            os.environ["LIVINGREVIEW_SOURCES"] = saved
    return Result(code, stdout.getvalue(), stderr.getvalue())


class CaseHung(AssertionError):
    """An isolated case's command did not finish in :data:`CHILD_SECONDS`."""


def _limit_memory() -> None:  # runs in the child, before the command
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


def _in_child(case: Case, root: Path, sources: Path) -> Result:
    env = {k: v for k, v in os.environ.items() if k not in ("LIVINGREVIEW_SOURCES", "LIVINGREVIEW_ROOT")}
    command = [sys.executable, "-m", "livingreview", *argv(case, root, sources)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=CHILD_SECONDS,
                              preexec_fn=_limit_memory, check=False)
    except subprocess.TimeoutExpired:
        raise CaseHung(f"{case.name}: `livingreview {case.command}` did not finish in {CHILD_SECONDS} s") from None
    return Result(done.returncode, done.stdout, done.stderr)


def _parsed(case: Case, result: Result) -> Result:
    json_out = case.command == "check" and result.stdout.lstrip().startswith("{")
    result.diagnostics = parse_json(result.stdout) if json_out else parse_text(result.stderr + "\n" + result.stdout)
    return result
