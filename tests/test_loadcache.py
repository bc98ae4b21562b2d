"""The load cache: a check from it prints what a check without it prints; an edited file is read
again; a cache that is corrupt, from another package version or holds anything but entries is ignored."""

from __future__ import annotations

import io
import json
import pickle

import pytest

from livingreview import check, loadcache
from livingreview.notes import load as notes_load

DOE = "reviews/notes/doe2020.yml"
CACHE = loadcache.FOLDER


def _check(tiny) -> tuple[int, str]:
    out = io.StringIO()
    code = check.run(tiny.project, out=out, fmt="json")
    return code, out.getvalue()


def _parses(monkeypatch) -> list[str]:
    """The files parsed from now on (not answered by the cache), in order."""
    parsed: list[str] = []
    real = notes_load._parse

    def spy(raw, file, *args):
        parsed.append(file)
        return real(raw, file, *args)

    monkeypatch.setattr(notes_load, "_parse", spy)
    return parsed


def _broken(tiny) -> None:
    """A note with a schema error, a YAML error and a cross-file error, so diagnostics have lines to compare."""
    tiny.edit(DOE, "kind: observed", "kind: seen")
    tiny.write("reviews/notes/bad.yml", "key: bad\nkey: again\n")


@pytest.mark.parametrize("broken", [False, True])
def test_a_warm_check_prints_what_a_cold_one_prints(tiny_project, broken, monkeypatch):
    if broken:
        _broken(tiny_project)
    cold = _check(tiny_project)
    assert (tiny_project.root / CACHE / "note.pickle").is_file()
    parsed = _parses(monkeypatch)
    assert _check(tiny_project) == cold
    assert parsed == []
    monkeypatch.setenv(loadcache.ENVIRONMENT, "off")
    assert _check(tiny_project) == cold  # and without any cache
    if broken:
        assert '"line": ' in cold[1] and json.loads(cold[1])["summary"]["errors"] >= 2


def test_an_edited_note_is_read_again(tiny_project, monkeypatch):
    _check(tiny_project)
    tiny_project.edit(DOE, "kind: observed", "kind: seen")
    parsed = _parses(monkeypatch)
    code, text = _check(tiny_project)
    assert parsed == [DOE]
    assert code == 2 and "NOTE001" in text
    tiny_project.edit(DOE, "kind: seen", "kind: observed")
    assert _check(tiny_project)[0] == 0


def test_a_removed_note_leaves_the_cache(tiny_project):
    _check(tiny_project)
    (tiny_project.root / "reviews/notes/roe2018.yml").unlink()
    _check(tiny_project)
    cache = loadcache.Cache(tiny_project.root, "note", lambda key, value: True)
    assert [file for file, _ in cache._old] == [DOE]


@pytest.mark.parametrize("damage", ["truncated", "flipped", "other version", "not entries", "a foreign class", "empty"])
def test_a_damaged_cache_is_ignored(tiny_project, monkeypatch, damage):
    cold = _check(tiny_project)
    path = tiny_project.root / CACHE / "note.pickle"
    raw = path.read_bytes()
    head, stamp, digest, payload = raw[:len(loadcache._MAGIC)], *raw[len(loadcache._MAGIC):].split(b"\n", 2)

    def sealed(data: bytes) -> bytes:  # a payload with a correct header, so only the content is wrong
        return head + stamp + b"\n" + loadcache.hashlib.sha256(data).hexdigest().encode() + b"\n" + data

    path.write_bytes({
        "truncated": raw[: len(raw) // 2],
        "flipped": raw[:-10] + bytes([raw[-10] ^ 0xFF]) + raw[-9:],
        "other version": head + b"0" * len(stamp) + b"\n" + digest + b"\n" + payload,
        "not entries": sealed(pickle.dumps({(DOE, "0" * 64): ("doe2020", "not a note", ())})),
        "a foreign class": sealed(pickle.dumps({(DOE, "0" * 64): io.StringIO})),
        "empty": b"",
    }[damage])
    parsed = _parses(monkeypatch)
    assert _check(tiny_project) == cold
    assert sorted(parsed) == [DOE, "reviews/notes/roe2018.yml"]
    parsed.clear()
    assert _check(tiny_project) == cold  # rewritten: answered from the cache again
    assert parsed == []


def test_an_entry_under_another_files_key_is_not_used(tiny_project, monkeypatch):
    """Entries carry their file and hash: one moved under another key makes the whole cache suspect."""
    _check(tiny_project)
    cache = loadcache.Cache(tiny_project.root, "note", lambda key, value: True)
    (doe_key, doe), (roe_key, roe) = sorted(cache._old.items())
    swapped = loadcache.Cache(None, "note", cache._valid)
    swapped.path = cache.path
    swapped.put(*doe_key, roe)
    swapped.put(*roe_key, doe)
    swapped.save()
    parsed = _parses(monkeypatch)
    _check(tiny_project)
    assert len(parsed) == 2


def test_a_read_only_project_loads_without_writing(tiny_project, monkeypatch):
    monkeypatch.setattr(loadcache.atomic, "write_bytes", lambda *a: (_ for _ in ()).throw(PermissionError("read-only")))
    assert _check(tiny_project)[0] == 0
    assert not (tiny_project.root / CACHE / "note.pickle").exists()


def test_the_cache_folder_ignores_itself_in_git(tiny_project):
    _check(tiny_project)
    assert (tiny_project.root / CACHE / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_a_bibliography_from_the_cache_is_the_same(tiny_project, monkeypatch):
    from livingreview.bib import load as bib_load

    first, problems = bib_load.load_project_bibliography(tiny_project.project)
    monkeypatch.setattr(bib_load, "_parse_texts", lambda read: pytest.fail("parsed again"))
    again, problems_again = bib_load.load_project_bibliography(tiny_project.project)
    assert (list(again.entries), again.files, again.macros, problems_again) == (list(first.entries), first.files,
                                                                               first.macros, problems)
    assert [e.line_of("title") for e in again.entries] == [e.line_of("title") for e in first.entries]


def test_an_edit_re_pickles_only_the_chunk_it_is_in(tiny_project, monkeypatch):
    for n in range(loadcache.CHUNK + 10):
        tiny_project.write(f"reviews/notes/extra{n:04d}.yml", "key: extra\n")  # NOTE002 each: a diagnostic to keep
    cold = _check(tiny_project)
    tiny_project.edit(DOE, "kind: observed", "kind: seen")
    edited = _check(tiny_project)
    pickled = []
    real = loadcache.pickled_chunks
    monkeypatch.setattr(loadcache, "pickled_chunks", lambda entries: pickled.append(len(entries)) or real(entries))
    tiny_project.edit(DOE, "kind: seen", "kind: observed")
    assert _check(tiny_project) == cold
    assert pickled and sum(pickled) <= loadcache.CHUNK
    monkeypatch.setenv(loadcache.ENVIRONMENT, "off")
    tiny_project.edit(DOE, "kind: observed", "kind: seen")
    assert _check(tiny_project) == edited
