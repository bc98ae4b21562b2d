"""Report kernels forked from a template process that has already imported what every report imports.

A report's kernel spends most of its start importing (ipykernel, pandas, matplotlib and the report
functions: about 2.7 CPU-seconds, a quarter of the first review's build). While a local build runs
(:func:`templates`), it therefore starts a *template* ahead (:func:`start`), or the first report kernel
does: ``python -m livingreview.build.kernelfork``, with the interpreter and flags of the command the
kernelspec names, in the build's working folder and the kernels' environment. It imports :data:`PRELOAD`
once, and compiles the report's templates. Each report kernel is then a fork of it: a new process with a
new, empty kernel, which starts in milliseconds and shares the imported modules' memory. What runs in it
is what ``python -m ipykernel_launcher`` would run: the same arguments, environment and working folder,
in a session of its own (so an interrupt reaches it and what it starts).

A kernelspec that names another command or another environment's interpreter, or a template that cannot
start, gives kernels started as before.
Where no build opened templates (a dask worker, JupyterLab), nothing changes.

The template talks with the build over a socket, one JSON object a line: the build asks ``{"argv", "env",
"cwd"}`` and is told ``{"pid"}``; the template tells ``{"exit", "code"}`` when a kernel has ended (it reaps
its kernels). When the build is gone, the socket closes and the template leaves; a kernel whose parent has
left stops itself (ipykernel's parent poller).
"""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

#: what every report kernel imports before its first cell runs, imported once by the template (ipykernel's debugger,
#: which a kernel imports as it starts, is a third of a forked kernel's start); ``module:function`` also calls a
#: function of no arguments that prepares what every kernel would otherwise make for itself
PRELOAD = ("ipykernel.kernelapp", "ipykernel.debugger", "livingreview", "livingreview.report",
           "livingreview.pages:compile_templates")
#: the module the kernelspec's command runs (``python [flags] -m ipykernel_launcher ...``)
LAUNCHER = "ipykernel_launcher"
#: how long a kernel start waits for the template's imports, and for its answer to a fork
READY_TIMEOUT = 120.0
FORK_TIMEOUT = 30.0


@dataclass
class Spent:
    """What a build's templates cost, known once they are closed: seconds until they had imported (the
    longest), and their own CPU seconds (their kernels' are each report's)."""

    wall: float | None = None
    cpu: float | None = None


class _Templates:
    """The templates of the build running in this process (None: kernels start as before)."""

    current: dict | None = None
    lock = threading.Lock()


@contextmanager
def templates() -> Iterator[Spent]:
    """Fork report kernels from templates until the block ends; the templates are closed then, and what they
    cost is in the :class:`Spent` yielded."""
    spent = Spent()
    with _Templates.lock:
        previous, _Templates.current = _Templates.current, {}
    try:
        yield spent
    finally:
        with _Templates.lock:
            opened, _Templates.current = _Templates.current, previous
        for template in opened.values():
            wall, cpu = template.close()
            if wall is not None:
                spent.wall = max(spent.wall or 0.0, wall)
            if cpu is not None:
                spent.cpu = (spent.cpu or 0.0) + cpu


def split_command(cmd: list[str]) -> tuple[tuple[str, ...], list[str]] | None:
    """``(interpreter and its flags, the launcher's arguments)`` of a kernelspec command that runs
    ``python [flags] -m ipykernel_launcher ARGS`` with this very interpreter; None for any other command."""
    if LAUNCHER not in cmd:
        return None
    at = cmd.index(LAUNCHER)
    head = cmd[:at - 1]
    if at < 2 or cmd[at - 1] != "-m" or not all(flag.startswith("-X") for flag in head[1:]):
        return None
    if not same_interpreter(head[0]):
        return None
    return tuple(head), cmd[at + 1:]


