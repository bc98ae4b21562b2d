"""``outputs/manifest.json``: every output file with its SHA-256, and per report what it was built from.

It is also the build cache: a report is reused when its cache key equals the one recorded
here and its files still have the recorded hashes. Written last, with ``os.replace``.

Shape::

    {"schema": "livingreview/manifest@1",
     "files": {"<path under outputs/>": "<sha256>", ...},
     "reports": {"<hypothesis>/<variant>": {"hypothesis", "variant", "hypothesis_title", "variant_title",
                                            "key", "inputs": {name: sha256}, "parameters", "summary"}}}
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import fingerprint
from ..filehashes import FileHashes
from ..fingerprint import stable_json as dumps

NAME = "manifest.json"
SCHEMA = "livingreview/manifest@1"
#: what the last build did (not listed in the manifest: it changes with every build)
BUILD_REPORT = "build-report.json"
BUILD_REPORT_SCHEMA = "livingreview/build-report@1"


def empty() -> dict:
    return {"schema": SCHEMA, "files": {}, "reports": {}}


def read(outputs: Path) -> dict:
    """The previous manifest; an absent or unreadable one is empty (everything is then rebuilt)."""
    try:
        data = json.loads((outputs / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty()
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        return empty()
    return {**empty(), **data}


def read_build_report(outputs: Path) -> dict:
    """The last build's report (``{}`` when absent or unreadable: it only ever informs, never decides)."""
    try:
        data = json.loads((outputs / BUILD_REPORT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("schema") == BUILD_REPORT_SCHEMA else {}


def folder_hashes(folder: Path, prefix: str) -> dict[str, str]:
    """``{prefix/file: sha256}`` for every file in *folder* (a report folder, staged or published)."""
    return {f"{prefix}/{p.relative_to(folder).as_posix()}": fingerprint.sha256_file(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def report_files(manifest: dict, name: str) -> dict[str, str]:
    """The recorded files of report *name*."""
    return {path: digest for path, digest in manifest["files"].items() if path.startswith(name + "/")}


def damaged(outputs: Path, manifest: dict, name: str, expected: set[str]) -> list[str]:
    """Files of report *name* that are missing, changed since recorded, or never recorded (sorted)."""
    recorded = report_files(manifest, name)
    wanted = {f"{name}/{file}" for file in expected} | set(recorded)
    out = []
    for path in sorted(wanted):
        on_disk = outputs / path
        if path not in recorded or not on_disk.is_file() or fingerprint.sha256_file(on_disk) != recorded[path]:
            out.append(path)
    return out


def render(files: dict[str, str], reports: dict[str, dict], tree: str | None = None) -> bytes:
    """The manifest's bytes; *tree* (see :mod:`.shortcut`) is recorded when the build covered the whole matrix."""
    data = {"schema": SCHEMA, "files": dict(sorted(files.items())), "reports": dict(sorted(reports.items()))}
    if tree:
        data["tree"] = tree
    return dumps(data)


def intact(outputs: Path, manifest: dict, hashes: FileHashes | None = None) -> bool:
    """True when every file the manifest lists is on disk with its recorded hash (*hashes*: remembered by stat)."""
    sha256 = hashes.sha256 if hashes is not None else fingerprint.sha256_file
    return all((outputs / path).is_file() and sha256(outputs / path) == digest for path, digest in manifest["files"].items())
