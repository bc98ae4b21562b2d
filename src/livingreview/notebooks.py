"""Report notebooks read as the JSON they are: where each lives, its cells and their tags.

(Reading with nbformat would validate against its JSON schema, whose import alone takes longer than
a whole no-op build; the build and the loader only need cell types, sources and tags.)
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

from .errors import ConfigError
from .project import Project


#: cells with this tag are left out of the rendered report (e.g. notes on using the notebook)
REMOVE_TAG = "remove-cell"
#: the tag of the cell whose assignments papermill overrides with the report's parameters
PARAMETERS_TAG = "parameters"


def notebook_path(project: Project, hypothesis_id: str) -> Path:
    """Each hypothesis has its own notebook: ``notebooks/<hypothesis>.ipynb``."""
    return project.notebooks_dir / f"{hypothesis_id}.ipynb"


class NotebookUnreadable(ValueError):
    """A notebook file is not JSON of the nbformat 4 shape; *line*: where its JSON breaks, if that is why."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def notebook_cells(path: Path) -> list[dict]:
    """The cells of a version-4 notebook, read (through the guarded reader) as the JSON it is."""
    try:
        data = json.loads(Project.around(path).read_input(path, exception=ConfigError).decode("utf-8"))
    except json.JSONDecodeError as exc:
        raise NotebookUnreadable(f"not a readable notebook: invalid JSON ({exc.msg})", exc.lineno) from None
    except UnicodeDecodeError:
        raise NotebookUnreadable("not a readable notebook: the file is not UTF-8 text") from None
    except OSError as exc:
        raise NotebookUnreadable(f"not a readable notebook: {exc.strerror or exc}") from None
    if not isinstance(data, dict) or data.get("nbformat") != 4 or not isinstance(data.get("cells"), list):
        raise NotebookUnreadable("not a Jupyter notebook in format version 4")
    return data["cells"]


def cell_tags(cell: dict) -> list[str]:
    metadata = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    tags = metadata.get("tags", []) if isinstance(metadata, dict) else []
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def source_text(source) -> str:
    """A cell's source as one string (nbformat stores it as a string or a list of lines)."""
    return source if isinstance(source, str) else "".join(source)


def cell_name(index: int, cell: dict) -> str:
    """``cell 3 (id abc)``: the number counts from 1, as JupyterLab shows cells."""
    cell_id = cell.get("id") if isinstance(cell, dict) else None
    return f"cell {index + 1}" + (f" (id {cell_id})" if isinstance(cell_id, str) else "")


def report_calls(source: str) -> tuple[str, ...]:
    """The report sections a code cell shows, in order: ``report.evidence_table(sel)`` -> ``evidence_table``
    (a cell that is not valid Python shows none)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ()
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
             and isinstance(node.func.value, ast.Name) and node.func.value.id == "report"]
    return tuple(call.func.attr for call in sorted(calls, key=lambda c: (c.lineno, c.col_offset)))
