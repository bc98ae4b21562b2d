"""The provenance block's facts: commit, dirty flag, build date, inputs and their hashes,
parameters, package versions. All come from :mod:`livingreview.fingerprint`, as the build
cache's do, so a report and the cache can never disagree about what it was built from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import fingerprint
from ..project import Project
from .drift_view import drift_keys


@dataclass(frozen=True)
class Provenance:
    commit: str | None
    dirty: bool
    build_date: str
    parameters: dict
    inputs: dict[str, str]
    packages: dict[str, str]
    python: str

    @property
    def short_commit(self) -> str:
        return self.commit[:12] if self.commit else "not in a git checkout"


#: review-wide files whose content shows in every report: quote verification status, the
#: certainty rules, the search log and screening record (the methods section)
REVIEW_FILES = ("reviews/build.yml", "reviews/quote-record.json", "reviews/certainty.yml", "reviews/search.yml",
                "reviews/screening.csv")


def input_files(selection, project: Project) -> list[Path]:
    """The files the report was made from: the bibliography, the review-wide files, the
    hypothesis and its notebook, the note of every work the selection kept, and the notes of
    the works whose claim drift it shows."""
    hypothesis_id = selection.hypothesis.id
    candidates = [
        *project.bib_dir.glob("*.bib"),
        *(project.root / name for name in REVIEW_FILES),
        project.hypotheses_dir / f"{hypothesis_id}.yml",
        project.notebooks_dir / f"{hypothesis_id}.ipynb",
        *(project.notes_dir / f"{key}.yml" for key in {*selection.notes, *drift_keys(selection)}),
    ]
    return sorted((p for p in set(candidates) if p.is_file()), key=project.rel)


def provenance_of(selection, project: Project, parameters: dict) -> Provenance:
    """The facts for *selection* built with *parameters* (its filters plus the citation style)."""
    root = project.root
    return Provenance(
        commit=fingerprint.git_commit(root),
        dirty=fingerprint.git_dirty(root),
        build_date=fingerprint.build_date(root),
        parameters=dict(sorted(parameters.items())),
        inputs=fingerprint.file_hashes(root, input_files(selection, project)),
        packages=dict(sorted(fingerprint.package_versions().items(), key=lambda kv: kv[0].lower())),
        python=fingerprint.python_version(),
    )
