"""The provenance block's facts: commit, dirty flag, build date, inputs and their hashes,
parameters, package versions. All come from :mod:`livingreview.fingerprint`, as the build
cache's do, so a report and the cache can never disagree about what it was built from."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path

from .. import fingerprint
from ..project import Project


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


def input_files(selection, project: Project) -> list[Path]:
    """The files the report was made from: the selection's own list when it keeps one, else
    the bibliography, the hypothesis, the notes of the works kept, and build.yml."""
    files = getattr(selection, "files", None)
    if files is None:
        files = [
            *sorted(project.bib_dir.glob("*.bib")),
            project.hypotheses_dir / f"{selection.hypothesis.id}.yml",
            *(project.notes_dir / f"{key}.yml" for key in sorted(selection.notes)),
        ]
    paths = {Path(p) if Path(p).is_absolute() else project.root / p for p in files}
    paths.add(project.config_path)
    return sorted((p for p in paths if p.is_file()), key=lambda p: project.rel(p))


def provenance_of(selection, project: Project) -> Provenance:
    root = project.root
    return Provenance(
        commit=fingerprint.git_commit(root),
        dirty=fingerprint.git_dirty(root),
        build_date=fingerprint.build_date(root),
        parameters=dict(sorted(dict(selection.parameters).items())),
        inputs=fingerprint.file_hashes(root, input_files(selection, project)),
        packages=dict(sorted(fingerprint.package_versions().items(), key=lambda kv: kv[0].lower())),
        python=platform.python_version(),
    )
