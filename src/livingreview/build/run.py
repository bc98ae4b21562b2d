"""``livingreview build``: plan -> cache -> execute -> bundle -> publish, in that order.

The review is loaded once, in-process, to select each report's works and compute its cache
key; a report whose key and files are unchanged is reused without starting a kernel.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

import livingreview

from .. import fingerprint
from ..review import Selection, snapshot_bytes
from ..diagnostics import error
from ..method.screening_decisions import refuse_unresolved
from ..errors import ConfigError
from ..atomic import write_text
from ..pages import fragment
from ..project import Project
from . import bundle, cache, changelog, execute, executors, index, manifest, publish, shortcut, timing
from .options import BuildOptions
from .plan import Target, make_plan, select_only

BUILD_REPORT = manifest.BUILD_REPORT
BUILD_REPORT_SCHEMA = manifest.BUILD_REPORT_SCHEMA
REGISTER_HTML = "open-questions.html"
REGISTER_CSV = "open-questions.csv"
REGISTER_JSON = changelog.REGISTER_JSON


@dataclass(frozen=True)
class Planned:
    """A report of this build: what it reads, its key, and why it must be rebuilt (empty: reuse)."""

    target: Target
    bundle: bundle.Bundle
    inputs: dict[str, str]
    key: str
    reasons: list[str]
    #: the report's works and findings (made once; the references, the prose's citations and the data read it)
    selection: Selection

    @property
    def name(self) -> str:
        return self.target.name


def expected_files(pdf: bool) -> set[str]:
    files = {execute.NOTEBOOK, execute.HTML, *bundle.FILES}
    return files | {execute.PDF} if pdf else files


def workers(options: BuildOptions, project: Project) -> int:
    if options.jobs is not None and options.jobs < 1:
        raise ConfigError([error("BLD006", "--jobs", None, f"--jobs must be at least 1 (got {options.jobs})")])
    return options.jobs or project.config.jobs or os.cpu_count() or 1


def rebuild_reasons(previous: dict, outputs: Path, name: str, inputs: dict[str, str], key: str, options: BuildOptions) -> list[str]:
    """Why report *name* must be rebuilt; empty when its recorded key and files are intact."""
    if options.force:
        return ["--force"]
    record = previous["reports"].get(name)
    if record is None:
        return ["never built"]
    if record.get("key") != key:
        return cache.reasons(record.get("inputs"), inputs) or ["its cache key changed"]
    damaged = manifest.damaged(outputs, previous, name, expected_files(options.pdf))
    return [f"outputs missing or changed since the last build: {', '.join(damaged)}"] if damaged else []


def plan_reports(review, targets: list[Target], previous: dict, outputs: Path, options: BuildOptions) -> list[Planned]:
    """Select each report's works (in-process) and decide reuse or rebuild."""
    env = cache.Environment(review.project, sources=options.sources, pdf=options.pdf)
    out = []
    for target in targets:
        selection = review.select(target.parameters)
        made = bundle.make_bundle(selection)
        inputs = cache.target_inputs(env, target, selection)
        key = cache.cache_key(inputs)
        out.append(Planned(target, made, inputs, key, rebuild_reasons(previous, outputs, target.name, inputs, key, options),
                           selection))
    return out


def explain(planned: list[Planned], last: dict | None = None) -> None:
    """Per report, rebuild (and why) or reuse; with *last* (a build report), the phases of the build that last made it."""
    for p in planned:
        if p.reasons:
            print(f"{p.name}: rebuild — {'; '.join(p.reasons)}")
        else:
            print(shortcut.reuse_line(p.name, p.key))
        line = timing.last_line(last, p.name) if last is not None else None
        if line:
            print(line)


def evidence_summary(made: bundle.Bundle) -> dict:
    """The counts the index shows: findings of primary studies by direction, context findings apart."""
    primary = [r for r in made.evidence if r.get("role", "evidence") == "evidence"]
    directions = Counter(r["direction"] for r in primary)
    return {"directions": {d: directions.get(d, 0) for d in index.DIRECTIONS}, "findings": len(primary),
            "context": len(made.evidence) - len(primary), "works": len({r["key"] for r in made.evidence}),
            "questions": len(made.questions)}


