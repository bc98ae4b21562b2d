"""A build with nothing changed, answered before the review is loaded.

The full path loads and validates the whole review to compute each report's cache key; at
10,000 works that alone takes seconds. But when no input file changed at all, no key can have
changed. So a complete build records a *tree fingerprint* in the manifest — the hashes of every
file under ``bib/``, ``reviews/`` and ``notebooks/``, the quoted source texts, the package's code,
the package versions, the lock, the PDF and ``--strict`` options (a strict build checks what a
lenient one let pass) and whether the tree has uncommitted changes and
the Python version — and the next build compares it first. Equal,
with every output file as recorded and no interrupted publish: nothing is loaded, no kernel
starts, only ``build-report.json`` is written (and the record of file hashes,
:mod:`livingreview.filehashes`, that spares reading untouched files). Anything else: the full path decides, report by
report. Only light modules are imported here (no pandas, matplotlib or nbconvert).

The fingerprint is recorded only when the whole matrix was built or reused at that tree (a partial
build drops it), so every report of the manifest is then current: ``--only`` (its names checked
against the manifest's reports; a name it does not hold goes the full path, which says what is
wrong), ``--explain`` and ``livingreview plan`` are answered from the manifest as well, with the keys
it records. ``--force`` and ``--previous`` always take the full path.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import fingerprint
from ..filehashes import FileHashes
from ..sources import Sources
from ..atomic import write_text
from ..project import Project
from . import manifest, publish, timing
from .options import BuildOptions

#: the folders whose every file a report may read
TREE = ("bib", "reviews", "notebooks")


def tree_fingerprint(project: Project, options: BuildOptions, hashes: FileHashes | None = None) -> str:
    """The fingerprint of everything a build can read: every file under :data:`TREE`, the source texts and the
    retraction data, with the code, package versions, lock, options and the tree's state; *hashes* remembers the
    files' hashes by their stat (saved here unless the caller passes its own, to save once)."""
    root = project.root
    memo = hashes if hashes is not None else FileHashes(root)
    files = {rel: memo.sha256(path) if path else "outside the project" for rel, path in _tree_files(root)}
    sources = {}
    if options.sources is not None:
        sources = {name: memo.sha256(path) for name, path in Sources.of(options.sources).files().items()}
    from ..sources import retraction_file

    retractions = retraction_file(options.retractions)
    tree = fingerprint.sha256_json({
        "retractions": memo.sha256(retractions) if retractions else None,
        "files": files, "sources": sources, "code": fingerprint.code_hash(), "pdf": options.pdf, "strict": options.strict,
        "packages": fingerprint.package_versions(), "lock": fingerprint.lock_hash(root),
        "source": fingerprint.source_state(root),
    })
    if hashes is None:
        memo.save()
    return tree


def _tree_files(root: Path):
    """``(project-relative name, path)`` of every file under :data:`TREE`, hidden ones left out; the path is
    None for a link out of the project (not followed: the full path refuses it, naming it)."""
    inside = os.path.realpath(root) + os.sep
    for top in TREE:
        yield from _walk(os.path.join(root, top), top, inside)


def _walk(folder: str, rel: str, inside: str):
    try:
        with os.scandir(folder) as found:
            entries = list(found)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        name = f"{rel}/{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, name, inside)
        elif entry.is_file():
            outside = entry.is_symlink() and not os.path.realpath(entry.path).startswith(inside)
            yield name, None if outside else entry.path


def applies(options: BuildOptions) -> bool:
    """The shortcut never answers ``--force``, nor ``--previous`` (the changelog is then compared afresh
    with another folder, so there is something to do)."""
    return not (options.force or options.previous is not None)


def reuse_line(name: str, key: str) -> str:
    """What ``--explain`` and ``plan`` say of a report that is reused."""
    return f"{name}: reuse — nothing it reads changed (key {key[:12]})"


def unchanged(project: Project, options: BuildOptions, outputs: Path) -> tuple[list[str], dict] | None:
    """``(names, manifest)``: the reports asked for (``--only``), in matrix order, when nothing changed since
    the last complete build published in *outputs*; None when the full path must decide."""
    if not applies(options):
        return None
    previous = manifest.read(outputs)
    if not previous.get("tree") or not outputs.is_dir() or any(outputs.glob(publish.STAGING_PREFIX + "*")):
        return None  # never recorded, or an interrupted build (the full path recovers it)
    names = _asked(project, previous["reports"], options.only)
    if names is None:
        return None
    hashes = FileHashes(project.root)
    try:
        if previous["tree"] != tree_fingerprint(project, options, hashes) or not manifest.intact(outputs, previous, hashes):
            return None
    finally:
        hashes.save()
    return names, previous


def _asked(project: Project, reports: dict, only: list[str]) -> list[str] | None:
    """The names of *reports* that ``--only`` keeps, in the matrix's order (hypotheses, then variants, as
    ``reviews/build.yml`` lists them); None when a name is not in the matrix or build.yml does not read."""
    try:
        config = project.config
    except Exception:  # noqa: BLE001 - the full path reports it
        return None
    records = [(name, r.get("hypothesis"), r.get("variant")) for name, r in reports.items()
               if isinstance(r, dict) and isinstance(r.get("key"), str)]
    if len(records) != len(reports):
        return None
    hypotheses, variants = {h for _, h, _ in records}, {v for _, _, v in records}
    keep = set()
    for item in only:
        hyp, _, var = item.partition("/")
        if hyp not in hypotheses or (var and var not in variants):
            return None
        keep |= {name for name, h, v in records if h == hyp and (not var or v == var)}
    listed = list(config.hypotheses) if config.hypotheses != "all" else sorted(hypotheses)
    order = {h: i for i, h in enumerate(listed)}
    place = {v.name: i for i, v in enumerate(config.variants)}
    if not hypotheses <= order.keys() or not variants <= place.keys():
        return None
    return sorted((name for name, _, _ in records if not only or name in keep), key=lambda n: (order[reports[n]["hypothesis"]],
                                                                                                place[reports[n]["variant"]]))


def _reused(last: dict, name: str) -> dict:
    figures = timing.carried(last, name)
    return {"status": "reused", timing.KEY: figures} if figures else {"status": "reused"}


def try_noop(project: Project, options: BuildOptions) -> int | None:
    """0 when nothing changed since the last complete build (having written the build report, or with
    ``--explain`` said so); else None."""
    if not applies(options):
        return None
    outputs = Path(options.outputs or project.outputs_dir).resolve()
    if options.explain:  # only reads the outputs folder
        found = unchanged(project, options, outputs)
        if found is None:
            return None
        names, previous = found
        last = manifest.read_build_report(outputs)
        for name in names:
            print(reuse_line(name, previous["reports"][name]["key"]))
            line = timing.last_line(last, name)
            if line:
                print(line)
        return 0
    if not outputs.is_dir():
        return None
    with publish.exclusive(outputs):
        found = unchanged(project, options, outputs)
        if found is None:
            return None
        names, _ = found
        last = manifest.read_build_report(outputs)
        report = {"schema": manifest.BUILD_REPORT_SCHEMA, "kernels_started": 0,
                  "reports": {name: _reused(last, name) for name in names}}
        write_text(outputs / manifest.BUILD_REPORT, fingerprint.stable_json(report).decode("utf-8"))
    for name in names:
        print(f"reused  {name}")
    print(f"0 built, {len(names)} reused, 0 failed; 0 kernels started (no input changed since the last complete "
          f"build); outputs in {outputs}")
    return 0
