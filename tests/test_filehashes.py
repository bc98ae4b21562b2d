"""File hashes remembered by stat (:mod:`livingreview.filehashes`): an unchanged, settled file is not read
again; an edited one, one that had not settled, or one under a damaged record is."""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from livingreview import filehashes, fingerprint
from livingreview.filehashes import SETTLED_NS, FileHashes


@pytest.fixture
def reads(monkeypatch):
    """The files actually read and hashed."""
    seen = []
    real = fingerprint.sha256_file

    def counting(path):
        seen.append(os.path.basename(path))
        return real(path)

    monkeypatch.setattr(fingerprint, "sha256_file", counting)
    return seen


def _later(monkeypatch, seconds: float) -> None:
    """Runs from now on start *seconds* from now (as if the files had been left alone that long)."""
    real = filehashes.time.time_ns
    monkeypatch.setattr(filehashes.time, "time_ns", lambda: real() + int(seconds * 1e9))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_settled_unchanged_file_is_not_read_again(tmp_path, reads, monkeypatch):
    (tmp_path / "a.yml").write_bytes(b"a: 1\n")
    _later(monkeypatch, 10)
    first = FileHashes(tmp_path)
    assert first.sha256(tmp_path / "a.yml") == _sha(b"a: 1\n")
    first.save()
    again = FileHashes(tmp_path)
    assert again.sha256(tmp_path / "a.yml") == _sha(b"a: 1\n")
    assert reads == ["a.yml"]


def test_an_edited_file_is_read_again(tmp_path, reads, monkeypatch):
    path = tmp_path / "a.yml"
    path.write_bytes(b"a: 1\n")
    _later(monkeypatch, 10)
    first = FileHashes(tmp_path)
    first.sha256(path)
    first.save()
    path.write_bytes(b"a: 2\n")  # the same size: the times and the status change tell
    assert FileHashes(tmp_path).sha256(path) == _sha(b"a: 2\n")
    assert reads == ["a.yml", "a.yml"]


def test_a_file_changed_just_before_the_run_is_read_on_every_run(tmp_path, reads):
    path = tmp_path / "a.yml"
    path.write_bytes(b"a: 1\n")
    for _ in range(3):
        hashes = FileHashes(tmp_path)
        assert hashes.sha256(path) == _sha(b"a: 1\n")
        hashes.save()
    assert reads == ["a.yml"] * 3


def test_a_recorded_stat_is_trusted_only_when_the_file_had_settled_before_its_run():
    stat = [5, 1_000 * SETTLED_NS, 1_000 * SETTLED_NS, 7]
    assert filehashes._trusted([*stat, "h", 1_001 * SETTLED_NS + 1], stat)
    # written twice within the clock's resolution, the file keeps its stat: not trusted unless it had settled
    assert not filehashes._trusted([*stat, "h", 1_001 * SETTLED_NS], stat)
    assert not filehashes._trusted([*stat, "h", 10_000 * SETTLED_NS], [6, *stat[1:]])  # another size
    assert not filehashes._trusted([*stat, "h", 10_000 * SETTLED_NS], [*stat[:3], 8])  # another file (a copy)
    assert not filehashes._trusted(["5", *stat[1:], "h", 10_000 * SETTLED_NS], stat)


@pytest.mark.parametrize("damage", [b"{not json", b'{"format": 99, "files": {}}', b'{"format": 1, "files": []}',
                                    b'{"format": 1, "files": {"X": [1, 2]}}'])
def test_a_damaged_record_means_reading_the_files(tmp_path, reads, damage, monkeypatch):
    path = tmp_path / "a.yml"
    path.write_bytes(b"a: 1\n")
    (tmp_path / ".livingreview-cache").mkdir()
    (tmp_path / ".livingreview-cache" / "hashes.json").write_bytes(damage.replace(b"X", str(path).encode()))
    _later(monkeypatch, 10)
    hashes = FileHashes(tmp_path)
    assert hashes.sha256(path) == _sha(b"a: 1\n") and reads == ["a.yml"]
    hashes.save()
    assert str(path) in json.loads((tmp_path / ".livingreview-cache" / "hashes.json").read_bytes())["files"]


def test_the_record_keeps_files_not_asked_for_while_they_exist(tmp_path, monkeypatch):
    for name in ("kept.yml", "asked.yml", "deleted.yml"):
        (tmp_path / name).write_bytes(name.encode())
    _later(monkeypatch, 10)
    first = FileHashes(tmp_path)
    for name in ("kept.yml", "asked.yml", "deleted.yml"):
        first.sha256(tmp_path / name)
    first.save()
    (tmp_path / "deleted.yml").unlink()
    (tmp_path / "asked.yml").write_bytes(b"edited")
    second = FileHashes(tmp_path)
    second.sha256(tmp_path / "asked.yml")
    second.save()
    files = json.loads((tmp_path / ".livingreview-cache" / "hashes.json").read_bytes())["files"]
    assert sorted(os.path.basename(name) for name in files) == ["asked.yml", "kept.yml"]


def test_nothing_is_written_when_every_hash_came_from_the_record(tmp_path, monkeypatch):
    (tmp_path / "a.yml").write_bytes(b"a")
    _later(monkeypatch, 10)
    first = FileHashes(tmp_path)
    first.sha256(tmp_path / "a.yml")
    first.save()
    record = tmp_path / ".livingreview-cache" / "hashes.json"
    before = record.stat().st_mtime_ns, record.read_bytes()
    os.utime(record, ns=(0, 0))
    second = FileHashes(tmp_path)
    second.sha256(tmp_path / "a.yml")
    second.save()
    assert record.stat().st_mtime_ns == 0 and record.read_bytes() == before[1]
    assert (tmp_path / ".livingreview-cache" / ".gitignore").is_file()


def test_with_the_cache_off_every_file_is_read_and_nothing_recorded(tmp_path, reads, monkeypatch):
    monkeypatch.setenv("LIVINGREVIEW_CACHE", "off")
    (tmp_path / "a.yml").write_bytes(b"a")
    _later(monkeypatch, 10)
    for _ in range(2):
        hashes = FileHashes(tmp_path)
        hashes.sha256(tmp_path / "a.yml")
        hashes.save()
    assert reads == ["a.yml", "a.yml"] and not (tmp_path / ".livingreview-cache").exists()