def report_record(p: Planned) -> dict:
    t = p.target
    return {"hypothesis": t.hypothesis.id, "variant": t.variant.name, "hypothesis_title": t.hypothesis.title,
            "variant_title": t.variant.title, "key": p.key, "inputs": p.inputs,
            "parameters": t.parameters.model_dump(), "summary": evidence_summary(p.bundle)}


def next_manifest(previous: dict, matrix: list[Target], built: list[Planned], staging: publish.Staging) -> dict:
    """The previous manifest with the built reports replaced and reports no longer in the matrix dropped."""
    names = {t.name for t in matrix}
    rebuilt = {p.name for p in built}
    reports = {n: r for n, r in previous["reports"].items() if n in names and n not in rebuilt}
    files = {f: h for f, h in previous["files"].items() if "/".join(f.split("/")[:2]) in reports}
    for p in built:
        reports[p.name] = report_record(p)
        files.update(manifest.folder_hashes(staging / p.name, p.name))
    return {"schema": manifest.SCHEMA, "files": files, "reports": reports}


def run_build(project: Project, options: BuildOptions) -> int:
    """Build the report matrix; 0 when every report is built or reused, 2 when any failed."""
    outputs = Path(options.outputs or project.outputs_dir).resolve()
    # the build the changelog compares with: checked before anything is loaded, only ever read
    since = outputs if options.previous is None else changelog.previous_outputs(Path(options.previous), outputs)
    jobs = workers(options, project)
    phases, started = timing.Phases(), timing.Start.now()
    # taken before loading: the fingerprint of what this build reads, recorded if it completes the matrix
    tree = None if options.only or options.explain else shortcut.tree_fingerprint(project, options)
    with phases.measure("load"):
        review = livingreview.load(project, sources=options.sources, retractions=options.retractions)
    if options.strict:  # CI: a conflict the reviewers have not settled fails the build, before any kernel
        refuse_unresolved(review.diagnostics)
    matrix = make_plan(project, review.hypotheses)
    targets = select_only(matrix, options.only)
    if options.explain:
        explain(plan_reports(review, targets, manifest.read(outputs), outputs, options), manifest.read_build_report(outputs))
        return 0
    with publish.writing(outputs), publish.exclusive(outputs):
        for name in publish.recover(outputs):
            print(f"restored {name}: a previous build was interrupted while publishing it")
        previous, last = manifest.read(outputs), manifest.read_build_report(outputs)
        with phases.measure("plan"):
            planned = plan_reports(review, targets, previous, outputs, options)
        if not any(p.reasons for p in planned) and options.previous is None and top_files_intact(outputs, previous, matrix):
            # nothing to build and every published page is as recorded: touch nothing but the build report
            # (and record the tree fingerprint, so the next such build need not load the review)
            write_text(outputs / BUILD_REPORT, build_report(planned, [], {}, last).decode("utf-8"))
            if tree and previous.get("tree") != tree:
                write_text(outputs / manifest.NAME, manifest.render(previous["files"], previous["reports"], tree).decode("utf-8"))
            print_summary(planned, {}, kernels=0, outputs=outputs, notes=[])
            return 0
        staging = publish.Staging(outputs)
        try:
            with phases.measure("reports", cpu=None):
                outcomes = execute_reports(review, options, [p for p in planned if p.reasons], staging, jobs, phases, last)
            failed = {o.name: o.error for o in outcomes if not o.ok}
            keep_failed(staging, outcomes)
            phases.recorded["total"] = started.elapsed()
            notes = publish_outputs(project, matrix, [p for p in planned if status(p, failed) == "built"], previous,
                                    staging, build_report(planned, outcomes, failed, last, phases), review,
                                    tree=None if failed else tree,
                                    since=since, reused=[p for p in planned if status(p, failed) == "reused"])
        finally:
            staging.discard()
    print_summary(planned, failed, kernels=len(outcomes), outputs=outputs, notes=notes, outcomes=outcomes)
    return 2 if failed else 0


def keep_failed(staging: publish.Staging, outcomes: list[execute.Outcome]) -> None:
    """A failed report's executed notebook stays inspectable under outputs/.failed/; a report that
    built clears what an earlier failure left there."""
    for outcome in outcomes:
        if outcome.ok:
            publish.clear_failed(staging.outputs, outcome.name)
        else:
            publish.keep_failed(staging, outcome.name)


