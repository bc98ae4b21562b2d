"""What ``livingreview build`` was asked to do (the command-line options, typed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..sources import Sources


@dataclass(frozen=True)
class BuildOptions:
    force: bool = False
    explain: bool = False
    jobs: int | None = None
    only: list[str] = field(default_factory=list)
    sources: Sources | Path | None = None  # folders of source texts, searched in order
    pdf: bool = True
    outputs: Path | None = None
    strict: bool = False
    #: a previous published outputs folder the changelog compares with (default: the outputs folder)
    previous: Path | None = None
    #: where the reports run (:mod:`.executors`): None or 'threads' (here), or 'dask://HOST:PORT'
    executor: str | None = None
    #: Crossref's Retraction Watch CSV: the works each report cites are checked against it (its banner)
    retractions: Path | None = None
