"""The build's PDF printer: in processes of its own while a build runs, in-process otherwise, and the
same bytes either way."""

from __future__ import annotations

import os

from livingreview.build import printing

PAGE = "<!DOCTYPE html><html><head><title>t</title></head><body><h1>A report</h1><p>Some text.</p></body></html>"


def test_a_page_prints_to_the_same_bytes_in_the_printing_processes_as_here():
    here, here_cpu = printing.print_pdf(PAGE)
    with printing.processes(1):
        pool = printing._Pool.current
        there, there_cpu = printing.print_pdf(PAGE)
        workers = list(pool._processes)  # the pool started a process to print it
    assert there == here and here.startswith(b"%PDF")
    assert workers and os.getpid() not in workers
    assert printing._Pool.current is None  # closed with the block
    # the CPU time printing took, measured where it printed (layout is never free)
    assert here_cpu > 0 and there_cpu > 0


def test_a_printing_failure_reaches_the_caller():
    import pytest

    from livingreview.pdf import render_pdf

    with printing.processes(1):
        with pytest.raises(Exception) as there:
            printing.print_pdf(None)  # not a page
    with pytest.raises(Exception) as here:
        render_pdf(None)
    assert type(there.value) is type(here.value)


def test_no_printing_process_outlives_a_killed_build(tmp_path):
    # a build killed with SIGKILL cannot shut its pool down: its printers must leave on their own
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "build.py"
    script.write_text(
        "import os\n"
        "from livingreview.build import printing\n"
        "if __name__ == '__main__':\n"
        "    with printing.processes(1):\n"
        "        printing.print_pdf('<p>x</p>')\n"
        "        print(*printing._Pool.current._processes, flush=True)\n"
        "        os.kill(os.getpid(), 9)\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL
    [printer] = [int(p) for p in done.stdout.split()]
    for _ in range(100):
        try:
            os.kill(printer, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"printing process {printer} outlived its build")