def top_files_intact(outputs: Path, previous: dict, matrix: list[Target]) -> bool:
    """True when the matrix is the one last published and every top-level file (index, register,
    changelog) is on disk exactly as the manifest records it: then there is nothing to re-render."""
    if set(previous["reports"]) != {t.name for t in matrix}:
        return False
    top = {name: digest for name, digest in previous["files"].items() if "/" not in name}
    return bool(top) and all((outputs / name).is_file() and fingerprint.sha256_file(outputs / name) == digest
                             for name, digest in top.items())


def status(p: Planned, failed: dict[str, str]) -> str:
    return "reused" if not p.reasons else "failed" if p.name in failed else "built"


#: the loaded review, handed to the report kernels (in the staging folder; never published)
SNAPSHOT = "review.pickle"
#: the kernels' IPython folder (in the staging folder, empty at the start of each build; never published)
KERNEL_IPYTHON = "ipython"


def execute_reports(review, options: BuildOptions, todo: list[Planned], staging: publish.Staging,
                    jobs: int, phases: timing.Phases, last: dict) -> list[execute.Outcome]:
    """Write each report's data and the review's snapshot, then execute and render each notebook, all into staging;
    the costliest reports start first (:func:`.timing.longest_first`, from *last*, the previous build report).
    Outcomes in the order of *todo*."""
    from ..report.citations import prose_citations  # the report package loads IPython: only when reports are built

    from .references import render_ahead

    project = review.project
    if not todo:
        return []
    snapshot = staging / SNAPSHOT
    env = execute.kernel_environment(project.root, source_date_epoch=fingerprint.source_date_epoch(project.root),
                                     sources=options.sources, snapshot=snapshot, ipython_dir=staging / KERNEL_IPYTHON)
    # the kernels' template imports while the data, the references and the snapshot are written
    with executors.kernels_ahead(options.executor, root=project.root, env=env) as template:
        for p in todo:
            bundle.write_bundle(staging / p.name, p.target, p.bundle)
        with phases.measure("references", cpu=None):
            rendered = render_ahead(review, [p.selection for p in todo], jobs)
        snapshot.write_bytes(snapshot_bytes(review, options.sources, rendered))
        limits = project.config.limits
        by_name = {p.name: p for p in todo}
        start = timing.longest_first(list(by_name), {p.name: len(p.bundle.evidence) for p in todo}, last)
        with executors.open_executor(options.executor, workers=min(jobs, len(todo))) as pool:
            outcomes = execute.run_jobs([execute.Job(by_name[n].target, staging / n, options.pdf, limits,
                                                     options.strict, prose_citations(by_name[n].selection))
                                         for n in start], root=project.root, executor=pool, env=env)
    if template.wall is not None:
        phases.add("kernel template", template.wall, template.cpu)
    ended = {o.name: o for o in outcomes}
    return [ended[p.name] for p in todo]


def register_files(register) -> dict[str, bytes]:
    """The open-question register across all hypotheses: a page and its data."""
    from ..synthesis import export, register_page

    return {REGISTER_HTML: register_page.register_html(register, title="Open questions across the review").encode("utf-8"),
            REGISTER_CSV: export.to_csv_bytes(register), REGISTER_JSON: export.to_json_bytes(register)}


def register_section(register) -> tuple[str, Markup]:
    """The index's link to the register, with its status counts (``templates/pages/register-section.html.j2``)."""
    counts = Counter(register["status"]) if len(register) else Counter()
    parts = ", ".join(f"{counts.get(s, 0)} {s.replace('-', ' ')}" for s in ("open", "being-tested", "addressed"))
    return ("Open questions", fragment("register-section.html.j2", page=REGISTER_HTML, csv=REGISTER_CSV, json=REGISTER_JSON,
                                       total=len(register), counts=parts))


def top_files(project: Project, matrix: list[Target], current: list[Planned], next_: dict, since: Path, review):
    """CHANGELOG.md, changelog.json, index.html and the question register for *next_* (the manifest to be),
    the changelog listing what changed in the *current* reports (built or reused) since the build in *since*;
    and notes to print."""
    register = review.question_register
    changes = changelog.changes_since(since, [(p.name, p.bundle) for p in current], register)
    date = fingerprint.build_date(project.root)
    history = changelog.add_entry(changelog.read_history(since), changes, date=date, commit=fingerprint.git_commit(project.root),
                                  uncommitted=fingerprint.git_dirty(project.root))
    sections, notes = index.extra_sections(review)
    page = index.render_index(config=project.config, build_date=date, hypotheses={t.hypothesis.id: t.hypothesis.title for t in matrix},
                              manifest=next_, sections=[*sections, register_section(register),
                                                        ("Changes", changelog.to_html(history))])
    files = {changelog.MD_NAME: changelog.to_markdown(history).encode("utf-8"), changelog.JSON_NAME: changelog.to_json(history),
             "index.html": page.encode("utf-8"), **register_files(register)}
    return files, notes


