"""What changed in the evidence since the previous build, per report: ``outputs/CHANGELOG.md``.

The history is data (``outputs/changelog.json``, newest entry first); the Markdown file and
the index section are two renderings of it. An entry is added only when some report's
evidence changed: works added or removed, findings whose direction changed, questions opened
or closed, question statuses in the register. Its date is the build date (the commit's, or
``SOURCE_DATE_EPOCH``), never the clock; it names the commit and whether the tree had
uncommitted changes.

The previous build is a published outputs folder: the one being written, or the one
``build --previous DIR`` names (in CI, where the outputs folder starts empty). Its report data,
register and ``changelog.json`` are read, never written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from html import escape
from pathlib import Path

from markupsafe import Markup

from ..errors import LivingReviewError
from ..pages import fragment
from . import manifest
from .bundle import Bundle, dumps

SCHEMA = "livingreview/changelog@1"
JSON_NAME = "changelog.json"
MD_NAME = "CHANGELOG.md"


class PreviousOutputsInvalid(LivingReviewError):
    """``--previous`` names a folder that is not a published outputs folder."""


def previous_outputs(folder: Path, outputs: Path) -> Path:
    """*folder*, resolved, once it is known to be a published outputs folder (it holds a livingreview
    ``manifest.json``) apart from *outputs*, the folder being written; :class:`PreviousOutputsInvalid`
    naming it otherwise."""
    if not folder.exists():
        raise PreviousOutputsInvalid(f"--previous {folder}: no such folder")
    if not folder.is_dir():
        raise PreviousOutputsInvalid(f"--previous {folder}: is a file, not a folder")
    path = folder / manifest.NAME
    if not path.is_file():
        raise PreviousOutputsInvalid(f"--previous {folder}: holds no {manifest.NAME}, so it is not an outputs folder "
                                     "`livingreview build` published")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PreviousOutputsInvalid(f"--previous {path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PreviousOutputsInvalid(f"--previous {path}: cannot be read ({exc})") from None
    if not isinstance(data, dict) or data.get("schema") != manifest.SCHEMA:
        raise PreviousOutputsInvalid(f"--previous {path}: not a livingreview manifest (schema {manifest.SCHEMA})")
    resolved = folder.resolve()  # read after the kernels ran, which move the working directory for a while
    if resolved == outputs:
        raise PreviousOutputsInvalid(f"--previous {folder} is the outputs folder this build writes; leave --previous out "
                                     "to compare with it")
    if outputs.is_relative_to(resolved) or resolved.is_relative_to(outputs):
        raise PreviousOutputsInvalid(f"--previous {folder} and the outputs folder {outputs} lie one inside the other; "
                                     "the previous build must be a folder this build does not write to")
    return resolved


def read_published(folder: Path) -> Bundle | None:
    """The bundle a published report folder holds, or None when it has none (a first build)."""
    try:
        evidence = json.loads((folder / "evidence.json").read_text(encoding="utf-8"))["rows"]
        questions = json.loads((folder / "open-questions.json").read_text(encoding="utf-8"))["rows"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Bundle(evidence=evidence, questions=questions)


def compare(name: str, old: Bundle | None, new: Bundle) -> dict | None:
    """The change from *old* to *new* for report *name*, or None when the evidence is the same."""
    works = sorted({r["key"] for r in new.evidence})
    questions = {q["question_id"]: q["text"] for q in new.questions}
    if old is None:
        return {"report": name, "first": True, "works": len(works), "findings": len(new.evidence), "questions": len(questions)}
    old_works = {r["key"] for r in old.evidence}
    old_questions = {q["question_id"]: q["text"] for q in old.questions}
    old_directions = {f"{r['key']}#{r['finding_id']}": r["direction"] for r in old.evidence}
    change = {
        "report": name,
        "works_added": sorted(set(works) - old_works),
        "works_removed": sorted(old_works - set(works)),
        "directions_changed": [
            {"finding": finding, "from": old_directions[finding], "to": direction}
            for finding, direction in sorted((f"{r['key']}#{r['finding_id']}", r["direction"]) for r in new.evidence)
            if finding in old_directions and old_directions[finding] != direction
        ],
        "questions_opened": [{"id": q, "text": questions[q]} for q in sorted(set(questions) - set(old_questions))],
        "questions_closed": [{"id": q, "text": old_questions[q]} for q in sorted(set(old_questions) - set(questions))],
    }
    return change if any(v for k, v in change.items() if k != "report") else None


REGISTER = "open-question register"
#: the register's data in an outputs folder
REGISTER_JSON = "open-questions.json"


def read_register(path: Path) -> list[dict] | None:
    """The rows of a published register (``outputs/open-questions.json``), or None on a first build."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return rows if isinstance(rows, list) and all(isinstance(r, dict) and "question_id" in r for r in rows) else None


