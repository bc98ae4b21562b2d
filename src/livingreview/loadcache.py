"""A cache of parsed and validated input files, so that ``check`` (and every load) need not parse an
unchanged note again: at 10,000 notes parsing and validating is most of the loading time.

An entry is what loading one file gave — its id, the validated :class:`~livingreview.notes.load.Loaded`
(model and the parsed data that knows its lines) or None, and the diagnostics — keyed by the file's
project-relative name and the SHA-256 of its bytes. Loading reads and hashes every file as before;
only parsing and validation are skipped for a file whose name and hash are in the cache, so what a
load returns, diagnostics and lines included, is the same with or without it.

The cache is the tool's own file, ``.livingreview-cache/<kind>.pickle`` under the project root
(git-ignored; deleting the folder clears it). It is trusted only as far as it is checked on read:

* its header names the format, the package's code hash and the versions of Python, pydantic and
  PyYAML that wrote it; another package version (or any edit to the code) means it is not used;
* the header holds the SHA-256 of the payload: a truncated or corrupted file is ignored;
* the payload is unpickled with an allowlist of classes (those the entries are made of, and the few
  standard ones plain data needs), and every entry must have the shape and key of an entry, or the whole
  cache is ignored.

Anything wrong with it, including a folder that cannot be written, only means loading parses the
files, as without a cache; a problem with the cache is never a diagnostic.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from . import atomic, fingerprint

#: the cache folder under the project root
FOLDER = ".livingreview-cache"
#: set to ``off`` to load without the cache (neither read nor written)
ENVIRONMENT = "LIVINGREVIEW_CACHE"
_MAGIC = b"livingreview-load-cache 1\n"
_FORMAT = 1

#: what plain data, the models and bibliography entries are made of besides the package's classes (anything
#: else refuses the whole file)
_ALLOWED = {("builtins", "set"), ("builtins", "frozenset"), ("builtins", "object"), ("copyreg", "_reconstructor"),
             ("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta"),
             ("datetime", "timezone"), ("decimal", "Decimal"), ("collections", "OrderedDict"),
             ("livingreview.bib.load", "_entry")}  # a bibliography entry's pickled form
#: the package's modules whose own classes an entry is made of (models, parsed YAML, diagnostics, entries)
_DATA_MODULES = frozenset({"livingreview.notes.model", "livingreview.notes.load", "livingreview.yamlio",
                           "livingreview.diagnostics", "livingreview.bib.load", "livingreview.bib.names"})


def _versions() -> dict[str, str]:
    out = {"python": sys.version, "format": str(_FORMAT), "code": fingerprint.code_hash(),
           "libyaml": str(_has_libyaml())}
    for name in ("pydantic", "pydantic-core", "PyYAML"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _has_libyaml() -> bool:
    import yaml

    return hasattr(yaml, "CSafeLoader")


def stamp() -> bytes:
    """What the cache must have been written by (compared byte for byte)."""
    return fingerprint.sha256_json(_versions()).encode("ascii")


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        if module in _DATA_MODULES:
            found = super().find_class(module, name)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the load cache")


def ignore_folder(folder: Path) -> None:
    """Tells git to ignore the cache *folder* (once, when its ``.gitignore`` is missing)."""
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# written by livingreview: a cache of parsed inputs, safe to delete\n*\n", encoding="utf-8")


def enabled() -> bool:
    return os.environ.get(ENVIRONMENT, "").strip().lower() not in ("off", "0", "no", "false")


#: entries per pickled chunk: a save re-pickles only the chunks whose entries changed
CHUNK = 500


def pickled_chunks(entries: dict[tuple, Any]) -> list[bytes]:
    """*entries* pickled in chunks of :data:`CHUNK`."""
    items = list(entries.items())
    return [pickle.dumps(dict(items[i:i + CHUNK]), protocol=pickle.HIGHEST_PROTOCOL) for i in range(0, len(items), CHUNK)]


class Cache:
    """The entries of one kind of file (``notes``, ``hypotheses``) of one project.

    :meth:`get` answers from the file read at opening; :meth:`put` records an entry; :meth:`save` writes the entries used since opening (so files that are gone
    drop out), only when they changed, re-pickling only the chunks that changed."""

    def __init__(self, root: Path | None, kind: str, valid: Callable[[tuple, Any], bool]):
        self.path = None if root is None or not enabled() else Path(root) / FOLDER / f"{kind}.pickle"
        self._valid = valid
        self._chunks: list[tuple[bytes, frozenset]] = []  # (pickled, its keys), as read from the file
        self._old: dict[tuple, Any] = self._read()
        self._read_keys = frozenset(self._old)
        self._used: set[tuple] = set()
        self._new: dict[tuple, Any] = {}

    def _read(self) -> dict[tuple, Any]:
        if self.path is None:
            return {}
        try:
            raw = self.path.read_bytes()
        except OSError:
            return {}
        entries: dict[tuple, Any] = {}
        try:
            magic, header, digest, payload = raw[:len(_MAGIC)], *raw[len(_MAGIC):].split(b"\n", 2)
            if magic != _MAGIC or header != stamp() or hashlib.sha256(payload).hexdigest().encode("ascii") != digest:
                return {}
            chunks = _Unpickler(io.BytesIO(payload)).load()
            if not isinstance(chunks, list) or not all(isinstance(chunk, bytes) for chunk in chunks):
                return {}
            for chunk in chunks:
                part = _Unpickler(io.BytesIO(chunk)).load()
                if not isinstance(part, dict) or not all(
                        isinstance(key, tuple) and len(key) == 2 and all(isinstance(k, str) for k in key)
                        and self._valid(key, value) for key, value in part.items()):
                    self._chunks = []
                    return {}
                entries.update(part)
                self._chunks.append((chunk, frozenset(part)))
        except Exception:  # noqa: BLE001 - anything wrong with the cache only means parsing the files
            self._chunks = []
            return {}
        return entries

    def get(self, file: str, sha256: str) -> Any | None:
        key = (file, sha256)
        found = self._old.get(key)
        if found is not None:
            self._used.add(key)
        return found

    def put(self, file: str, sha256: str, entry: Any) -> None:
        self._new[(file, sha256)] = entry
        self._used.add((file, sha256))

    def save(self) -> None:
        if self.path is None or (not self._new and self._used == self._read_keys):
            return
        kept, covered = [], set()
        for chunk, keys in self._chunks:
            if keys <= self._used and not keys & covered:
                kept.append(chunk)
                covered |= keys
        rest = {key: self._new[key] if key in self._new else self._old[key] for key in sorted(self._used - covered)}
        payload = pickle.dumps(kept + pickled_chunks(rest), protocol=pickle.HIGHEST_PROTOCOL)
        digest = hashlib.sha256(payload).hexdigest().encode("ascii")
        try:
            self.path.parent.mkdir(exist_ok=True)
            ignore_folder(self.path.parent)
            atomic.write_bytes(self.path, _MAGIC + stamp() + b"\n" + digest + b"\n" + payload)
        except OSError:
            pass  # a read-only project: loading parses the files next time too
