"""Staging -> outputs/: every report is rendered into a staging folder first, then published by renames.

The staging folder (``outputs/.staging-<random>/``) lives in the outputs folder, so every
rename is on one filesystem and atomic. Publishing a report folder is two renames: the old
folder into the staging trash, the new one into place. A top-level file is replaced with one
``os.replace`` after a hard-link backup of the old one. ``manifest.json`` is the last entry.

Crash points (the outputs folder always holds a complete previous or new version of each report):

* before publishing: outputs/ is untouched; the next build deletes the leftover staging folder;
* between a report's two renames: its previous version sits complete in ``.staging-*/.trash/``;
  :func:`recover` (run at the start of every build) moves it back, then deletes the staging folder;
* after some renames: each published report is complete (old or new); the manifest is still the
  previous one, so the next build finds the new files' hashes differ from it and rebuilds them.

An exception while publishing (as opposed to a kill) undoes every step already taken, in reverse,
so outputs/ is exactly as it was; then the exception propagates.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import LivingReviewError

STAGING_PREFIX = ".staging-"
TRASH = ".trash"
#: where a failed report's staging folder (its executed notebook and data) is kept; never published
FAILED = ".failed"


class OutputsBusy(LivingReviewError):
    """Another build is publishing into the same outputs folder."""


class OutputsUnwritable(LivingReviewError):
    """The outputs folder (or something in it) cannot be written: read-only, full, or not a folder."""


@contextmanager
def writing(outputs: Path) -> Iterator[None]:
    """Turn a failure to write inside *outputs* into :class:`OutputsUnwritable` naming the path; any other
    OSError is not the outputs folder's and propagates."""
    try:
        yield
    except OSError as exc:
        path = Path(exc.filename) if isinstance(exc.filename, str) else None
        if path is None or not (path == outputs or outputs in path.parents):
            raise
        raise OutputsUnwritable(f"cannot write {path}: {exc.strerror or exc}; the previous outputs are unchanged — "
                                f"make {outputs} writable (or pass --outputs DIR)") from None


@contextmanager
def exclusive(outputs: Path) -> Iterator[None]:
    """Hold an exclusive lock on the outputs folder for the duration (one build at a time)."""
    outputs.mkdir(parents=True, exist_ok=True)
    fd = os.open(outputs, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EACCES):
                raise OutputsBusy(f"another build is writing {outputs}; wait for it to finish") from None
            raise
        yield
    finally:
        os.close(fd)


def recover(outputs: Path) -> list[str]:
    """Undo what a killed build left: restore report folders it had moved aside, delete its staging.

    Returns the names of the report folders restored."""
    restored = []
    for staging in sorted(outputs.glob(STAGING_PREFIX + "*")):
        trash = staging / TRASH
        for old in sorted(trash.glob("*/*")) if trash.is_dir() else []:
            target = outputs / old.relative_to(trash)
            if old.is_dir() and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.rename(old, target)
                restored.append(old.relative_to(trash).as_posix())
        shutil.rmtree(staging, ignore_errors=True)
    return restored


class Staging:
    """A fresh staging folder inside *outputs*; items are staged at their outputs-relative paths."""

    def __init__(self, outputs: Path):
        self.outputs = outputs
        self.path = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=outputs))

    def __truediv__(self, name: str) -> Path:
        return self.path / name

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


@dataclass(frozen=True)
class _Step:
    """One published item: where it went and where its previous version was kept."""

    staged: Path
    target: Path
    backup: Path | None
    is_dir: bool
    new_parent: bool = False  # the target's folder (a hypothesis folder) was made for it


def _set_aside(target: Path, trash: Path, keep) -> Path | None:
    """Keep the current *target* at *trash* (``os.rename`` for a folder, ``os.link`` for a file); None if none."""
    if not target.exists():
        return None
    trash.parent.mkdir(parents=True, exist_ok=True)
    keep(target, trash)
    return trash


def _publish_dir(staged: Path, target: Path, trash: Path) -> _Step:
    new_parent = not target.parent.exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    step = _Step(staged, target, _set_aside(target, trash, os.rename), is_dir=True, new_parent=new_parent)
    try:
        os.rename(staged, target)
    except BaseException:
        if step.backup is not None:
            os.rename(step.backup, target)
        _remove_new_parent(step)
        raise
    return step


def _publish_file(staged: Path, target: Path, trash: Path) -> _Step:
    step = _Step(staged, target, _set_aside(target, trash, os.link), is_dir=False)
    os.replace(staged, target)
    return step


def _remove_new_parent(step: _Step) -> None:
    if step.new_parent and not any(step.target.parent.iterdir()):
        step.target.parent.rmdir()


def _undo(step: _Step) -> None:
    if step.is_dir:
        os.rename(step.target, step.staged)
        if step.backup is not None:
            os.rename(step.backup, step.target)
        _remove_new_parent(step)
    elif step.backup is not None:
        os.replace(step.backup, step.target)
    else:
        os.unlink(step.target)


def publish(staging: Staging, names: Sequence[str]) -> None:
    """Move each staged item (report folders, then top-level files, manifest last) into outputs/.

    All or nothing for exceptions: on one, every step taken is undone and the exception re-raised."""
    done: list[_Step] = []
    try:
        for name in names:
            staged, target, trash = staging / name, staging.outputs / name, staging / TRASH / name
            step = _publish_dir if staged.is_dir() else _publish_file
            done.append(step(staged, target, trash))
    except BaseException:
        for step in reversed(done):
            _undo(step)
        raise


def failed_notebook(name: str) -> str:
    """Where report *name*'s executed notebook is kept when it fails, relative to the outputs folder."""
    return f"{FAILED}/{name}/report.ipynb"


def keep_failed(staging: Staging, name: str) -> None:
    """Move report *name*'s staging folder to ``outputs/.failed/<name>/``, replacing an earlier one."""
    kept = staging.outputs / FAILED / name
    shutil.rmtree(kept, ignore_errors=True)
    if (staging / name).is_dir():
        kept.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staging / name, kept)


def clear_failed(outputs: Path, name: str) -> None:
    """Forget what a failed build of report *name* left (and folders left empty)."""
    kept = outputs / FAILED / name
    shutil.rmtree(kept, ignore_errors=True)
    for folder in (kept.parent, outputs / FAILED):
        try:
            folder.rmdir()
        except OSError:  # not empty, or not there
            pass
