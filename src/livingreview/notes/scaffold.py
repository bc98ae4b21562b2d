"""``livingreview new KEY``: start ``reviews/notes/<KEY>.yml`` from a bibliography entry.

The note is a commented template: its first line names the schema ``livingreview schema`` writes
(for editors with the YAML language server), the key is filled in, the entry's title, authors and
year are shown as comments, every choice list comes from the schema, and everything the note's
author must read the source for is left empty, so ``livingreview check`` lists what remains to fill in.
An existing note is never overwritten unless asked to (``force``).

=======  ====================================================================
code     meaning (errors, raised as exceptions)
=======  ====================================================================
NOTE020  the key is not in the bibliography, or cannot name a note file
NOTE021  the note exists and ``force`` was not given
=======  ====================================================================
"""

from __future__ import annotations

import posixpath
import re
import textwrap
import typing
from pathlib import Path

from ..diagnostics import closest, error
from ..errors import InputError
from ..project import NOTE_SCHEMA, NOTES, Project
from .. import atomic
from . import model


#: the note's first line: editors with the YAML language server complete and check its fields with the
#: schema ``livingreview schema`` writes (the path is relative to the note's folder)
SCHEMA_LINE = f"# yaml-language-server: $schema={posixpath.relpath(NOTE_SCHEMA.as_posix(), NOTES.as_posix())}"


class UnknownKey(InputError):
    """The key is not in the bibliography (or cannot name a note file)."""


class NoteExists(InputError):
    """The note already exists and ``force`` was not given."""


def new_note(project: Project, key: str, force: bool = False, design: str | None = None, tool=None) -> Path:
    """Write the template note for bibliography entry *key*; return its path. With *design* the note
    states it, and with *tool* (the risk-of-bias tool the review gives that design, a
    :class:`~livingreview.synthesis.rob_tools.Tool`) it gets that tool's ``risk_of_bias`` block."""
    from ..bib.load import load_project_bibliography

    bibliography, _ = load_project_bibliography(project)  # its problems are `check`'s to report
    if key not in bibliography:
        raise UnknownKey([error("NOTE020", "bib", None, f"'{key}' is not in the bibliography", key=key,
                                hint=closest(key, bibliography, 0.8) or "add the entry to a bib/*.bib file first")])
    if not re.fullmatch(model.KEY, key):
        raise UnknownKey([error("NOTE020", "bib", None, f"'{key}' cannot name a note file", key=key,
                                hint="use a key of letters, digits and _ : . - only")])
    path = project.note_path(key)
    if path.exists() and not force:
        raise NoteExists([error("NOTE021", project.rel(path), None, "the note already exists", key=key,
                                hint="edit it, or pass --force to replace it with an empty template")])
    try:
        vocabulary = project.vocabulary
    except InputError:
        vocabulary = None  # its problems are `check`'s to report; the template then lists no values
    atomic.write_text(path, template(bibliography[key], design=design, tool=tool, vocabulary=vocabulary))
    return path


def _choices(annotation, indent: str = "") -> str:
    """The allowed values of a ``Literal`` as comment lines of at most 100 characters."""
    return _wrapped(typing.get_args(annotation), indent)


def _wrapped(values, indent: str = "") -> str:
    """*values* joined by " | " as comment lines of at most 100 characters."""
    lines = textwrap.wrap(" | ".join(values), 100 - len(indent) - 2, break_on_hyphens=False)
    return f"\n{indent}# ".join(lines)


def _declared(values, indent: str = "") -> str:
    """The vocabulary's values as comment lines (or where to declare them, when it is not readable)."""
    return _wrapped(values, indent) if values else "the values declared in reviews/vocabulary.yml"


def _comment(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip()


def risk_of_bias_block(tool) -> str:
    """The ``risk_of_bias`` block of *tool*: every domain ``no information`` until judged from the source."""
    lines = [f"# risk of bias, judged with {_comment(tool.name)}",
             "# (the tool reviews/risk-of-bias.yml gives the design). The overall judgement is computed",
             f"# from the domains, never typed. Judge each domain ({_choices_of(tool.scale)})",
             "# and fill in its basis: `fact` with `extracted_from` (the record), or a verbatim `quote`",
             "# from source_text with `locator`. Leave `no information` where the source does not say.",
             "risk_of_bias:", "  domains:"]
    for domain in tool.domains:
        lines += [f"    {domain.id}:  # {_comment(domain.name)}", "      judgement: no information"]
    return "\n".join(lines) + "\n"


def _choices_of(values) -> str:
    return " | ".join(values)


def template(entry, design: str | None = None, tool=None, vocabulary=None) -> str:
    """The note's text for *entry* (a bibliography ``Entry``); with *design* stated and *tool*'s
    risk-of-bias block (see :func:`new_note`); the conditions and criteria the review's *vocabulary*
    declares are listed as comments."""
    conditions = list(vocabulary.conditions) if vocabulary else []
    criteria = list(vocabulary.criteria) if vocabulary else []
    about = [SCHEMA_LINE, f"# Note on: {_comment(entry.title or '(no title)')}"]
    authors = entry.authors
    byline = [("; ".join(authors[:3]) + ("; et al." if len(authors) > 3 else "")) if authors else None, entry.year]
    if any(byline):
        about.append("# " + ", ".join(_comment(v) for v in byline if v))
    if entry.doi:
        about.append(f"# DOI {_comment(entry.doi)}")
    source_type = _implied_source_type(entry)
    return "\n".join(about) + f"""
#
# Written by `livingreview new`. Fill in every empty field from the source itself, then run
# `livingreview check`; it names each field still missing. The schema: livingreview.notes.model;
# editors read it from the file the first line names, which `livingreview schema` writes.
key: {entry.key}
# {_choices(model.SourceType)}
source_type:{f" {source_type}" if source_type else ""}
# {_choices(model.Design)}
design:{f" {design}" if design else ""}
population:
  # {_declared(conditions, "  ")}
  conditions: []
  patients: unknown  # a number, or unknown
  controls: unknown  # a number, none, or unknown
  description:
# the diagnostic criteria as the source states them; the vocabulary's facets are derived from them
# {_declared(criteria)}
criteria: []
# the file name of the source text the quotes come from (looked up in `check --sources DIR`)
source_text:
reports: []  # citation keys of the primary works a secondary source reports
quick_summary:
why_it_matters:
# each finding: id (f1, f2, ...), statement, hypothesis, prediction, direction
# ({_choices(model.Direction)}), kind ({_choices(model.Kind)}), then either
# quote (verbatim from source_text) with locator, or extracted_from; optionally the estimate
# the source states: estimate: measure (mean difference, odds ratio, ...), value,
# ci: [low, high], p: '0.03' (as written), n: {{arm: participants}}, outcome
findings: []
remaining_questions: []  # each: id (q-...), text
does_not_prove: ""
discrepancies: []
""" + (risk_of_bias_block(tool) if tool is not None else "")


def _implied_source_type(entry) -> str | None:
    """The source type the entry itself shows: an e-print identifier marks a preprint."""
    return "preprint" if "eprint" in entry.fields or "archiveprefix" in entry.fields else None
