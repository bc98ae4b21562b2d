"""The loop benchmark's accounting: the build's CPU by phase, and the bound the PDFs set."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_loop  # noqa: E402

#: a build-report.json of two reports, as a build writes it
REPORT = {
    "time": {"kernel template": {"cpu_s": 2.0, "wall_s": 1.9}, "load": {"cpu_s": 0.2, "wall_s": 0.2},
             "total": {"cpu_s": 40.0, "wall_s": 25.0}},
    "reports": {
        "a/all": {"time": {"kernel": {"wall_s": 0.7}, "execute": {"cpu_s": 3.0, "wall_s": 3.1},
                           "html": {"cpu_s": 0.5, "wall_s": 0.5}, "pdf": {"cpu_s": 12.0, "wall_s": 12.2}}},
        "a/pem-required": {"time": {"execute": {"cpu_s": 1.0, "wall_s": 1.0}, "html": {"cpu_s": 0.5, "wall_s": 0.5},
                                    "pdf": {"cpu_s": 8.0, "wall_s": 8.1}}},
        "b/all": {"status": "failed", "time": {}},
    },
}


def test_the_builds_cpu_is_split_by_phase_and_the_parts_add_up_to_its_total():
    phases = bench_loop.phases(REPORT)
    assert phases == pytest.approx({"kernels": 6.0, "html": 1.0, "pdf": 20.0, "rest": 13.0})
    assert sum(phases.values()) == pytest.approx(REPORT["time"]["total"]["cpu_s"])


def test_the_bound_is_the_loops_wall_time_over_the_pdfs_cpu_on_the_cores(monkeypatch):
    monkeypatch.setattr(bench_loop.os, "cpu_count", lambda: 2)
    built = bench_loop.Built(bench_loop.Cost(25.0, 40.0, 100.0), bench_loop.phases(REPORT))
    loop = {step: bench_loop.Cost(20.0, 19.0, 90.0) for step in bench_loop.STEPS}
    text = bench_loop.section([(1, built, loop)], 2)
    assert "| 1 | 25.0 | 40.0 | 80% | 100 | 60.0 | 57.0 | 90 | 2.40× |" in text
    assert "| 1 | 6.0 | 1.0 | 20.0 | 13.0 | 19.0 | 19.0 | 19.0 | 6.00× |" in text  # 60 s / (20 CPU-s / 2 cores)
    assert "a build of 12.0 s: at most 24.0 CPU-s on 2 cores" in text
