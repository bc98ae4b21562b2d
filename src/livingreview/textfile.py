"""Reading a user's text file: UTF-8 (with or without BOM), never binary, problems as diagnostics."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostic, error


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


def read(path: Path, *, file: str, code: str, kind: str, exception: type[Exception]) -> str:
    """The text of *path*; raises *exception* (an InputError class) with the diagnostic otherwise."""
    text, problem = decode(Path(path).read_bytes(), file=file, code=code, kind=kind)
    if problem is not None:
        raise exception([problem])
    return text
