"""Atomic writes: the old content or the new, never half; nothing left behind."""

from __future__ import annotations

import os

import pytest

from livingreview import atomic


def test_writes_new_files_with_the_usual_permissions(tmp_path):
    path = tmp_path / "sub" / "a.txt"
    atomic.write_text(path, "one\ntwo\n")
    assert path.read_bytes() == b"one\ntwo\n"
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.txt"]


def test_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old")
    path.chmod(0o640)
    atomic.write_text(path, "new")
    assert (path.read_text(), path.stat().st_mode & 0o777) == ("new", 0o640)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old")
    with pytest.raises(UnicodeEncodeError):
        atomic.write_text(path, "bad \udc80 surrogate")
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
