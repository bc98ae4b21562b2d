"""Why a report failed, as data: one code per kind of failure, and where it happened.

``build-report.json`` carries a :class:`Failure` per failed report (``diagnostic``); the console
prints its one-line ``message``. The executed notebook of a failed report is kept under
``outputs/.failed/<hypothesis>/<variant>/`` (never published).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: every kind of report failure, by code
CELL_RAISED = "RUN001"  # a cell raised an exception
CELL_TIMEOUT = "RUN002"  # a cell ran longer than limits.cell_timeout
REPORT_TIMEOUT = "RUN003"  # the notebook ran longer than limits.report_timeout
KERNEL_DIED = "RUN004"  # the kernel died while a cell ran
KERNEL_DID_NOT_START = "RUN005"  # the kernel did not start
EXECUTION_FAILED = "RUN006"  # anything else went wrong while a cell ran
CELL_OUTPUT = "RUN007"  # --strict: a cell wrote a warning or other stderr output, or an error output
MACHINE_TRACE = "RUN008"  # --strict: a rendered file holds a path of the build machine
RENDER_FAILED = "RUN009"  # the executed notebook could not be rendered to HTML or PDF


@dataclass(frozen=True)
class Failure:
    """How one report failed: where (notebook and cell), what (exception), and the one-line message."""

    code: str
    message: str
    notebook: str
    cell: int | None = None  # counted from 1 in the author's notebook, as JupyterLab shows cells
    cell_id: str | None = None
    ename: str | None = None
    evalue: str | None = None
    traceback: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
