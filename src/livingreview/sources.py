"""The folders of source texts that quotes are verified against, searched in order.

A note names its source text by file name only (``source_text: doe2020.txt``); the text is the first
file of that name in the folders given (``--sources DIR``, repeatable, or ``$LIVINGREVIEW_SOURCES``
with the folders joined by the platform's path separator, ``:`` on Linux). The folders are the user's
choice, so they may lie outside the project.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


class Sources(tuple):
    """An ordered tuple of folders (``Path``) holding source texts."""

    @classmethod
    def of(cls, value: "Sources | Path | str | Iterable[Path | str] | None") -> "Sources | None":
        """*value* as folders: None (or nothing) stays None; text splits on the path separator."""
        if value is None or isinstance(value, Sources):
            return value or None
        if isinstance(value, (str, os.PathLike)):
            parts = [p for p in str(value).split(os.pathsep) if p] if isinstance(value, str) else [value]
        else:
            parts = list(value)
        folders = cls(Path(p) for p in parts)
        return folders or None

    def missing(self) -> list[Path]:
        """The folders that do not exist."""
        return [folder for folder in self if not folder.is_dir()]

    def existing(self) -> "Sources | None":
        """The folders that exist (None when none does)."""
        return Sources.of([folder for folder in self if folder.is_dir()])

    def locate(self, name: str) -> Path:
        """The file *name* in the first folder that has it (else where the first folder would hold it)."""
        for folder in self:
            if (folder / name).is_file():
                return folder / name
        return self[0] / name

    def files(self) -> dict[str, Path]:
        """Every regular file of the folders by name; a name in an earlier folder hides a later one."""
        out: dict[str, Path] = {}
        for folder in self.existing() or ():
            for path in sorted(folder.iterdir()):
                if path.is_file():
                    out.setdefault(path.name, path)
        return out

    def key(self) -> str:
        """The folders, resolved, as one text (what a snapshot and a kernel's environment name)."""
        return os.pathsep.join(str(folder.resolve()) for folder in self)

    def __str__(self) -> str:
        return ", ".join(str(folder) for folder in self)


#: the environment variable naming the Retraction Watch CSV (as ``--retractions``), for JupyterLab
RETRACTIONS_VARIABLE = "LIVINGREVIEW_RETRACTIONS"


def retraction_file(given: Path | str | None) -> Path | None:
    """The retraction data a load reads: *given*, else ``$LIVINGREVIEW_RETRACTIONS``, else none (here, not in
    :mod:`livingreview.review`, so that ``check`` and the no-op build need not import pandas to ask)."""
    given = given or os.environ.get(RETRACTIONS_VARIABLE) or None
    return Path(given) if given else None
