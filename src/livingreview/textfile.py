"""Reading a user's input file: inside the project, a regular file, not too large; UTF-8 text.

Every input file (notes, hypotheses, YAML settings, the screening CSV, the quote record, notebooks,
``.bib`` files, source texts) is read through :func:`read_bytes`, which, before reading a byte:

* resolves the path and refuses one that resolves outside the project root (through a symbolic
  link), unless the file is one the user named explicitly (a :class:`Scope` without a root);
* opens it without following a last symbolic link and without blocking (``O_NOFOLLOW``,
  ``O_NONBLOCK``) and asks the open descriptor what it is (``fstat``), so what is checked is what is
  read: a FIFO, a device, a socket or a folder is refused, and so is a symbolic link loop;
* refuses a file larger than the scope's limit without reading it, and reads at most one byte more
  than the limit, so a file that grows, or claims to be smaller than it is, cannot exhaust memory.

Folders are listed by :func:`listing`, which refuses a folder that resolves outside the project.
Each refusal is a :class:`Diagnostic` naming the file and never showing its content:

=======  ========  =========================================================================
code     severity  meaning
=======  ========  =========================================================================
FILE001  error     the file or folder resolves outside the project (a symbolic link points out)
FILE002  error     a symbolic link loop: the path never arrives at a file
FILE003  error     not a regular file: a FIFO, a device, a socket or a folder
FILE004  error     the file is larger than its limit (``limits:`` in ``reviews/build.yml``)
FILE005  error     the file cannot be opened or read (no permission, an I/O error)
=======  ========  =========================================================================

A file that does not exist is the caller's to report (each says what is missing in its own
words): :func:`read_bytes` lets :class:`FileNotFoundError` through.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, error
from .errors import InputError

MB = 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
_CHUNK = MB  # read size after the first read (which asks for the whole file and one byte more)
_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


class FileRefused(InputError):
    """An input file is not read: outside the project, not a regular file, too large, unreadable."""


@dataclass(frozen=True)
class Scope:
    """Where input files may be and how large they may be.

    *root*: the resolved project root every file must resolve into (None: anywhere, for a file
    or folder the user named on the command line); *limit*: bytes; *setting*: the setting that
    raises the limit, as the message names it (None: none does)."""

    root: str | None
    limit: int
    setting: str | None = None

    @classmethod
    def of(cls, root: Path | str | None, megabytes: int, setting: str | None = None) -> "Scope":
        return cls(os.path.realpath(root) if root is not None else None, megabytes * MB, setting)

    def anywhere(self) -> "Scope":
        """The same limit, for a file outside the project the user chose explicitly."""
        return Scope(None, self.limit, self.setting)

    def holds(self, real: str) -> bool:
        """Whether the resolved path *real* is inside the root."""
        root = self.root
        return root is None or real == root or real.startswith(root.rstrip(os.sep) + os.sep)


@dataclass(frozen=True, slots=True)
class Listed:
    """A folder entry; *resolved*: its path holds no symbolic link (so it is not resolved again)."""

    path: Path
    resolved: bool

    @property
    def name(self) -> str:
        return self.path.name


class _Refusal(Exception):
    """Internal: why a file is not read (the public functions raise the caller's class)."""

    def __init__(self, code: str, message: str, hint: str):
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint

    def diagnostic(self, file: str) -> Diagnostic:
        return error(self.code, file, None, self.message, hint=self.hint)


def read_bytes(path: Path | str, *, file: str, scope: Scope, exception: type[InputError] = FileRefused,
               resolved: bool = False) -> bytes:
    """The bytes of *path*, or *exception* carrying the refusal (named *file*).

    *resolved*: the path is known to hold no symbolic link (an entry of :func:`listing`), so it is
    opened as it is. :class:`FileNotFoundError` is let through: a missing file is the caller's."""
    try:
        return _read(str(path) if resolved else _locate(path, scope), scope)
    except _Refusal as refusal:
        raise exception([refusal.diagnostic(file)]) from None


def _locate(path: Path | str, scope: Scope) -> str:
    """*path* resolved (symbolic links followed), refused when it leaves the scope's root."""
    real = os.path.realpath(path)
    if not scope.holds(real):
        raise _Refusal("FILE001", "the path resolves outside the project (a symbolic link points out of it); "
                       "it is not read", "put the file or folder itself inside the project instead of a link to it")
    return real


def _read(real: str, scope: Scope) -> bytes:
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise _open_refusal(real, exc) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(info.st_mode)
        if info.st_size > scope.limit:
            raise _too_large(scope)
        return _bounded(fd, info.st_size, scope)
    except OSError as exc:
        raise _os_refusal(exc) from None
    finally:
        os.close(fd)


def _bounded(fd: int, size: int, scope: Scope) -> bytes:
    """At most ``limit + 1`` bytes of *fd*: the whole file, or a refusal when it holds more than the limit."""
    chunks, total, want = [], 0, min(size, scope.limit) + 1
    while chunk := os.read(fd, want):
        chunks.append(chunk)
        total += len(chunk)
        if total > scope.limit:
            raise _too_large(scope)
        want = min(_CHUNK, scope.limit + 1 - total)
    return b"".join(chunks)


def _open_refusal(real: str, exc: OSError) -> _Refusal:
    """Why a file could not be opened: a loop, not a regular file (a socket cannot be opened, a device
    may be forbidden; only then is the path stat'ed), or an error of the system."""
    if exc.errno != errno.ELOOP:
        try:
            mode = os.stat(real).st_mode
        except OSError:
            mode = stat.S_IFREG
        if not stat.S_ISREG(mode):
            return _not_regular(mode)
    return _os_refusal(exc)


def _os_refusal(exc: OSError) -> _Refusal:
    if exc.errno == errno.ELOOP:
        return _Refusal("FILE002", "the path is a symbolic link loop (or too many links deep); it cannot be read",
                        "replace the links by the file itself")
    return _Refusal("FILE005", f"the path cannot be read ({exc.strerror or exc})", "check that it is readable")


def _not_regular(mode: int) -> _Refusal:
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return _Refusal("FILE003", f"the path is {kind}, not a regular file; it is not read",
                    "replace it by a plain text file")


def _too_large(scope: Scope) -> _Refusal:
    limit = f"{scope.limit / MB:g} MB"
    if scope.setting is None:
        return _Refusal("FILE004", f"the file is larger than {limit}; it is not read", f"keep it under {limit}")
    return _Refusal("FILE004", f"the file is larger than {limit}, the limit set by {scope.setting}; it is not read",
                    f"raise {scope.setting} if the file is meant to be this large")


def listing(folder: Path, suffix: str, scope: Scope, *, file: str,
            exception: type[InputError] = FileRefused) -> list[Listed]:
    """The entries of *folder* whose names end in *suffix*, sorted by name (none when it does not exist).

    The folder is resolved once and refused (*exception*, named *file*) when it resolves outside the
    scope's root; entries that are not symbolic links are then known to be inside it."""
    try:
        real = _locate(folder, scope)
        with os.scandir(real) as entries:
            found = [(entry.name, entry.is_symlink()) for entry in entries if entry.name.endswith(suffix)]
    except (FileNotFoundError, NotADirectoryError):
        return []
    except _Refusal as refusal:
        raise exception([refusal.diagnostic(file)]) from None
    except OSError as exc:
        raise exception([_os_refusal(exc).diagnostic(file)]) from None
    base = Path(real)
    return [Listed(base / name, not link) for name, link in sorted(found)]


def decode(raw: bytes, *, file: str, code: str, kind: str) -> tuple[str | None, Diagnostic | None]:
    """*raw* as text, or the diagnostic that says why not (with the line of the first bad byte).

    *kind* names what the file should be ("YAML", "CSV") in the NUL-byte message."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, error(code, file, line, "file is not UTF-8 text", hint="save it as UTF-8")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, error(code, file, line, f"file contains NUL bytes (binary, not {kind})", hint=f"save it as {kind} text")
    return text, None


def read(path: Path, *, file: str, code: str, kind: str, scope: Scope, exception: type[InputError],
         resolved: bool = False) -> str:
    """The text of *path* (read by :func:`read_bytes`); raises *exception* (an InputError class) otherwise."""
    raw = read_bytes(path, file=file, scope=scope, exception=exception, resolved=resolved)
    text, problem = decode(raw, file=file, code=code, kind=kind)
    if problem is not None:
        raise exception([problem])
    return text
