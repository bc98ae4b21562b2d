"""The Jupyter kernel report notebooks run in (``livingreview``): registered with ipykernel's own
installer, into the running Python's environment, so papermill, JupyterLab and nbval find it."""

from __future__ import annotations

import sys
from pathlib import Path

#: the kernel the report notebooks name in their metadata
NAME = "livingreview"
DISPLAY_NAME = "Python 3 (livingreview)"


def install(*, name: str = NAME, display_name: str = DISPLAY_NAME, user: bool = False,
            prefix: Path | None = None) -> Path:
    """Register the kernel for this Python (under *prefix*, default ``sys.prefix``, or the user's Jupyter
    folder with *user*); returns the folder of its kernel.json. Registering again replaces the earlier spec."""
    from ipykernel.kernelspec import install as install_kernelspec

    where = install_kernelspec(user=user, kernel_name=name, display_name=display_name,
                               prefix=None if user else str(prefix or sys.prefix))
    return Path(where)
