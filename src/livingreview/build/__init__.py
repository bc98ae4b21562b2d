"""The build engine: the report matrix of ``reviews/build.yml`` -> ``outputs/``.

``plan`` (matrix, typed parameters) -> ``cache`` (keys over code and data) -> ``execute``
(papermill, in parallel, into staging) -> ``bundle`` (data files) -> ``publish`` (atomic
renames, ``manifest``, ``changelog``, ``index``). :func:`run_build` is the entry point;
``shortcut`` answers a build with nothing changed before the review is loaded.
"""

from .options import BuildOptions


def run_build(project, options: BuildOptions) -> int:
    """Build the report matrix; 0 when every report is built or reused, 2 when any failed."""
    from .executors import check
    from .shortcut import try_noop

    check(options.executor)  # a value naming no executor is refused even when nothing is to be built
    code = try_noop(project, options)
    if code is not None:
        return code
    from .run import run_build as full_build

    return full_build(project, options)


__all__ = ["BuildOptions", "run_build"]
