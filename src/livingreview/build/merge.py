"""``livingreview publish --merge DIR…``: the outputs of several partial builds published as one.

Each DIR is an outputs folder that ``livingreview build --only HYPOTHESIS/VARIANT`` published,
on this machine or another. The merge is the build's last steps with the kernels' work taken
from those folders, so the outputs folder ends up byte for byte as one build of the whole
matrix would leave it:

1. every DIR is an outputs folder a build published, every file its ``manifest.json`` lists has
   the recorded hash, and a report folder holds no file the manifest does not list;
2. two DIRs holding the same report hold the same bytes (else both are named);
3. the review is loaded and planned as the build plans it: a report whose copy was built from
   other inputs than this checkout's (another commit, other options or packages) is refused,
   naming what differs; a report of the matrix that no DIR holds must be up to date in the
   outputs folder (it is then reused, as a build would reuse it);
4. the reports are copied into a staging folder and published with the build's own atomic
   publish, manifest, changelog, index, register and build report regenerated.

Every problem is found before anything is written; each is a diagnostic (exit 2).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import livingreview

from .. import fingerprint
from ..diagnostics import Diagnostic, error
from ..errors import ConfigError
from ..project import Project
from ..sources import Sources
from . import cache, changelog, execute, manifest, publish, shortcut
from .options import BuildOptions
from .plan import make_plan
from .run import Planned, build_report, plan_reports, publish_outputs


@dataclass(frozen=True)
class MergeOptions:
    folders: list[Path]
    sources: Sources | Path | None = None
    pdf: bool = True
    outputs: Path | None = None
    previous: Path | None = None
    retractions: Path | None = None

    def build_options(self) -> BuildOptions:
        """The build whose outputs the merge publishes (its keys, its tree fingerprint)."""
        return BuildOptions(sources=self.sources, pdf=self.pdf, outputs=self.outputs, previous=self.previous,
                            retractions=self.retractions)


@dataclass(frozen=True)
class Copy:
    """One report as a merged folder holds it, verified against that folder's manifest."""

    folder: Path
    name: str
    record: dict  # the report's entry in the folder's manifest
    files: dict[str, str]  # its files, ``name/file`` -> sha256
    entry: dict  # its entry in that build's build-report.json: its warnings, its phases' figures (:mod:`.timing`)

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the build that made it kept out of it."""
        return tuple(self.entry.get("warnings", ()))


def _where(folder: Path, path: str = "") -> str:
    return f"{folder.as_posix()}/{path}" if path else folder.as_posix()


def read_folder(folder: Path, outputs: Path) -> tuple[dict | None, list[Diagnostic]]:
    """The manifest of merged folder *folder*, or None and why it is not a published outputs folder."""
    def refuse(message: str, hint: str = "name a folder `livingreview build --only …` published") -> tuple[None, list]:
        return None, [error("BLD010", _where(folder), None, message, hint=hint)]

    if not folder.is_dir():
        return refuse("no such folder" if not folder.exists() else "is a file, not a folder")
    resolved = folder.resolve()
    if resolved == outputs or resolved.is_relative_to(outputs) or outputs.is_relative_to(resolved):
        return refuse(f"is, or lies inside or around, the outputs folder {outputs} the merge writes",
                      hint="merge folders kept apart from the outputs folder (e.g. downloaded artifacts)")
    try:
        data = json.loads((folder / manifest.NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return refuse(f"holds no {manifest.NAME}, so it is not an outputs folder a build published")
    except (OSError, ValueError) as exc:
        return refuse(f"its {manifest.NAME} cannot be read ({exc})")
    if not isinstance(data, dict) or data.get("schema") != manifest.SCHEMA or not isinstance(data.get("reports"), dict) \
            or not isinstance(data.get("files"), dict):
        return refuse(f"its {manifest.NAME} is not a livingreview manifest ({manifest.SCHEMA})")
    return data, []


def verify(folder: Path, recorded: dict) -> list[Diagnostic]:
    """Files of *folder* that are missing or changed since its manifest recorded them, and files of its
    report folders that the manifest does not list."""
    problems = [error("BLD011", _where(folder, path), None, "differs from the hash its manifest.json records"
                      if (folder / path).is_file() else "is listed in its manifest.json but missing",
                      hint="download the folder again, or build the report again")
                for path, digest in sorted(recorded["files"].items())
                if not (folder / path).is_file() or fingerprint.sha256_file(folder / path) != digest]
    for name in sorted(recorded["reports"]):
        on_disk = manifest.folder_hashes(folder / name, name) if (folder / name).is_dir() else {}
        problems += [error("BLD011", _where(folder, path), None, "is not listed in its manifest.json",
                           hint="remove it: only what the build published is merged") for path in sorted(on_disk)
                     if path not in recorded["files"]]
    return problems


def _entries(folder: Path) -> dict[str, dict]:
    """Per report, what the build that published *folder* recorded of it (its build-report.json):
    the warnings it printed, the figures of its phases."""
    reports = manifest.read_build_report(folder).get("reports")
    return {name: entry for name, entry in reports.items() if isinstance(entry, dict)} if isinstance(reports, dict) else {}


def collect(folders: list[Path], outputs: Path) -> dict[str, Copy]:
    """Every report the folders hold, each verified and held once; ConfigError listing every problem."""
    copies: dict[str, Copy] = {}
    problems: list[Diagnostic] = []
    for folder in folders:
        recorded, refused = read_folder(folder, outputs)
        if recorded is None:
            problems += refused
            continue
        problems += verify(folder, recorded)
        entries = _entries(folder)
        for name, record in sorted(recorded["reports"].items()):
            copy = Copy(folder, name, record, manifest.report_files(recorded, name), entries.get(name, {}))
            first = copies.setdefault(name, copy)
            if first.files != copy.files:
                problems.append(_conflict(first.folder, first.files, copy))
    if problems:
        raise ConfigError(problems, summary="the folders cannot be merged; nothing was published")
    return copies


def _conflict(first: Path, theirs: dict[str, str], copy: Copy) -> Diagnostic:
    """*copy* differs from the copy of the same report in folder *first* (its files: *theirs*)."""
    differ = sorted(p for p in set(theirs) | set(copy.files) if theirs.get(p) != copy.files.get(p))
    shown = ", ".join(differ[:3]) + (f" and {len(differ) - 3} more" if len(differ) > 3 else "")
    return error("BLD012", _where(copy.folder, copy.name), None,
                 f"{_where(first)} and {_where(copy.folder)} hold different copies of {copy.name} ({shown})",
                 hint="merge one copy: build each report once, from one commit")


def decide(planned: list[Planned], copies: dict[str, Copy], outputs: Path, previous: dict) -> list[Diagnostic]:
    """What stops the merge: a copy built from other inputs or of no report of the matrix, a copy that
    differs from the up-to-date report in the outputs folder, a report neither merged nor up to date."""
    problems = []
    names = {p.name for p in planned}
    for name, copy in sorted(copies.items()):
        if name not in names:
            problems.append(error("BLD013", _where(copy.folder, name), None,
                                  f"{name} is not a report of the matrix of reviews/build.yml",
                                  hint="merge the outputs of builds of this checkout"))
    for p in planned:
        copy = copies.get(p.name)
        if copy is not None and copy.record.get("key") != p.key:
            why = "; ".join(cache.reasons(copy.record.get("inputs"), p.inputs)) or "its cache key differs"
            problems.append(error("BLD013", _where(copy.folder, p.name), None,
                                  f"{p.name} was built from other inputs than this checkout's ({why})",
                                  hint="build it at this commit, with the same options (--no-pdf, --sources) and packages"))
        elif copy is not None and not p.reasons and copy.files != manifest.report_files(previous, p.name):
            problems.append(_conflict(outputs, manifest.report_files(previous, p.name), copy))
        elif copy is None and p.reasons:
            problems.append(error("BLD014", p.name, None,
                                  f"no merged folder holds {p.name}, and {outputs} holds no up-to-date copy "
                                  f"({'; '.join(p.reasons)})",
                                  hint=f"build it (`livingreview build --only {p.name}`) and merge its outputs too"))
    return problems


def merge(project: Project, options: MergeOptions) -> int:
    """Publish the reports of *options.folders* (and the up-to-date rest) as one build would; 0 when done."""
    outputs = Path(options.outputs or project.outputs_dir).resolve()
    since = outputs if options.previous is None else changelog.previous_outputs(Path(options.previous), outputs)
    build = options.build_options()
    copies = collect(list(options.folders), outputs)
    tree = shortcut.tree_fingerprint(project, build)  # as the build records it: taken before loading
    review = livingreview.load(project, sources=options.sources, retractions=options.retractions)
    matrix = make_plan(project, review.hypotheses)
    with publish.writing(outputs), publish.exclusive(outputs):
        for name in publish.recover(outputs):
            print(f"restored {name}: a previous build was interrupted while publishing it")
        previous = manifest.read(outputs)
        planned = plan_reports(review, matrix, previous, outputs, build)
        problems = decide(planned, copies, outputs, previous)
        if problems:
            raise ConfigError(problems, summary="the folders cannot be merged; nothing was published")
        merged = [p for p in planned if p.reasons]
        staging = publish.Staging(outputs)
        try:
            for p in merged:
                shutil.copytree(copies[p.name].folder / p.name, staging / p.name)
                publish.clear_failed(outputs, p.name)
            outcomes = [execute.Outcome(p.name, warnings=copies[p.name].warnings) for p in merged]
            # each report keeps the figures of the build that made it: a merged one its partial build's
            last = {"reports": {**manifest.read_build_report(outputs).get("reports", {}),
                                **{p.name: copies[p.name].entry for p in merged}}}
            notes = publish_outputs(project, matrix, merged, previous, staging, build_report(planned, outcomes, {}, last),
                                    review, tree=tree, since=since, reused=[p for p in planned if not p.reasons])
        finally:
            staging.discard()
    print_summary(planned, copies, notes, outputs)
    return 0


def print_summary(planned: list[Planned], copies: dict[str, Copy], notes: list[str], outputs: Path) -> None:
    for p in planned:
        print(f"merged  {p.name} (from {_where(copies[p.name].folder)})" if p.reasons else f"reused  {p.name}")
        for warning in copies[p.name].warnings if p.reasons else ():
            print(f"warning {warning}")
    for note in notes:
        print(note)
    merged = sum(1 for p in planned if p.reasons)
    print(f"{merged} merged, {len(planned) - merged} reused; outputs in {outputs}")
