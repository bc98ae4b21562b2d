"""The SHA-256 of files, remembered by their ``stat`` so that an unchanged file is not read again.

A build with nothing changed compares a fingerprint of every file under ``bib/``, ``reviews/`` and
``notebooks/`` and checks every published output against the manifest; at 10,000 works that is tens of
megabytes read and hashed on every run. Like ``git status`` and ``make``, :class:`FileHashes` trusts a
file's recorded hash while its size, modification time, status-change time and inode are those
recorded: a write, a copy, a checkout or a ``touch`` changes at least one of them (the status-change
time cannot be set back by a user).

One case is guarded, as git guards its index: a file written twice within the resolution of the file
system's clock keeps its times. So a hash is trusted only when the file had not changed for
:data:`SETTLED_NS` before the run that read it started; a file changed later than that is read
again, every run, until a run starting after it had settled reads it.

The record is the tool's own file, ``.livingreview-cache/hashes.json`` under the project root (deleting it
only means reading every file once). ``LIVINGREVIEW_CACHE=off`` turns it off with the load cache: every
file is then read. Anything wrong with the record means reading the files; it is never a diagnostic.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from . import atomic, fingerprint, loadcache

FILE = "hashes.json"
_FORMAT = 1
#: how long a file must have been unchanged, before the run that records its hash, for the hash to be trusted
SETTLED_NS = 2_000_000_000


def _signature(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


class FileHashes:
    """The hashes of one project's files: :meth:`sha256` answers from the record when the file's stat
    matches and had settled; :meth:`save` writes what this run hashed, and keeps the record of files it did
    not ask for while they exist (a no-op build asks for inputs and outputs, a full build only for inputs).

    An entry is ``[size, mtime_ns, ctime_ns, inode, sha256, started_ns]``: the stat the hash was read at,
    and when the run that read it started."""

    def __init__(self, root: Path | None):
        self.path = None if root is None or not loadcache.enabled() else Path(root) / loadcache.FOLDER / FILE
        self._started = time.time_ns()
        self._old = self._read()
        self._new: dict[str, list] = {}

    def _read(self) -> dict[str, list]:
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != _FORMAT or not isinstance(data.get("files"), dict):
            return {}
        return data["files"]

    def sha256(self, path: Path | str) -> str:
        """The SHA-256 of the file at *path* (followed if a link), from the record when it is unchanged."""
        name = os.fspath(path)
        signature = _signature(os.stat(name))
        old = self._old.get(name)
        if _trusted(old, signature):
            self._new[name] = old
            return old[4]
        digest = fingerprint.sha256_file(Path(name))
        self._new[name] = [*signature, digest, self._started]
        return digest

    def save(self) -> None:
        """Records the hashes this run read (nothing is written when it read none)."""
        if self.path is None or all(self._old.get(name) is entry for name, entry in self._new.items()):
            return
        kept = {name: entry for name, entry in self._old.items() if name not in self._new and os.path.exists(name)}
        data = {"format": _FORMAT, "files": dict(sorted({**kept, **self._new}.items()))}
        try:
            self.path.parent.mkdir(exist_ok=True)
            loadcache.ignore_folder(self.path.parent)
            atomic.write_bytes(self.path, json.dumps(data, separators=(",", ":")).encode("utf-8"))
        except OSError:
            pass  # a read-only project: the files are read again next time


def _trusted(entry, signature: list[int]) -> bool:
    """A recorded entry answers for a file with this stat when it was read with the same stat, after the file
    had settled."""
    return (isinstance(entry, list) and len(entry) == 6 and entry[:4] == signature and isinstance(entry[4], str)
            and isinstance(entry[5], int) and max(signature[1], signature[2]) < entry[5] - SETTLED_NS)