def compare_register(old_rows: list[dict] | None, register) -> dict | None:
    """Status changes of the review-wide question register, as a change entry (None: nothing changed)."""
    from ..synthesis.questions import diff_register

    if old_rows is None:
        return None
    lines = diff_register(old_rows, register)
    return {"report": REGISTER, "status_changes": lines} if lines else None


def changes_since(previous: Path, reports: Iterable[tuple[str, Bundle]], register) -> list[dict]:
    """The changes from the build published in *previous* to *reports* (``(name, bundle)``) and *register*."""
    changes = [c for name, made in reports if (c := compare(name, read_published(previous / name), made))]
    if status_changes := compare_register(read_register(previous / REGISTER_JSON), register):
        changes.append(status_changes)
    return changes


def read_history(outputs: Path) -> list[dict]:
    try:
        data = json.loads((outputs / JSON_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return data.get("entries", []) if isinstance(data, dict) and data.get("schema") == SCHEMA else []


def add_entry(history: list[dict], changes: list[dict], *, date: str, commit: str | None,
              uncommitted: bool = False) -> list[dict]:
    """*history* with a new first entry for *changes* (unchanged when there are none); *uncommitted*:
    the build read uncommitted changes (the entry says so)."""
    if not changes:
        return history
    entry = {"date": date, "commit": commit, "uncommitted_changes": uncommitted,
             "changes": sorted(changes, key=lambda c: c["report"])}
    return [entry, *history]


def to_json(history: list[dict]) -> bytes:
    return dumps({"schema": SCHEMA, "entries": history})


def _lines(change: dict) -> list[str]:
    """One plain-text line per kind of change (user text is escaped by the renderings)."""
    if "status_changes" in change:
        return [f"Question {line}" for line in change["status_changes"]]
    if change.get("first"):
        return [f"First build: {_count(change['works'], 'work')}, {_count(change['findings'], 'finding')}, "
                f"{_count(change['questions'], 'open question')}."]
    out = []
    if change["works_added"]:
        out.append("Works added: " + ", ".join(change["works_added"]))
    if change["works_removed"]:
        out.append("Works removed: " + ", ".join(change["works_removed"]))
    out += [f"Direction changed: {d['finding']} {d['from']} → {d['to']}" for d in change["directions_changed"]]
    out += [f"Question opened: {q['id']} — {q['text']}" for q in change["questions_opened"]]
    out += [f"Question closed: {q['id']} — {q['text']}" for q in change["questions_closed"]]
    return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _heading(entry: dict) -> str:
    facts = [f"commit {entry['commit'][:12]}"] if entry.get("commit") else []
    if entry.get("uncommitted_changes"):
        facts.append("with uncommitted changes")
    return entry["date"] + (f" ({', '.join(facts)})" if facts else "")


def to_markdown(history: list[dict]) -> str:
    parts = ["# Changelog", "",
             "What changed in the evidence of each report between builds, newest first. Written by `livingreview build`.", ""]
    for entry in history:
        parts += [f"## {escape(_heading(entry))}", ""]
        for change in entry["changes"]:
            parts += [f"### {escape(change['report'])}", ""]
            parts += [f"- {escape(line)}" for line in _lines(change)] + [""]
    if not history:
        parts += ["No builds yet.", ""]
    return "\n".join(parts)


def to_html(history: list[dict]) -> Markup:
    """The history as an HTML fragment for the index page (``templates/pages/changelog.html.j2``)."""
    entries = [{"heading": _heading(entry),
                "changes": [{"report": change["report"], "lines": _lines(change)} for change in entry["changes"]]}
               for entry in history]
    return fragment("changelog.html.j2", history=entries)
