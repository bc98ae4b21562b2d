"""HTTP GET of JSON for ``livingreview search run``: the one module that talks to a network.

Requests are spaced by the source's rate limit (:class:`Pacer`), time out, and are retried with
exponential backoff on 429 and 5xx answers and on network errors (a numeric ``Retry-After`` is
honoured). When every attempt fails, :class:`SourceFailed` carries one ``SCR028`` diagnostic
naming the search; the caller has written nothing by then.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping

from ..diagnostics import error
from ..errors import InputError

#: attempts per request (the first and its retries)
ATTEMPTS = 4
#: seconds before the first retry; doubled for each one after
BACKOFF = 1.0
#: seconds to wait for a connection or an answer
TIMEOUT = 30.0
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("livingreview")
    except PackageNotFoundError:  # pragma: no cover - a source checkout without installing
        return "0+unknown"


RETRIED = frozenset({429, 500, 502, 503, 504})


class SourceFailed(InputError):
    """A source kept failing, or answered with something that is not its JSON; nothing was written."""


class Pacer:
    """At most *per_second* requests a second: :meth:`wait` sleeps until the next one may go."""

    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.interval, self.clock, self.sleep, self.last = 1.0 / per_second, clock, sleep, None

    def wait(self) -> None:
        if self.last is not None:
            pause = self.last + self.interval - self.clock()
            if pause > 0:
                self.sleep(pause)
        self.last = self.clock()


def get_json(url: str, params: Mapping[str, str], *, pacer: Pacer, where: tuple[str, int | None, str], user_agent: str = "",
             sleep: Callable[[float], None] = time.sleep):
    """The JSON answer of ``GET url?params``; *where* (file, line) is where the failure is reported."""
    address = url + "?" + urllib.parse.urlencode(params)
    request = urllib.request.Request(address, headers={"User-Agent": user_agent or f"livingreview/{_version()}",
                                                       "Accept": "application/json"})
    problem = ""
    for attempt in range(ATTEMPTS):
        if attempt:
            sleep(_retry_after(problem) or BACKOFF * 2 ** (attempt - 1))
        pacer.wait()
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
                body = answer.read()
        except urllib.error.HTTPError as exc:
            problem = exc
            if exc.code not in RETRIED:
                break
            continue
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            problem = exc
            continue
        return _parsed(body, url, where)
    raise _failed(url, problem, where)


def _retry_after(problem) -> float | None:
    value = problem.headers.get("Retry-After", "") if isinstance(problem, urllib.error.HTTPError) else ""
    return min(float(value), 60.0) if value.strip().isdigit() else None


def _parsed(body: bytes, url: str, where: tuple[str, int | None, str]):
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise SourceFailed([error("SCR028", *where[:2], key=where[2], field="query", message=f"{url} did not answer with JSON",
                                  hint="check the engine's base URL setting")]) from None


def _failed(url: str, problem, where: tuple[str, int | None, str]) -> SourceFailed:
    if isinstance(problem, urllib.error.HTTPError):
        said = f"HTTP {problem.code} {problem.reason}"
    else:
        said = str(getattr(problem, "reason", None) or problem or "no answer")
    tries = "" if isinstance(problem, urllib.error.HTTPError) and problem.code not in RETRIED else f" after {ATTEMPTS} attempts"
    return SourceFailed([error("SCR028", *where[:2], key=where[2], field="query", message=f"{url} failed{tries}: {said}",
                               hint="nothing was written; run `livingreview search run` again later")])