def start(cmd: list[str], *, env: dict[str, str | None], cwd: str) -> None:
    """Start, ahead of the first kernel, the template for kernels that run *cmd*, importing in *cwd* with the
    environment of this process updated by *env* (None: removed), as the kernels will run."""
    split = split_command(cmd)
    if split is not None:
        merged = {**os.environ, **env}
        _template(split[0], env={k: v for k, v in merged.items() if v is not None}, cwd=cwd)


def same_interpreter(python: str) -> bool:
    """Whether *python* is this process's interpreter in this environment: the same file, in the same folder (a
    virtual environment is named by where its ``python`` lies, not by the interpreter that link resolves to)."""
    here = os.path.abspath(sys.executable)
    there = os.path.abspath(os.path.expanduser(python))
    return os.path.dirname(there) == os.path.dirname(here) and os.path.realpath(there) == os.path.realpath(here)


def fork(cmd: list[str], *, env: dict[str, str], cwd: str) -> ForkedKernel | None:
    """A kernel running *cmd* in *cwd* with *env*, forked from the template of its interpreter; None where
    no build opened templates, *cmd* is not ipykernel's launcher, or the template did not start."""
    split = split_command(cmd)
    if split is None:
        return None
    head, argv = split
    template = _template(head)
    return template.fork(argv, env=env, cwd=cwd) if template is not None else None


def _template(head: tuple[str, ...], **started) -> Template | None:
    """The open template for *head*, started (with *started*) if there is none yet; None outside :func:`templates`."""
    with _Templates.lock:
        opened = _Templates.current
        if opened is None:
            return None
        if head not in opened:
            opened[head] = Template(head, **started)
        return opened[head]


