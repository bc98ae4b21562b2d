"""Wall and CPU seconds per phase of a build, so that a slower build shows where it got slower.

A report's phases are ``kernel`` (starting its kernel, wall time only), ``execute`` (running the
notebook: the kernel process's CPU), ``html`` (nbconvert, in the build's thread) and ``pdf``
(WeasyPrint, in a printing process: that process's CPU). A build's are ``load`` (reading and
validating the review), ``plan`` (selecting each report's works and computing its key), ``references``
(rendering every reference the reports cite, ahead: :mod:`.references`), ``kernel template`` (the process
the kernels are forked from, :mod:`.kernelfork`: until it had imported, and its own CPU), ``reports`` (every
report, in parallel; ``references`` included) and ``total`` (the build process with every kernel and printer it
started, until publishing).

The figures go to ``build-report.json`` (never into the manifest or a published page, so outputs
stay byte-identical) and ``build --explain`` shows them: a report reused by a later build keeps
the figures of the build that made it.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

#: the key of a report's (and of the build's) figures in build-report.json
KEY = "time"
#: a report's phases, in the order they run (and are shown)
REPORT_PHASES = ("kernel", "execute", "html", "pdf")


@dataclass(frozen=True)
class Phase:
    """How long one phase took: *wall* seconds, and *cpu* seconds where they are known."""

    wall: float
    cpu: float | None = None

    def as_dict(self) -> dict[str, float]:
        out = {"wall_s": round(self.wall, 2)}
        if self.cpu is not None:
            out["cpu_s"] = round(self.cpu, 2)
        return out


@dataclass
class Phases:
    """Phases in the order they were recorded."""

    recorded: dict[str, Phase] = field(default_factory=dict)

    def add(self, name: str, wall: float, cpu: float | None = None) -> None:
        self.recorded[name] = Phase(wall, cpu)

    @contextmanager
    def measure(self, name: str, cpu=time.thread_time) -> Iterator[None]:
        """Record the block's wall time and *cpu* time (by default this thread's; None: wall only) as phase *name*."""
        wall, used = time.monotonic(), cpu() if cpu else None
        try:
            yield
        finally:
            self.add(name, time.monotonic() - wall, cpu() - used if cpu else None)

    def as_dict(self) -> dict[str, dict[str, float]]:
        return {name: phase.as_dict() for name, phase in self.recorded.items()}


def process_cpu(pid: int | None) -> float | None:
    """User and system CPU seconds process *pid* has used so far (None: it is gone or unknown)."""
    if pid is None:
        return None
    import psutil

    try:
        times = psutil.Process(pid).cpu_times()
    except (psutil.Error, OSError):
        return None
    return times.user + times.system


def own_and_children_cpu() -> float:
    """CPU seconds of this process and of every child it has waited for (kernels, printers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass(frozen=True)
class Start:
    """When a build began: the clock and the CPU seconds of this process and its children so far."""

    wall: float
    cpu: float

    @classmethod
    def now(cls) -> Start:
        return cls(time.monotonic(), own_and_children_cpu())

    def elapsed(self) -> Phase:
        """Since then: wall seconds, and CPU seconds of the build with every kernel and printer it has waited for."""
        return Phase(time.monotonic() - self.wall, own_and_children_cpu() - self.cpu)


def carried(previous: Mapping, name: str) -> dict | None:
    """The figures of report *name* in a previous build report (None when it has none), for a report reused."""
    try:
        figures = previous["reports"][name][KEY]
    except (KeyError, TypeError):
        return None
    return figures if isinstance(figures, dict) else None


def describe(figures: Mapping | None) -> str:
    """``kernel 1.2 s, execute 3.4 s (CPU 3.1 s), html 0.4 s, pdf 5.9 s (CPU 5.8 s)`` (empty when unknown)."""
    if not isinstance(figures, Mapping):
        return ""
    parts = []
    for name in REPORT_PHASES:
        phase = figures.get(name)
        if not isinstance(phase, Mapping) or not isinstance(phase.get("wall_s"), (int, float)):
            continue
        text = f"{name} {phase['wall_s']:.1f} s"
        if isinstance(phase.get("cpu_s"), (int, float)):
            text += f" (CPU {phase['cpu_s']:.1f} s)"
        parts.append(text)
    return ", ".join(parts)


def last_line(last: Mapping, name: str) -> str | None:
    """What ``--explain`` adds under report *name*: the phases of the build that last made it (*last*: a build report)."""
    text = describe(carried(last, name))
    return f"    last built: {text}" if text else None


def longest_first(names: list[str], findings: Mapping[str, int], last: Mapping) -> list[str]:
    """*names* in the order to start them so the build ends soonest: the costliest first (a long report started
    last would run alone at the end). The cost is a report's CPU seconds in the build that last made it when
    every one of them has figures there, else its number of findings (what its tables and PDF grow with)."""
    def cpu(name: str) -> float | None:
        figures = carried(last, name) or {}
        spent = [phase.get("cpu_s") for phase in figures.values() if isinstance(phase, Mapping)]
        known = [value for value in spent if isinstance(value, (int, float))]
        return sum(known) if known else None

    costs = {name: cpu(name) for name in names}
    if any(cost is None for cost in costs.values()):
        costs = {name: float(findings.get(name, 0)) for name in names}
    return sorted(names, key=lambda name: -costs[name])  # stable: ties keep the matrix order
