"""A build with nothing changed, answered before the review is loaded.

The full path loads and validates the whole review to compute each report's cache key; at
10,000 works that alone takes seconds. But when no input file changed at all, no key can have
changed. So a complete build records a *tree fingerprint* in the manifest — the hashes of every
file under ``bib/``, ``reviews/`` and ``notebooks/``, the quoted source texts, the package's code,
the package versions, the lock, the PDF and ``--strict`` options (a strict build checks what a
lenient one let pass) and whether the tree has uncommitted changes and
the Python version — and the next build compares it first. Equal,
with every output file as recorded and no interrupted publish: nothing is loaded, no kernel
starts, only ``build-report.json`` is written. Anything else: the full path decides, report by
report. Only light modules are imported here (no pandas, matplotlib or nbconvert).
"""

from __future__ import annotations

from pathlib import Path

from .. import fingerprint
from ..sources import Sources
from ..atomic import write_text
from ..project import Project
from . import manifest, publish
from .options import BuildOptions

#: the folders whose every file a report may read
TREE = ("bib", "reviews", "notebooks")


def tree_fingerprint(project: Project, options: BuildOptions) -> str:
    root = project.root
    files = {}
    for top in TREE:
        for path in sorted((root / top).rglob("*")):
            rel = path.relative_to(root)
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                # a link out of the project is not followed (the full path refuses it, naming it)
                inside = not path.is_symlink() or path.resolve().is_relative_to(root)
                files[rel.as_posix()] = fingerprint.sha256_file(path) if inside else "outside the project"
    sources = {}
    if options.sources is not None:
        sources = {name: fingerprint.sha256_file(path) for name, path in Sources.of(options.sources).files().items()}
    from ..sources import retraction_file

    retractions = retraction_file(options.retractions)
    return fingerprint.sha256_json({
        "retractions": fingerprint.sha256_file(retractions) if retractions else None,
        "files": files, "sources": sources, "code": fingerprint.code_hash(), "pdf": options.pdf, "strict": options.strict,
        "packages": fingerprint.package_versions(), "lock": fingerprint.lock_hash(root),
        "source": fingerprint.source_state(root),
    })


def applies(options: BuildOptions) -> bool:
    """The shortcut answers only a plain build of the whole matrix (with ``--previous`` the changelog
    is compared afresh with another folder, so there is something to do)."""
    return not (options.force or options.explain or options.only or options.previous is not None)


def try_noop(project: Project, options: BuildOptions) -> int | None:
    """0 when nothing changed since the last complete build (having written the build report); else None."""
    if not applies(options):
        return None
    outputs = Path(options.outputs or project.outputs_dir).resolve()
    previous = manifest.read(outputs)
    if not previous.get("tree") or not outputs.is_dir():
        return None
    with publish.exclusive(outputs):
        if any(outputs.glob(publish.STAGING_PREFIX + "*")):
            return None  # an interrupted build: the full path recovers it
        if previous["tree"] != tree_fingerprint(project, options) or not manifest.intact(outputs, previous):
            return None
        names = sorted(previous["reports"])
        report = {"schema": manifest.BUILD_REPORT_SCHEMA, "kernels_started": 0,
                  "reports": {name: {"status": "reused"} for name in names}}
        write_text(outputs / manifest.BUILD_REPORT, fingerprint.stable_json(report).decode("utf-8"))
    for name in names:
        print(f"reused  {name}")
    print(f"0 built, {len(names)} reused, 0 failed; 0 kernels started (no input changed since the last complete "
          f"build); outputs in {outputs}")
    return 0
