"""The parameter contract of a report notebook, checked before any kernel starts.

papermill injects the build's values in a new cell right after the cell tagged ``parameters``;
a tag on the wrong cell (a Markdown cell, or the import cell) makes the notebook run with its own
defaults instead, so a filtered variant is silently built with every study. The contract:

* the notebook's cells are well formed (a type, a source, metadata with a list of tags);
* exactly one cell is tagged ``parameters``, and it is a code cell;
* that cell does nothing but assign literal defaults (``name = value``; comments and blank lines
  allowed) to exactly the fields of the review's report parameters (its *model*, from
  :func:`~livingreview.project.parameters_model`), each default
  of the field's type (a warning when ``hypothesis`` does not name the notebook's own hypothesis).

Every broken rule is a :class:`Diagnostic` naming the notebook and the cell (number from 1, and id).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from pydantic import ValidationError

from ..diagnostics import Diagnostic, closest, error, warning
from ..notebooks import PARAMETERS_TAG, cell_name, source_text
from ..project import ReportParameters

TAG = PARAMETERS_TAG


def malformed(cells: Sequence) -> list[tuple[int, str]]:
    """(index, what is wrong) for every cell that is not of nbformat 4's shape."""
    out = []
    for i, cell in enumerate(cells):
        if not isinstance(cell, dict):
            out.append((i, "is not a JSON object"))
            continue
        source, metadata = cell.get("source", ""), cell.get("metadata", {})
        if cell.get("cell_type") not in ("code", "markdown", "raw"):
            out.append((i, f"has no valid cell_type (got {cell.get('cell_type')!r})"))
        elif not isinstance(source, str) and not (isinstance(source, list) and all(isinstance(s, str) for s in source)):
            out.append((i, "has a source that is neither text nor a list of lines"))
        elif not isinstance(metadata, dict):
            out.append((i, "has metadata that is not a JSON object"))
        elif not isinstance(metadata.get("tags", []), list) or not all(isinstance(t, str) for t in metadata.get("tags", [])):
            out.append((i, "has tags that are not a list of strings"))
    return out


def check_notebook(cells: Sequence, *, file: str, hypothesis: str, model: type[ReportParameters]) -> list[Diagnostic]:
    """Every way *cells* (of notebook *file*, the report of *hypothesis*) break the contract of the
    review's report parameters *model*."""
    bad = malformed(cells)
    if bad:
        return [error("NBK001", file, None, f"{cell_name(i, cells[i])} {what}",
                      hint="open the notebook in JupyterLab and save it again, or restore it from git") for i, what in bad]
    tagged = [i for i, cell in enumerate(cells) if TAG in cell.get("metadata", {}).get("tags", [])]
    if not tagged:
        return [error("BLD004", file, None, "no cell is tagged 'parameters'",
                      hint="tag the first code cell 'parameters' so the build can set hypothesis and variant values")]
    if len(tagged) > 1:
        names = ", ".join(cell_name(i, cells[i]) for i in tagged)
        return [error("NBK002", file, None, f"{len(tagged)} cells are tagged 'parameters' ({names}); papermill would use only the first",
                      hint="keep the tag on the one code cell that assigns the parameters")]
    index = tagged[0]
    cell = cells[index]
    where = cell_name(index, cell)
    if cell.get("cell_type") != "code":
        return [error("NBK003", file, None, f"{where}, tagged 'parameters', is a {cell.get('cell_type')} cell, not a code cell; "
                      "the build's values would be injected after it and the notebook's own defaults would win",
                      hint="move the 'parameters' tag to the code cell that assigns the parameters")]
    return _check_assignments(source_text(cell.get("source", "")), file=file, where=where, hypothesis=hypothesis, model=model)


def _check_assignments(source: str, *, file: str, where: str, hypothesis: str,
                       model: type[ReportParameters]) -> list[Diagnostic]:
    """The parameters cell assigns literal defaults to exactly the typed parameters."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return [error("NBK004", file, None, f"{where} (the parameters cell) is not valid Python: {exc.msg} (its line {exc.lineno})")]
    fields = list(model.model_fields)
    exactly = f"the parameters cell assigns exactly: {', '.join(fields)}"
    values: dict[str, object] = {}
    assigned: set[str] = set()
    problems: list[tuple[str, str | None]] = []  # (message, hint)
    for statement in tree.body:
        target, value = _assignment(statement)
        if target is None:
            problems.append((f"its line {statement.lineno} is not a plain 'name = value' assignment",
                             "move other code to the cells below"))
            continue
        assigned.add(target)
        if target not in fields:
            problems.append((f"its line {statement.lineno} assigns '{target}', which is not a report parameter",
                             closest(target, fields) or exactly))
            continue
        try:
            values[target] = ast.literal_eval(value)
        except ValueError:
            problems.append((f"its line {statement.lineno}: {target} is not given a literal value",
                             "use a number, text, True/False or None"))
    missing = [name for name in fields if name not in assigned]
    if missing:
        problems.append((f"it does not assign {', '.join(missing)}", exactly))
    problems += [(p, None) for p in _type_problems(values, model)]
    found = [error("NBK005", file, None, f"{where} (the parameters cell): {message}", hint=hint) for message, hint in problems]
    if "hypothesis" in values and values["hypothesis"] != hypothesis:  # the build injects the right one; JupyterLab would not
        found.append(warning("NBK006", file, None, f"{where} (the parameters cell): its default hypothesis is "
                             f"{values['hypothesis']!r}, but this is the notebook of '{hypothesis}'; run in JupyterLab, it "
                             "shows the other hypothesis", hint=f"hypothesis = \"{hypothesis}\""))
    return found


def _assignment(statement: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id, statement.value
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value is not None:
        return statement.target.id, statement.value
    return None, None


def _type_problems(values: dict[str, object], model: type[ReportParameters]) -> list[str]:
    """A default of the wrong type (missing or unknown names are reported on their own)."""
    try:
        model(**values)
    except ValidationError as exc:
        return [f"{'.'.join(str(p) for p in e['loc'])} = {e.get('input')!r}: {e['msg']}"
                for e in exc.errors() if e["type"] != "missing"]
    return []
