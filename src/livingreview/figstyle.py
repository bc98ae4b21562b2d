"""The one matplotlib style every figure is drawn in: matplotlib's defaults, then the figure's own settings.

matplotlib starts from the ``matplotlibrc`` of whoever runs it (``~/.config/matplotlib``, ``$MPLCONFIGDIR``), so a
setting there (a grid, a line width, fonts drawn as paths) would change a report's figures from one machine to the
next. Drawing inside :func:`drawn_with` resets every style setting to matplotlib's default first, so the same inputs
give the same SVG bytes everywhere.
"""

from __future__ import annotations

from contextlib import AbstractContextManager


def drawn_with(settings: dict) -> AbstractContextManager:
    """A context in which figures are drawn with matplotlib's default style and *settings* over it."""
    import matplotlib.style

    return matplotlib.style.context(["default", settings])