class Template:
    """The build's end of one template process."""

    def __init__(self, head: tuple[str, ...], *, env: dict[str, str] | None = None, cwd: str | None = None):
        ours, theirs = socket.socketpair()
        self._socket = ours
        try:
            self.process = subprocess.Popen([*head, "-m", __name__, str(theirs.fileno()), *PRELOAD], env=env, cwd=cwd,
                                            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            theirs.close()
        self._ready = threading.Event()
        self._started, self._ready_after = time.monotonic(), None
        self._pid = None
        self._answers: queue.Queue = queue.Queue()
        self._ended: dict[int, int] = {}
        self._gone = False
        self._changed = threading.Condition()
        self._asking = threading.Lock()
        threading.Thread(target=self._listen, name="kernel-template", daemon=True).start()

    def _listen(self) -> None:
        with self._socket.makefile("rb") as lines:
            for line in lines:
                message = json.loads(line)
                if "ready" in message:
                    self._pid, self._ready_after = message["ready"], time.monotonic() - self._started
                    self._ready.set()
                    if self._pid is None:  # an import failed: kernels start as before, and show it in a cell
                        break
                elif "exit" in message:
                    with self._changed:
                        self._ended[message["exit"]] = message["code"]
                        self._changed.notify_all()
                else:
                    self._answers.put(message)
        with self._changed:
            self._gone = True
            self._changed.notify_all()
        self._ready.set()
        self._answers.put({})

    def fork(self, argv: list[str], *, env: dict[str, str], cwd: str) -> ForkedKernel | None:
        if not self._ready.wait(READY_TIMEOUT) or self._gone or self._pid is None:
            return None
        request = {"argv": argv, "env": {**env, "JPY_PARENT_PID": str(self._pid)}, "cwd": str(cwd)}
        with self._asking:
            try:
                self._socket.sendall(json.dumps(request).encode("utf-8") + b"\n")
                answer = self._answers.get(timeout=FORK_TIMEOUT)
            except (OSError, queue.Empty):
                return None
        return ForkedKernel(self, answer["pid"]) if "pid" in answer else None

    def exit_code(self, pid: int, timeout: float | None = 0) -> int | None:
        """The exit code of kernel *pid*; None while it runs (waiting up to *timeout* seconds for it to end)."""
        with self._changed:
            self._changed.wait_for(lambda: pid in self._ended or self._gone, timeout)
            if pid in self._ended:
                return self._ended[pid]
        if self._gone and not _exists(pid):  # the template is gone: no code will come
            return -signal.SIGKILL
        return None

    def close(self) -> tuple[float | None, float | None]:
        """Close the socket (the template leaves; its kernels have ended), and say how long it took to import
        and the CPU seconds it used."""
        from livingreview.build.timing import process_cpu  # absolute: this module is also the template's main

        cpu = process_cpu(self.process.pid)
        try:
            self._socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._socket.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self._ready_after, cpu


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, as another user's
        pass
    return True


class ForkedKernel:
    """A forked kernel, as jupyter_client's local provisioner uses a :class:`subprocess.Popen`."""

    stdin = stdout = stderr = None

    def __init__(self, template: Template, pid: int):
        self._template, self.pid, self.returncode = template, pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self._template.exit_code(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self.returncode = self._template.exit_code(self.pid, timeout)
        if self.returncode is None:
            raise subprocess.TimeoutExpired([LAUNCHER], timeout)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


# --- the template process --------------------------------------------------------------------------------------------


def serve(control: socket.socket, preload: list[str]) -> None:
    """Import the modules *preload* names, then fork a kernel for each request until the build closes the
    socket. If an import fails, say so and leave: each kernel then imports for itself, and shows the error."""
    import importlib
    import select

    if sys.path and (sys.path[0] == "" or os.path.realpath(sys.path[0]) == os.path.realpath(os.getcwd())):
        del sys.path[0]  # as ipykernel_launcher does before it imports anything (the kernel adds '' later)
    # ipykernel sets this before any cell runs; matplotlib reads it when imported, which is now
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    try:
        for name in preload:
            module, _, function = name.partition(":")
            imported = importlib.import_module(module)
            if function:
                getattr(imported, function)()
    except Exception:  # noqa: BLE001 - the kernel that imports it shows the error in its cell
        _send(control, {"ready": None})
        return
    _send(control, {"ready": os.getpid()})
    kernels: dict[int, int] = {}  # pidfd: pid
    pending = b""
    while True:
        readable, _, _ = select.select([control, *kernels], [], [])
        for ready in readable:
            if ready is control:
                data = control.recv(1 << 16)
                if not data:
                    return
                pending += data
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    pid = _fork(json.loads(line), control, list(kernels))
                    kernels[os.pidfd_open(pid)] = pid
                    _send(control, {"pid": pid})
            else:
                pid = kernels.pop(ready)
                os.close(ready)
                _, status = os.waitpid(pid, 0)
                _send(control, {"exit": pid, "code": os.waitstatus_to_exitcode(status)})


def _send(control: socket.socket, message: dict) -> None:
    control.sendall(json.dumps(message).encode("utf-8") + b"\n")


def _fork(request: dict, control: socket.socket, siblings: list[int]) -> int:
    """Fork a kernel for *request*; returned once the kernel leads a session of its own. The kernel keeps none of
    the template's descriptors (the socket, the *siblings*' pidfds), as a kernel started afresh has none."""
    started, told = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(started)
        for fd in siblings:
            os.close(fd)
        _kernel(request, control, told)
    os.close(told)
    os.read(started, 1)
    os.close(started)
    return pid


def _kernel(request: dict, control: socket.socket, told: int) -> None:
    """In the forked process: become ``python -m ipykernel_launcher ARGV`` in the request's folder and
    environment, and run the kernel until it is shut down."""
    code = 1
    try:
        control.close()
        os.setsid()
        os.write(told, b".")
        os.close(told)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        import ipykernel_launcher
        from ipykernel import kernelapp

        sys.argv = [ipykernel_launcher.__file__, *request["argv"]]
        kernelapp.launch_new_instance(parent_handle=os.getppid())
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001 - the kernel's own failure, printed where a kernel's stderr goes
        import traceback

        traceback.print_exc()
    finally:
        try:
            import atexit

            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])), sys.argv[2:])
