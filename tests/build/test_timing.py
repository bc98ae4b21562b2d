"""Phases of a build timed: wall and CPU seconds, the figures a reused report keeps, what --explain says."""

from __future__ import annotations

import subprocess
import sys
import time

from livingreview.build import timing


def spin(seconds: float) -> None:
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_a_phase_records_its_wall_and_this_threads_cpu_time():
    phases = timing.Phases()
    with phases.measure("busy"):
        spin(0.05)
    with phases.measure("idle"):
        time.sleep(0.05)
    busy, idle = phases.recorded["busy"], phases.recorded["idle"]
    assert busy.cpu >= 0.05 and busy.wall >= busy.cpu * 0.9
    assert idle.wall >= 0.05 and idle.cpu < 0.03  # sleeping costs no CPU


def test_a_phase_without_a_cpu_clock_has_wall_time_only_and_rounds_to_hundredths():
    phases = timing.Phases()
    with phases.measure("reports", cpu=None):
        pass
    phases.add("pdf", 1.23456, 0.98765)
    assert phases.as_dict()["reports"].keys() == {"wall_s"}
    assert phases.as_dict()["pdf"] == {"wall_s": 1.23, "cpu_s": 0.99}


def test_a_process_cpu_is_read_while_it_lives_and_unknown_once_it_is_gone():
    child = subprocess.Popen([sys.executable, "-c", "import time\nend = time.process_time() + 0.2\n"
                              "while time.process_time() < end: pass\nimport sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)
    try:
        for _ in range(200):
            used = timing.process_cpu(child.pid)
            if used is not None and used >= 0.2:
                break
            time.sleep(0.05)
        assert used is not None and used >= 0.2
    finally:
        child.communicate(b"")
    assert timing.process_cpu(child.pid) is None  # reaped: nothing to read
    assert timing.process_cpu(None) is None


def test_the_build_total_counts_the_children_it_waited_for():
    start = timing.Start.now()
    subprocess.run([sys.executable, "-c", "import time\nend = time.process_time() + 0.3\n"
                    "while time.process_time() < end: pass"], check=True)
    assert start.elapsed().cpu >= 0.3


def test_a_reused_report_keeps_the_figures_of_the_build_that_made_it():
    figures = {"kernel": {"wall_s": 1.0}, "execute": {"wall_s": 3.0, "cpu_s": 2.5}}
    last = {"reports": {"a/all": {"status": "built", "time": figures}, "b/all": {"status": "reused"}}}
    assert timing.carried(last, "a/all") == figures
    assert timing.carried(last, "b/all") is None and timing.carried({}, "a/all") is None
    assert timing.carried({"reports": {"a/all": {"time": "damaged"}}}, "a/all") is None


def test_explain_describes_the_phases_in_the_order_they_run():
    last = {"reports": {"a/all": {"time": {"pdf": {"wall_s": 5.94, "cpu_s": 5.8}, "kernel": {"wall_s": 1.2},
                                           "html": {"wall_s": 0.4, "cpu_s": 0.38}, "execute": {"wall_s": 3.4, "cpu_s": 3.1}}}}}
    assert timing.last_line(last, "a/all") == ("    last built: kernel 1.2 s, execute 3.4 s (CPU 3.1 s), html 0.4 s "
                                               "(CPU 0.4 s), pdf 5.9 s (CPU 5.8 s)")
    assert timing.last_line(last, "b/all") is None
    assert timing.describe({"execute": {"wall_s": "x"}}) == ""


def test_the_costliest_reports_start_first_by_their_last_cpu_time_or_else_by_findings():
    def built(execute, pdf):
        return {"status": "built", "time": {"kernel": {"wall_s": 1.0}, "execute": {"wall_s": 9, "cpu_s": execute},
                                            "pdf": {"wall_s": 9, "cpu_s": pdf}}}

    names = ["a/all", "a/pem", "b/all"]
    findings = {"a/all": 10, "a/pem": 4, "b/all": 40}
    last = {"reports": {"a/all": built(3.0, 9.0), "a/pem": built(2.0, 2.0), "b/all": built(3.0, 5.0)}}
    assert timing.longest_first(names, findings, last) == ["a/all", "b/all", "a/pem"]  # 12, 8 and 4 CPU-s
    # a report without figures (never built): every report is ranked by its findings instead
    del last["reports"]["a/pem"]
    assert timing.longest_first(names, findings, last) == ["b/all", "a/all", "a/pem"]
    assert timing.longest_first(names, {}, {}) == names  # nothing to go by: the matrix order
