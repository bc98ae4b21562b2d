"""The provenance block's facts: commit, dirty flag, build date, inputs and their hashes,
parameters, package versions. The inputs are :func:`livingreview.reads.report_inputs`, the map
the build's cache key hashes, so a report and the cache can never disagree about what it was
built from; the rest comes from :mod:`livingreview.fingerprint`."""

from __future__ import annotations

from dataclasses import dataclass

from .. import fingerprint, reads
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


def provenance_of(selection, project: Project) -> Provenance:
    """The facts for *selection* (its parameters: its filters and the citation style)."""
    root = project.root
    inputs = selection.inputs
    return Provenance(
        commit=fingerprint.git_commit(root),
        dirty=reads.uncommitted(inputs, fingerprint.uncommitted_paths(root)),
        build_date=fingerprint.build_date(root),
        parameters=dict(sorted(selection.parameters.model_dump().items())),
        inputs=inputs,
        packages=dict(sorted(fingerprint.package_versions().items(), key=lambda kv: kv[0].lower())),
        python=fingerprint.python_version(),
    )