def publish_outputs(project: Project, matrix: list[Target], built: list[Planned], previous: dict,
                    staging: publish.Staging, report: bytes, review, tree: str | None = None, *,
                    since: Path, reused: list[Planned]) -> list[str]:
    """Stage the top-level files, then publish built reports, changed files and the manifest (last).
    The changelog compares built and *reused* reports with the build published in *since*."""
    next_ = next_manifest(previous, matrix, built, staging)
    files, notes = top_files(project, matrix, [*built, *reused], next_, since, review)
    next_["files"].update({name: fingerprint.sha256_bytes(data) for name, data in files.items()})
    files[BUILD_REPORT] = report
    files[manifest.NAME] = manifest.render(next_["files"], next_["reports"], tree)
    publish.publish(staging, [p.name for p in built] + [n for n, data in files.items() if stage_file(staging, n, data)])
    gone = sorted(set(previous["reports"]) - {t.name for t in matrix})
    return notes + [f"{name}: no longer in the matrix; no longer listed (its folder is left in place)" for name in gone]


def stage_file(staging: publish.Staging, name: str, data: bytes) -> bool:
    """Stage top-level file *name* unless outputs/ already holds exactly *data*; True when staged."""
    current = staging.outputs / name
    if current.is_file() and current.read_bytes() == data:
        return False
    (staging / name).write_bytes(data)
    return True


def build_report(planned: list[Planned], outcomes: list[execute.Outcome], failed: dict[str, str],
                 last: dict | None = None, phases: timing.Phases | None = None) -> bytes:
    """``build-report.json``: what this build did per report, how many kernels it started, and how long each
    phase took (:mod:`.timing`; a reused report keeps the figures of the build that made it, from *last*)."""
    reports = {}
    ended = {o.name: o for o in outcomes}
    for p in planned:
        reports[p.name] = {"status": status(p, failed)}
        if p.reasons:
            reports[p.name]["reasons"] = p.reasons
        if p.name in failed:
            reports[p.name]["error"] = failed[p.name]
        outcome = ended.get(p.name)
        if outcome is not None and outcome.failure is not None:
            reports[p.name]["diagnostic"] = {**outcome.failure.as_dict(), "executed": publish.failed_notebook(p.name)}
        if outcome is not None and outcome.warnings:
            reports[p.name]["warnings"] = list(outcome.warnings)
        figures = outcome.phases.as_dict() if outcome is not None and outcome.phases.recorded else timing.carried(last or {}, p.name)
        if figures:
            reports[p.name][timing.KEY] = figures
    report = {"schema": BUILD_REPORT_SCHEMA, "kernels_started": len(outcomes), "reports": reports}
    if phases is not None:
        report[timing.KEY] = phases.as_dict()
    return bundle.dumps(report)


def print_summary(planned: list[Planned], failed: dict[str, str], *, kernels: int, outputs: Path, notes: list[str],
                  outcomes: list[execute.Outcome] = ()) -> None:
    for p in planned:
        state = status(p, failed)
        detail = {"reused": p.name, "failed": failed.get(p.name), "built": f"{p.name} ({'; '.join(p.reasons)})"}[state]
        print(f"{state:7} {detail}")
        if state == "failed":
            print(f"        the executed notebook is kept in {outputs.name}/{publish.failed_notebook(p.name)}")
    for outcome in outcomes:
        for warning in outcome.warnings:
            print(f"warning {warning}")
    for note in notes:
        print(note)
    counts = Counter(status(p, failed) for p in planned)
    print(f"{counts['built']} built, {counts['reused']} reused, {counts['failed']} failed; "
          f"{kernels} kernel{'' if kernels == 1 else 's'} started; outputs in {outputs}")
    if failed:
        print("the failed reports' previous outputs are unchanged")
