"""The guarded reader: input files inside the project, regular, within their limit; refusals as diagnostics.

Reads that could block (a FIFO) run under an alarm, so a regression fails instead of hanging."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import tempfile
from pathlib import Path

import pytest

from livingreview import textfile, yamlio
from livingreview.cli import main
from livingreview.errors import InputError
from livingreview.textfile import MB, FileRefused, Scope

SECRET = "root:x:0:0:SECRET-LINE-NOT-TO-BE-SHOWN\n"


@contextlib.contextmanager
def _within(seconds: int):
    """Fail (instead of hanging) when the block takes longer than *seconds*."""
    def _timeout(signum, frame):
        raise TimeoutError(f"blocked for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def root(tmp_path) -> Path:
    (tmp_path / "project").mkdir()
    return tmp_path / "project"


def _scope(root: Path, megabytes: int = 4) -> Scope:
    return Scope.of(root, megabytes, "limits.file_mb in reviews/build.yml")


def _refusal(path: Path, scope: Scope, **kw) -> tuple[str, str]:
    """``(code, formatted diagnostic)`` of the refusal to read *path* (named ``x.yml``)."""
    with pytest.raises(FileRefused) as caught:
        textfile.read_bytes(path, file="x.yml", scope=scope, **kw)
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.file, diagnostic.line) == ("x.yml", None)
    return diagnostic.code, diagnostic.format()


def test_a_regular_file_inside_the_project_is_read(root):
    (root / "a.yml").write_bytes(b"key: value\n")
    (root / "link.yml").symlink_to("a.yml")  # a link that stays inside is followed
    assert textfile.read_bytes(root / "a.yml", file="a.yml", scope=_scope(root)) == b"key: value\n"
    assert textfile.read_bytes(root / "link.yml", file="link.yml", scope=_scope(root)) == b"key: value\n"


def test_a_missing_file_is_left_to_the_caller(root):
    with pytest.raises(FileNotFoundError):
        textfile.read_bytes(root / "absent.yml", file="absent.yml", scope=_scope(root))


def test_a_link_out_of_the_project_is_refused_and_its_content_never_shown(root, tmp_path):
    (tmp_path / "secret.txt").write_text(SECRET)
    (root / "x.yml").symlink_to(tmp_path / "secret.txt")
    code, text = _refusal(root / "x.yml", _scope(root))
    assert code == "FILE001" and "outside the project" in text
    assert "SECRET" not in text and "root:" not in text and str(tmp_path / "secret.txt") not in text


def test_a_path_through_a_linked_folder_out_of_the_project_is_refused(root, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.yml").write_text(SECRET)
    (root / "linked").symlink_to(tmp_path / "elsewhere")
    assert _refusal(root / "linked" / "x.yml", _scope(root))[0] == "FILE001"


def test_a_file_the_user_named_may_be_anywhere_but_gets_every_other_check(root, tmp_path):
    (tmp_path / "records.ris").write_text("TY  - JOUR\n")
    anywhere = _scope(root).anywhere()
    assert textfile.read_bytes(tmp_path / "records.ris", file="records.ris", scope=anywhere) == b"TY  - JOUR\n"
    (tmp_path / "zero").symlink_to("/dev/zero")
    code, text = _refusal(tmp_path / "zero", anywhere)
    assert code == "FILE003" and "a character device" in text


def test_a_symlink_loop_is_refused(root):
    (root / "x.yml").symlink_to("y.yml")
    (root / "y.yml").symlink_to("x.yml")
    code, text = _refusal(root / "x.yml", _scope(root))
    assert code == "FILE002" and "symbolic link loop" in text


def test_a_fifo_is_refused_without_waiting_for_a_writer(root):
    os.mkfifo(root / "x.yml")
    with _within(10):
        code, text = _refusal(root / "x.yml", _scope(root))
    assert code == "FILE003" and "FIFO" in text


def test_a_listed_fifo_is_refused_too(root):
    os.mkfifo(root / "x.yml")
    [entry] = textfile.listing(root, ".yml", _scope(root), file=".")
    assert entry.resolved
    with _within(10):
        assert _refusal(entry.path, _scope(root), resolved=entry.resolved)[0] == "FILE003"


def test_a_folder_and_a_socket_are_not_regular_files(root):
    (root / "x.yml").mkdir()
    assert _refusal(root / "x.yml", _scope(root))[1].count("a folder, not a regular file") == 1
    short = Path(tempfile.mkdtemp(prefix="lr-"))  # a socket's path must be short
    try:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(short / "s"))
            code, text = _refusal(short / "s", Scope.of(short, 4))
        assert code == "FILE003" and "a socket" in text
    finally:
        (short / "s").unlink(missing_ok=True)
        short.rmdir()


def test_a_file_over_the_limit_is_refused_without_reading_it(root, monkeypatch):
    with open(root / "x.yml", "wb") as handle:
        handle.truncate(4 * MB + 1)  # sparse: its size is all that is known of it
    monkeypatch.setattr(textfile.os, "read", lambda *a: pytest.fail("a file over the limit was read"))
    code, text = _refusal(root / "x.yml", _scope(root))
    assert code == "FILE004"
    assert "larger than 4 MB, the limit set by limits.file_mb in reviews/build.yml" in text
    assert "raise limits.file_mb in reviews/build.yml" in text


def test_a_file_of_exactly_the_limit_is_read(root):
    (root / "x.yml").write_bytes(b"a" * MB)
    assert len(textfile.read_bytes(root / "x.yml", file="x.yml", scope=_scope(root, 1))) == MB


def test_a_file_that_claims_to_be_small_is_read_only_to_the_limit_and_one_byte(root, monkeypatch):
    (root / "x.yml").write_bytes(b"a" * (3 * MB))
    real_fstat, real_read, read = os.fstat, os.read, []

    def small(fd):
        info = real_fstat(fd)
        return os.stat_result((info.st_mode, *info[1:6], 10, *info[7:]))  # st_size: 10 bytes

    def counted(fd, n):
        data = real_read(fd, n)
        read.append(len(data))
        return data

    monkeypatch.setattr(textfile.os, "fstat", small)
    monkeypatch.setattr(textfile.os, "read", counted)
    assert _refusal(root / "x.yml", _scope(root, 1))[0] == "FILE004"
    assert sum(read) == MB + 1


def test_a_file_that_cannot_be_opened_is_refused_with_the_reason(root, monkeypatch):
    (root / "x.yml").write_text("key: value\n")

    def forbidden(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(textfile.os, "open", forbidden)
    code, text = _refusal(root / "x.yml", _scope(root))
    assert code == "FILE005" and "(Permission denied)" in text


def test_the_refusal_is_carried_by_the_callers_exception_class(root):
    os.mkfifo(root / "x.yml")
    with _within(10), pytest.raises(yamlio.YamlError) as caught:
        yamlio.load_file(root / "x.yml", "x.yml", scope=_scope(root))
    assert [d.code for d in caught.value.diagnostics] == ["FILE003"]
    assert isinstance(caught.value, InputError)


def test_a_listing_is_sorted_and_knows_which_entries_are_links(root):
    for name in ("b.yml", "a.yml", "notes.txt"):
        (root / name).write_text("x: 1\n")
    (root / "c.yml").symlink_to("a.yml")
    entries = textfile.listing(root, ".yml", _scope(root), file=".")
    assert [(e.name, e.resolved) for e in entries] == [("a.yml", True), ("b.yml", True), ("c.yml", False)]
    assert textfile.listing(root / "absent", ".yml", _scope(root), file="absent") == []


def test_a_listed_folder_that_is_a_link_out_of_the_project_is_refused(root, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.yml").write_text(SECRET)
    (root / "notes").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(FileRefused) as caught:
        textfile.listing(root / "notes", ".yml", _scope(root), file="notes")
    assert [(d.code, d.file) for d in caught.value.diagnostics] == [("FILE001", "notes")]


# -- through the commands ---------------------------------------------------------------------


def test_check_refuses_a_linked_hypotheses_folder_out_of_the_project(tiny_project, tmp_path, capsys):
    folder = tiny_project.root / "reviews" / "hypotheses"
    folder.rename(tmp_path / "hypotheses")
    folder.symlink_to(tmp_path / "hypotheses")
    assert main(["--root", str(tiny_project.root), "check"]) == 2
    assert "reviews/hypotheses: error FILE001 the path resolves outside the project" in capsys.readouterr().out


def test_check_names_a_note_over_the_limit_build_yml_sets(tiny_project, capsys):
    tiny_project.edit("reviews/build.yml", "variants:", "limits:\n  file_mb: 1\nvariants:")
    tiny_project.write("reviews/notes/roe2018.yml", "key: roe2018\nquick_summary: " + "x" * MB + "\n")
    assert main(["--root", str(tiny_project.root), "check"]) == 2
    out = capsys.readouterr().out
    assert ("reviews/notes/roe2018.yml: error FILE004 the file is larger than 1 MB, the limit set by limits.file_mb "
            "in reviews/build.yml; it is not read") in out
    assert "xxxx" not in out


def test_build_yml_itself_is_read_under_the_default_limit(tiny_project, capsys):
    tiny_project.edit("reviews/build.yml", "variants:", "limits:\n  file_mb: 64\n# " + "x" * (4 * MB) + "\nvariants:")
    assert main(["--root", str(tiny_project.root), "check"]) == 2
    out = capsys.readouterr().out
    assert "reviews/build.yml: error FILE004 the file is larger than 4 MB; it is not read — keep it under 4 MB" in out


def test_check_sources_outside_the_project_are_read_but_a_fifo_there_is_refused(tiny_project, capsys):
    assert main(["--root", str(tiny_project.root), "check", "--sources", str(tiny_project.sources)]) == 0
    capsys.readouterr()
    source = tiny_project.sources / "doe2020.txt"
    source.unlink()
    os.mkfifo(source)
    with _within(30):
        assert main(["--root", str(tiny_project.root), "check", "--sources", str(tiny_project.sources)]) == 2
    assert f"{source}: error FILE003 the path is a FIFO (named pipe)" in capsys.readouterr().out


def test_a_record_that_is_refused_is_reported_and_not_overwritten(tiny_project, tmp_path, capsys):
    (tmp_path / "record.json").write_text(SECRET)
    (tiny_project.root / "reviews" / "quote-record.json").symlink_to(tmp_path / "record.json")
    assert main(["--root", str(tiny_project.root), "check", "--sources", str(tiny_project.sources)]) == 2
    out = capsys.readouterr().out
    assert "reviews/quote-record.json: error FILE001" in out and "SECRET" not in out
    assert (tmp_path / "record.json").read_text() == SECRET
    assert (tiny_project.root / "reviews" / "quote-record.json").is_symlink()


def test_import_refuses_a_fifo_to_import(tiny_project, tmp_path, capsys):
    os.mkfifo(tmp_path / "records.ris")
    with _within(30):
        assert main(["--root", str(tiny_project.root), "import", str(tmp_path / "records.ris")]) == 2
    assert "error FILE003 the path is a FIFO (named pipe)" in capsys.readouterr().err


def test_import_refuses_a_target_that_is_a_fifo_and_writes_nothing(tiny_project, tmp_path, capsys):
    target = tiny_project.root / "bib" / "pipe.bib"
    os.mkfifo(target)
    ris = tmp_path / "records.ris"
    ris.write_text("TY  - JOUR\nTI  - An example\nPY  - 2021\nER  - \n")
    with _within(30):
        assert main(["--root", str(tiny_project.root), "import", str(ris), "--into", "bib/pipe.bib"]) == 2
    assert "bib/pipe.bib: error FILE003 the path is a FIFO (named pipe)" in capsys.readouterr().err
    assert sorted(p.name for p in target.parent.iterdir()) == ["pipe.bib", "references.bib"]
