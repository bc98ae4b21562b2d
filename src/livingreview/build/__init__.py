"""The build engine: the report matrix of ``reviews/build.yml`` -> ``outputs/``.

``plan`` (matrix, typed parameters) -> ``cache`` (keys over code and data) -> ``execute``
(papermill, in parallel, into staging) -> ``bundle`` (data files) -> ``publish`` (atomic
renames, ``manifest``, ``changelog``, ``index``). :func:`run_build` is the entry point.
"""

from .run import BuildOptions, run_build

__all__ = ["BuildOptions", "run_build"]
